"""Throughput of `fieldreport places` on 400-word articles.

Run: .venv/bin/python benchmarks/bench_places.py [--articles 300] [--workers 2] [--lgl] [--parse]

Prints three figures:
  command   the `fieldreport places` command itself, run as a user runs it (a subprocess reading a
            JSON Lines file and writing one), wall clock, and the same less its start-up (the
            start-up is timed on a one-article file);
  pipeline  Pipeline.places_many, what the command calls, after the resources are loaded;
  find      the places extractor alone on already parsed documents (no spaCy).
The articles are the project's own examples, each padded to ~400 words with another example's
paragraphs (as in bench_extract.py); with --lgl, 400-word slices of the LGL news texts read from
../shared at run time. --parse times the full spaCy pipeline (`places --parse`) instead of the
entity recogniser alone.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_extract import make_articles

from fieldreport.schema.records import Article
from fieldreport.assemble.pipeline import Pipeline

ROOT = Path(__file__).resolve().parent.parent
LGL = ROOT.parent / "shared" / "data" / "geoparsing" / "lgl.xml"


def lgl_articles(n: int, words: int = 400) -> list[Article]:
    from fieldreport.eval.geoparse import read_geoparsing_xml

    if not LGL.exists():
        sys.exit(f"{LGL} is absent; run without --lgl")
    out: list[Article] = []
    buf: list[str] = []
    for art in read_geoparsing_xml(LGL):
        buf += art.text.split()
        while len(buf) >= words and len(out) < n:
            out.append(Article(id=f"lgl-{len(out)}", text=" ".join(buf[:words])))
            buf = buf[words:]
    return out


def run_command(path: Path, workers: int, parse: bool) -> float:
    cmd = [sys.executable, "-m", "fieldreport", "places", "--input", str(path), "--output", os.devnull,
           "--workers", str(workers), "--quiet"] + (["--parse"] if parse else [])
    t = time.perf_counter()
    subprocess.run(cmd, check=True)
    return time.perf_counter() - t


def write_jsonl(path: Path, arts: list[Article]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for a in arts:
            fh.write(json.dumps({"id": a.id, "text": a.text}) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--lgl", action="store_true", help="slices of the LGL texts in ../shared")
    ap.add_argument("--parse", action="store_true", help="the full spaCy pipeline (places --parse)")
    a = ap.parse_args()

    arts = lgl_articles(a.articles) if a.lgl else make_articles(a.articles)
    n, n_words = len(arts), sum(len(x.text.split()) for x in arts)
    print(f"articles: {n} ({n_words / n:.0f} words each on average), workers: {a.workers}, "
          f"cpus: {os.cpu_count()}, spaCy: {'full pipeline' if a.parse else 'entity recogniser only'}")

    with tempfile.TemporaryDirectory() as tmp:
        one, many = Path(tmp) / "one.jsonl", Path(tmp) / "many.jsonl"
        write_jsonl(one, arts[:1])
        write_jsonl(many, arts)
        start = run_command(one, a.workers, a.parse)
        wall = run_command(many, a.workers, a.parse)
    print(f"command: {wall:.1f} s wall = {n / wall:.1f} articles/s; start-up {start:.1f} s; "
          f"less start-up {n / max(wall - start, 1e-9):.1f} articles/s")

    pipe = Pipeline.default()
    list(pipe.places_many(arts[:2], parse=a.parse))  # warm: model, gazetteer index
    t = time.perf_counter()
    n_mentions = sum(len(m) for _, m in pipe.places_many(arts, workers=a.workers, parse=a.parse))
    secs = time.perf_counter() - t
    print(f"pipeline: {n / secs:.1f} articles/s ({n_words / secs:,.0f} words/s), {n_mentions} mentions")

    nlp = pipe.places_nlp(a.parse)
    docs = list(nlp.pipe([x.text for x in arts], batch_size=16))
    t = time.perf_counter()
    for d in docs:
        pipe.places.find(d)
    secs = time.perf_counter() - t
    print(f"find alone: {n / secs:.1f} articles/s ({1000 * secs / n:.1f} ms each)")


if __name__ == "__main__":
    main()
