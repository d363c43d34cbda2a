"""How much of a coded data set's `source` column the outlet registry knows.

    python scripts/outlet_coverage.py /work/acled/acled_benin_dev.csv [--outlets FILE] [--missing]

Splits each row's `source` on "; ", drops ACLED's "Undisclosed Source", and prints the share of
source mentions and of distinct source names that `OutletRegistry.get` resolves, with the kinds it
found. `--missing` lists the names it does not know (use it on _dev files only).
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter

from fieldreport.sources.outlets import OutletRegistry

UNDISCLOSED = {"undisclosed source", ""}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+")
    ap.add_argument("--outlets", default=None)
    ap.add_argument("--missing", action="store_true")
    args = ap.parse_args()
    reg = OutletRegistry.load([args.outlets] if args.outlets else None, use_env=False)
    for f in args.files:
        with open(f, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        if not rows or "source" not in rows[0]:
            print(f"{f}: no source column")
            continue
        mentions: Counter[str] = Counter()
        for r in rows:
            for s in (r.get("source") or "").split(";"):
                s = s.strip()
                if s.casefold() not in UNDISCLOSED:
                    mentions[s] += 1
        known = {s: reg.get(s) for s in mentions}
        hit_m = sum(n for s, n in mentions.items() if known[s])
        hit_d = sum(1 for s in mentions if known[s])
        kinds = Counter(known[s].kind for s, n in mentions.items() for _ in range(n) if known[s])
        print(f"{f}: {len(rows)} rows; source mentions known {hit_m}/{sum(mentions.values())} "
              f"({hit_m / max(1, sum(mentions.values())):.3f}); distinct names known {hit_d}/{len(mentions)} "
              f"({hit_d / max(1, len(mentions)):.3f}); kinds {dict(kinds.most_common())}")
        if args.missing:
            for s, n in mentions.most_common():
                if not known[s]:
                    print(f"  unknown: {s} ({n})")


if __name__ == "__main__":
    main()
