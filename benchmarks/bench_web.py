"""How fast web inputs are read: a feed of N pages served on 127.0.0.1 (fetched politely, main text by
trafilatura, language by Lingua), and the same pages from a WARC. Prints figures; nothing leaves 127.0.0.1.

    .venv/bin/python benchmarks/bench_web.py [N]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import localsite as ls  # noqa: E402

from fieldreport.io.fetch import FetchSettings  # noqa: E402
from fieldreport.io.language import detect  # noqa: E402
from fieldreport.io.pages import read_page  # noqa: E402
from fieldreport.io.readers import InputProblem, Reader  # noqa: E402


def main(n: int = 200) -> None:
    site = ls.serve()
    try:
        stories = []
        for i in range(n):
            base = ls.STORIES[i % len(ls.STORIES)]
            st = ls.Story(f"/bench/{i}.html", f"{base.title} ({i})", base.published, base.paragraphs, base.feed_date)
            site.add_page(st)
            stories.append(st)
        site.add("/bench.xml", ls.rss(stories, site.base), "application/rss+xml")
        detect("warm the language models up with an English sentence of enough words to judge")

        for per_host in (2, 8):
            t = time.perf_counter()
            with Reader(fetch=FetchSettings(per_host=per_host)) as reader:
                items = list(reader.read([site.base + "/bench.xml"]))
            dt = time.perf_counter() - t
            arts = [i for i in items if not isinstance(i, InputProblem)]
            print(f"feed of {n} pages, {per_host} per host: {len(arts)} articles in {dt:.2f} s "
                  f"({len(arts) / dt:.1f} pages/s: fetch + trafilatura + Lingua)")

        bodies = [site.routes[st.path][2] for st in stories]
        t = time.perf_counter()
        for st, body in zip(stories, bodies):
            read_page(body, site.base + st.path)
        dt = time.perf_counter() - t
        print(f"trafilatura alone: {dt / n * 1000:.1f} ms a page")

        texts = [" ".join(st.paragraphs) for st in stories]
        t = time.perf_counter()
        for text in texts:
            detect(text)
        dt = time.perf_counter() - t
        print(f"Lingua alone (English text): {dt / n * 1000:.2f} ms a page")

        with tempfile.TemporaryDirectory() as tmp:
            warc = Path(tmp) / "bench.warc.gz"
            ls.write_warc(warc, site, [st.path for st in stories])
            t = time.perf_counter()
            with Reader() as reader:
                arts = [i for i in reader.read([str(warc)]) if not isinstance(i, InputProblem)]
            dt = time.perf_counter() - t
            print(f"WARC of {n} pages ({warc.stat().st_size / 1e6:.1f} MB gzipped): {len(arts)} articles in "
                  f"{dt:.2f} s ({len(arts) / dt:.1f} pages/s)")
    finally:
        ls.stop(site)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
