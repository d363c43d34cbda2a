"""Benchmark: consolidate synthetic records into events; time, peak memory, pairs compared.

    python benchmarks/bench_consolidate.py                 # 100,000 records, seed 13
    python benchmarks/bench_consolidate.py --n 25000       # another size
    python benchmarks/bench_consolidate.py --scaling       # 25k, 50k, 100k in fresh processes
    python benchmarks/bench_consolidate.py --batches 50    # incremental: 50 ingests of 2,000

The synthetic world: a few years of events over a region the size of eastern Ukraine, each event
told by 1-5 reports; a report may shift the date by a day, the place by a few km, coarsen the place
to its province or only the country, tell a compatible type (shelling vs air strike) or another
figure. The bar: 100,000 records merged in under 2 minutes on 2 cores, and memory that grows with
the number of records, not its square. The grouping is also scored against the synthetic truth
(B-cubed), as a sanity check of the matcher.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from datetime import date

from fieldreport.events.grouping import Consolidator
from fieldreport.eval.grouping import score_grouping
from fieldreport.schema.records import EventRecord

SUBS = [
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Battles", "Armed clash"),
    ("Violence against civilians", "Attack"),
    ("Protests", "Peaceful protest"),
    ("Strategic developments", "Arrests"),
]
SUB_WEIGHTS = [40, 10, 30, 8, 8, 4]
TYPE_OF = dict((s, e) for e, s in SUBS)
COMPATIBLE = {
    "Shelling/artillery/missile attack": "Air/drone strike",
    "Air/drone strike": "Shelling/artillery/missile attack",
}
ACTORS = ["Military Forces of A", "Rebels of B", "Militia C", "Police Forces of A", "Civilians (A)"]


def synthesize(n_records: int, seed: int = 13, span_days: int = 3 * 365) -> tuple[list[EventRecord], dict[str, int]]:
    """``n_records`` records (seeded) and the true event of each record id."""
    rnd = random.Random(seed)
    # 12 provinces, each a 1.5 x 2 degree box around 46-50 N, 30-40 E, with 40 towns each
    provinces = []
    for p in range(12):
        lat0, lon0 = 46.0 + (p // 4) * 1.5, 30.0 + (p % 4) * 2.5
        towns = [(lat0 + rnd.random() * 1.5, lon0 + rnd.random() * 2.0) for _ in range(40)]
        provinces.append((f"Province {p}", towns))
    day0 = date(2014, 1, 1).toordinal()
    records: list[EventRecord] = []
    truth: dict[str, int] = {}
    event = 0
    while len(records) < n_records:
        event += 1
        etype_sub = rnd.choices(SUBS, SUB_WEIGHTS)[0]
        prov, towns = rnd.choice(provinces)
        lat, lon = rnd.choice(towns)
        day = day0 + rnd.randint(0, span_days)
        deaths = rnd.choice([0, 0, 1, 2, 3, 5, 8, 12, 20])
        a1, a2 = rnd.sample(ACTORS, 2)
        for j in range(rnd.choice([1, 1, 1, 2, 2, 3, 4, 5])):
            if len(records) >= n_records:
                break
            article = f"art-{event}-{j}"
            sub = etype_sub[1]
            if sub in COMPATIBLE and rnd.random() < 0.15:
                sub = COMPATIBLE[sub]
            d = day + (rnd.choice([-1, 1]) if rnd.random() < 0.1 else 0)
            precision = 2 if rnd.random() < 0.05 else 1
            coarse = rnd.random()
            if coarse < 0.7:
                plat, plon, gp = lat + rnd.gauss(0, 0.02), lon + rnd.gauss(0, 0.02), 1
            else:
                plat = plon = None
                gp = 3
            admin1 = prov if coarse < 0.92 else None
            f = deaths if rnd.random() < 0.7 else max(0, deaths + rnd.randint(-2, 3))
            rid = EventRecord.make_id(article, 0, sub)
            records.append(
                EventRecord(
                    article_id=article,
                    record_id=rid,
                    event_date=date.fromordinal(d).isoformat(),
                    time_precision=precision,
                    event_type=TYPE_OF[sub],
                    sub_event_type=sub,
                    actor1=a1 if rnd.random() < 0.8 else None,
                    actor2=a2 if rnd.random() < 0.6 else None,
                    country="Country A",
                    iso3="AAA",
                    admin1=admin1,
                    location=None if plat is None else f"Town {lat:.3f}",
                    latitude=plat,
                    longitude=plon,
                    geo_precision=gp,
                    fatalities=f,
                    source=f"Outlet {rnd.randint(1, 30)}",
                    confidence=round(rnd.random(), 3),
                )
            )
            truth[rid] = event
    return records, truth


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run(n: int, seed: int, batches: int, span_days: int) -> dict:
    t0 = time.perf_counter()
    records, truth = synthesize(n, seed, span_days)
    t1 = time.perf_counter()
    rss_before = peak_rss_mb()
    cons = Consolidator()
    size = max(1, len(records) // batches)
    for i in range(0, len(records), size):
        cons.add(records[i : i + size])
    t2 = time.perf_counter()
    pred = {rid: ev.event_id for ev in cons.events() for rid in ev.record_ids}
    scores = score_grouping(pred, truth)
    return {
        "records": len(records),
        "true_events": len(set(truth.values())),
        "events": len(cons),
        "batches": batches,
        "span_days": span_days,
        "generate_s": round(t1 - t0, 1),
        "consolidate_s": round(t2 - t1, 1),
        "pairs_compared": cons.comparisons,
        "pairs_per_record": round(cons.comparisons / len(records), 2),
        "peak_rss_mb_after_generate": round(rss_before, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "bcubed_vs_truth": scores,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--batches", type=int, default=1, help="ingest in this many batches (incremental)")
    ap.add_argument("--span-days", type=int, default=3 * 365, help="days the synthetic events spread over")
    ap.add_argument(
        "--scaling",
        action="store_true",
        help="run 25k, 50k, 100k in fresh processes, twice: same span (density grows) and span grown with n",
    )
    args = ap.parse_args()
    if args.scaling:
        for fixed_density in (False, True):
            for n in (25_000, 50_000, 100_000):
                span = args.span_days * n // 100_000 if fixed_density else args.span_days
                cmd = [sys.executable, __file__, "--n", str(n), "--seed", str(args.seed)]
                cmd += ["--batches", str(args.batches), "--span-days", str(span)]
                out = subprocess.run(cmd, capture_output=True, text=True, check=True)
                print(out.stdout.strip())
        return
    print(json.dumps(run(args.n, args.seed, args.batches, args.span_days)))


if __name__ == "__main__":
    main()
