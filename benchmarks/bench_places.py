"""Speed of ``PlaceExtractor.find``: articles per second on 400-word articles.

Articles are built from sentences written for this benchmark (or, with ``--lgl``, from the LGL
texts in ../shared read at run time). spaCy parsing is timed separately: the figure that
matters for the places extractor is ``find`` on an already parsed Doc.

    python benchmarks/bench_places.py [--n 100] [--lgl]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

SENTENCES = [
    "Government forces shelled Homs and the surrounding villages on Tuesday, residents said.",
    "Rebels in Idlib province said they had repelled an attack near Saraqib.",
    "A roadside bomb exploded outside Kirkuk, wounding two police officers.",
    "Ukrainian troops withdrew from Bakhmut after months of fighting in the Donetsk region.",
    "Protesters gathered in Lagos and Abuja to demand the release of detained activists.",
    "The army said it had retaken the town of Gao in northern Mali from armed groups.",
    "Officials in Kyiv said drones struck Pokrovsk overnight.",
    "Militia fighters attacked a market in El Fasher, in Sudan's North Darfur state.",
    "Police in Alexandria, La., arrested a man after a fire on Dublin Road.",
    "Turkish jets hit positions near Qamishli and Hasakah, a monitoring group said.",
    "Clashes broke out in Deir ez-Zor between tribal fighters and the SDF.",
    "In Mogadishu, a car bomb killed at least eight people near a hotel.",
]


def articles_from_sentences(n: int, words: int = 400) -> list[str]:
    rnd = random.Random(7)
    out = []
    for _ in range(n):
        parts: list[str] = []
        while sum(len(p.split()) for p in parts) < words:
            parts.append(rnd.choice(SENTENCES))
        out.append(" ".join(parts))
    return out


def articles_from_lgl(n: int, words: int = 400) -> list[str]:
    from fieldreport.eval.geoparse import read_geoparsing_xml

    path = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "geoparsing" / "lgl.xml"
    texts = [a.text for a in read_geoparsing_xml(path)]
    out, buf = [], []
    for t in texts:
        buf += t.split()
        while len(buf) >= words and len(out) < n:
            out.append(" ".join(buf[:words]))
            buf = buf[words:]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--lgl", action="store_true", help="use LGL texts from ../shared")
    a = ap.parse_args()

    from fieldreport.extract.places import PlaceExtractor
    from fieldreport.nlp import load_nlp

    t = time.perf_counter()
    ex = PlaceExtractor.default()
    print(f"extractor ready in {time.perf_counter() - t:.2f} s (gazetteer of {len(ex.gazetteer)} entries)")
    nlp = load_nlp()
    texts = articles_from_lgl(a.n) if a.lgl else articles_from_sentences(a.n)
    t = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=32))
    parse = time.perf_counter() - t
    ex.find(docs[0])  # warm caches
    t = time.perf_counter()
    n_mentions = sum(len(ex.find(d)) for d in docs)
    find = time.perf_counter() - t
    print(f"{len(docs)} articles of ~400 words, {n_mentions} mentions")
    print(f"find: {len(docs) / find:.1f} articles/s ({1000 * find / len(docs):.1f} ms each)")
    print(f"spaCy parse: {len(docs) / parse:.1f} articles/s; parse + find: "
          f"{len(docs) / (parse + find):.1f} articles/s")


if __name__ == "__main__":
    main()
