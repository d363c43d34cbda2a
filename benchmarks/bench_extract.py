"""Throughput of `fieldreport extract` on 500 articles of about 400 words.

Run: .venv/bin/python benchmarks/bench_extract.py [--articles 500] [--workers 2] [--rounds 3]
Prints articles per second for the whole pipeline (spaCy + every extractor + record assembly),
measured the way the CLI runs it (Pipeline.extract_many), after loading the resources once, and
its ratio to a bare spaCy pass (the same pipeline's nlp.pipe over the same texts with the same
number of processes): how much the extractors cost on top of parsing (1.0 = nothing). Each pass is
timed by the clock and by the CPU time it used (this process and its workers): on a machine shared
with other work the clock ratio swings, the CPU ratio holds.
The articles are the project's own examples, each padded to ~400 words with another example's
background paragraphs, so every article is different text.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

from fieldreport import Article, Pipeline
from fieldreport.io.readers import InputProblem, iter_inputs

ROOT = Path(__file__).resolve().parent.parent


def make_articles(n: int, words: int = 400) -> list[Article]:
    base = [a for a in iter_inputs([str(ROOT / "examples")]) if not isinstance(a, InputProblem)]
    out = []
    for i in range(n):
        a, b = base[i % len(base)], base[(i * 7 + 3) % len(base)]
        text = a.text
        extra = [p for p in b.text.split("\n\n") if p.strip()][::-1]
        while len(text.split()) < words and extra:
            text += "\n\n" + extra.pop()
        text = " ".join(text.split(" ")[: words + 40])
        out.append(Article(id=f"bench-{i}", text=text, published=a.published, outlet=a.outlet))
    return out


def cpu_seconds() -> float:
    """CPU time used so far by this process and its finished workers (user + system)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--rounds", type=int, default=1,
                    help="run both passes this many times, alternating (on a busy machine the ratio of each "
                         "round, measured minutes apart at most, is steadier than either figure)")
    args = ap.parse_args()
    arts = make_articles(args.articles)
    n_words = sum(len(a.text.split()) for a in arts)
    t0 = time.perf_counter()
    pipe = Pipeline.default()
    pipe.extract(arts[0])  # warm: gazetteer index, lexicons
    t1 = time.perf_counter()
    print(f"load: {t1 - t0:.1f} s")
    print(f"articles: {len(arts)} ({n_words / len(arts):.0f} words each on average)")
    print(f"workers: {args.workers}, cpus: {os.cpu_count()}")
    ratios, cpu_ratios = [], []
    for r in range(args.rounds):
        c1, t1 = cpu_seconds(), time.perf_counter()
        n_rec = sum(len(recs) for _, recs in pipe.extract_many(arts, workers=args.workers))
        c2, t2 = cpu_seconds(), time.perf_counter()
        for _ in pipe.nlp.pipe((a.text for a in arts), batch_size=32, n_process=args.workers):
            pass
        c3, t3 = cpu_seconds(), time.perf_counter()
        ratios.append((t2 - t1) / (t3 - t2))
        cpu_ratios.append((c2 - c1) / (c3 - c2))
        load = f", load average {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else ""
        print(f"round {r + 1}{load}: records: {n_rec}")
        print(f"  extract: {t2 - t1:.1f} s = {len(arts) / (t2 - t1):.1f} articles/s ({n_words / (t2 - t1):,.0f} words/s); "
              f"CPU {c2 - c1:.1f} s")
        print(f"  bare spaCy pass: {t3 - t2:.1f} s = {len(arts) / (t3 - t2):.1f} articles/s; CPU {c3 - c2:.1f} s")
        print(f"  ratio extract / bare spaCy: {ratios[-1]:.2f} (CPU time: {cpu_ratios[-1]:.2f})")
    if args.rounds > 1:
        print(f"ratio extract / bare spaCy, median of {args.rounds} rounds: {statistics.median(ratios):.2f} "
              f"(CPU time: {statistics.median(cpu_ratios):.2f})")
    sys.exit(0)


if __name__ == "__main__":
    main()
