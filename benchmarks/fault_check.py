"""Fault check: one store, many processes; interruptions; kill -9; huge texts; unread files named.

    .venv/bin/python benchmarks/fault_check.py [--n 600] [--workers 2] [--shared ../shared] [--keep DIR]

Articles are written at run time from UCDP GED rows in ../shared/data/ucdp (facts only: place, date, sides,
deaths; the sentences are this script's own), so nothing of ../shared is copied into the repository. Each
check runs the real `fieldreport` command in subprocesses and prints what it found; the last line says
how many checks passed. Exit 0 when all pass, 1 otherwise.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fieldreport.io.store import integrity, is_whole

ROOT = Path(__file__).resolve().parents[1]
EXE = str(Path(sys.executable).with_name("fieldreport"))
RESULTS: list[tuple[str, bool, str]] = []
BATCH = 100  # articles per transaction (the CLI's default is 200)


def check(name: str, ok: bool, detail: str) -> None:
    RESULTS.append((name, ok, detail))
    print(f"[{'PASS' if ok else 'FAIL'}] {name}: {detail}", flush=True)


# ------------------------------------------------------------------------------------------------
# articles


def _num(v: str) -> int:
    try:
        return int(float(v))
    except ValueError:
        return 0


def write_articles(shared: Path, n: int) -> list[dict]:
    """``n`` short news articles, written from UCDP rows (facts) in this script's own sentences."""
    rows: list[dict] = []
    for f in sorted((shared / "data" / "ucdp").glob("ucdp_ged_*.csv")):
        with f.open(encoding="utf-8") as fh:
            country = f.stem.split("_")[2].title()  # ucdp_ged_<country>_<years>
            rows.extend({**r, "country": r.get("country") or country} for r in csv.DictReader(fh)
                        if r.get("source_headline") and r.get("latitude"))
    if len(rows) < n:
        sys.exit(f"only {len(rows)} usable UCDP rows in {shared}/data/ucdp; need {n}")
    rng = random.Random(12)
    picked = rng.sample(rows, n)
    out = []
    for i, r in enumerate(picked):
        place = (r.get("where_coordinates") or "").split(" village")[0].split(" town")[0].strip() or r["adm_1"]
        deaths, civ = _num(r.get("best", "")), _num(r.get("deaths_civilians", ""))
        day = r["date_start"][:10]
        if "." in day:  # one file writes DD.MM.YYYY
            d, m, y = day.split(".")
            day = f"{y}-{int(m):02d}-{int(d):02d}"
        said = rng.choice(["officials said", "local sources reported", "a monitoring group said"])
        lines = [
            f"{place}, {r['country']} -- Fighting between {r['side_a']} and {r['side_b']} was reported near "
            f"{place} in {r['adm_1']} on {day}, {said}.",
            (f"{deaths} people were killed" + (f", {civ} of them civilians" if civ else "") + ".")
            if deaths else "No deaths were reported.",
            f"Residents of {r.get('adm_2') or r['adm_1']} said the area had been tense for weeks.",
        ]
        out.append({
            "id": f"fc-{i:04d}", "title": r["source_headline"], "published": day,
            "outlet": "Fault Check Wire", "text": "\n\n".join(lines),
        })
    return out


def long_article(articles: list[dict], chars: int) -> dict:
    """One article of about ``chars`` characters: the paragraphs of many, one after another."""
    parts, size, i = [], 0, 0
    while size < chars:
        a = articles[i % len(articles)]
        parts.append(a["text"])
        size += len(a["text"]) + 2
        i += 1
    text = "\n\n".join(parts)[:chars]
    return {"id": f"long-{chars}", "published": "2019-06-01", "text": text}


def write_jsonl(path: Path, articles: list[dict]) -> Path:
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------------
# running fieldreport


def fr(*args: str, timeout: float = 1800) -> subprocess.CompletedProcess:
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=timeout)


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([EXE, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(p: subprocess.Popen, timeout: float = 1800) -> tuple[int, str, str]:
    out, err = p.communicate(timeout=timeout)
    return p.returncode, out, err


def counts(db: Path) -> dict:
    """What the store holds, read directly (read-only)."""
    return integrity(db)


def same_store(a: dict, b: dict) -> bool:
    keys = ("articles", "records", "events")
    return all(a[k] == b[k] for k in keys)


def healthy(c: dict) -> bool:
    return is_whole(c)


def brief(c: dict) -> str:
    return f"{c['articles']} articles, {c['records']} records, {c['events']} events"


def ingest_args(src: Path, db: Path, workers: int, *more: str) -> list[str]:
    return ["ingest", str(src), "--db", str(db), "--quiet", "--workers", str(workers), "--batch", str(BATCH), *more]


def wait_for_articles(db: Path, proc: subprocess.Popen, at_least: int, limit: float) -> bool:
    """Poll (as a reader would) until the store holds ``at_least`` articles."""
    t0 = time.time()
    while time.time() - t0 < limit and proc.poll() is None:
        try:
            if db.exists() and counts(db)["articles"] >= at_least:
                return True
        except Exception:  # held by the writer this instant: a reader tries again
            pass
        time.sleep(0.3)
    return False


# ------------------------------------------------------------------------------------------------
# the checks


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--keep", help="Keep the work folder here.")
    ap.add_argument("--skip-long", action="store_true", help="Leave out the 1,000,000-character check.")
    ap.add_argument("--only", help="Comma-separated checks to run after the clean run: two, show, ctrlc, kill, "
                                   "long, dir (default: all).")
    args = ap.parse_args()
    chosen = set(args.only.split(",")) if args.only else {"two", "show", "ctrlc", "kill", "long", "dir"}
    if args.skip_long:
        chosen.discard("long")

    def want(name: str) -> bool:
        return name in chosen

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="fault-check-"))
    work.mkdir(parents=True, exist_ok=True)
    arts = write_articles(Path(args.shared), args.n)
    src = write_jsonl(work / "articles.jsonl", arts)
    half_a = write_jsonl(work / "a.jsonl", arts[: args.n // 2])
    half_b = write_jsonl(work / "b.jsonl", arts[args.n // 2 :])
    w = args.workers
    print(f"{len(arts)} articles in {src}; fieldreport {EXE}; workers {w}", flush=True)

    # 0. a clean run: the reference
    clean = work / "clean.duckdb"
    t0 = time.time()
    r = fr(*ingest_args(src, clean, w))
    t_clean = time.time() - t0
    ref = counts(clean)
    tally = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ""
    check("clean run", r.returncode in (0, 3) and healthy(ref),
          f"exit {r.returncode} in {t_clean:.1f} s: {brief(ref)}; last line: {tally!r}")

    # 1. two ingests at once (the two halves), and the same file twice at once
    if want("two"):
        db = work / "two.duckdb"
        p1, p2 = start(*ingest_args(half_a, db, w)), start(*ingest_args(half_b, db, w))
        (c1, _, e1), (c2, _, e2) = finish(p1), finish(p2)
        got = counts(db)
        waited = "waiting" in (e1 + e2)
        check("two ingests at once (two halves)", c1 == 0 and c2 == 0 and same_store(got, ref) and healthy(got),
              f"exits {c1}, {c2}; one said it waited: {waited}; {brief(got)} vs sequential {brief(ref)}")
        db = work / "twice.duckdb"
        p1, p2 = start(*ingest_args(src, db, w)), start(*ingest_args(src, db, w))
        (c1, _, e1), (c2, _, e2) = finish(p1), finish(p2)
        got = counts(db)
        check("two ingests at once (same file)", c1 == 0 and c2 == 0 and same_store(got, ref) and healthy(got),
              f"exits {c1}, {c2}; {brief(got)}; second: {[x for x in (e1 + e2).splitlines() if 'Skipped' in x]}")

    # 2. show (and export, events) during an ingest
    if want("show"):
        db = work / "show.duckdb"
        p = start(*ingest_args(src, db, w))
        wait_for_articles(db, p, 1, 600)
        codes = []
        while p.poll() is None:
            for cmd in (["show", "--db", str(db)], ["export", "--events", "-f", "jsonl", "--db", str(db)],
                        ["events", "--db", str(db)]):
                codes.append(fr(*cmd).returncode)
        finish(p)
        check("show/export/events during an ingest", bool(codes) and all(c == 0 for c in codes),
              f"{len(codes)} reads, exit codes {sorted(set(codes))}")

    # 3. Ctrl-C, then a re-run
    if want("ctrlc"):
        db = work / "ctrlc.duckdb"
        p = start(*ingest_args(src, db, w))
        t_start = time.time()
        reached = wait_for_articles(db, p, min(BATCH, args.n // 4), 600)
        print(f"  (SIGINT after {time.time() - t_start:.1f} s; store reached {min(BATCH, args.n // 4)} articles: "
              f"{reached}; still running: {p.poll() is None})", flush=True)
        p.send_signal(signal.SIGINT)
        code, _, err = finish(p)
        mid = counts(db)
        msg = [x for x in err.splitlines() if "run again" in x]
        check("Ctrl-C stops cleanly", code == 130 and bool(msg) and healthy(mid) and mid["events"] > 0 and reached,
              f"exit {code}; {msg[:1]}; left {brief(mid)}; every record in an event: {mid['records_without_event'] == 0}; "
              f"traceback: {'Traceback' in err}")
        t0 = time.time()
        r = fr(*ingest_args(src, db, w))
        t_rerun = time.time() - t0
        got = counts(db)
        skipped = [x for x in r.stderr.splitlines() if "Skipped" in x]
        check("re-run after Ctrl-C completes the store", r.returncode == 0 and same_store(got, ref) and healthy(got)
              and t_rerun < t_clean, f"exit {r.returncode} in {t_rerun:.1f} s (clean run {t_clean:.1f} s); "
              f"{brief(got)}; {skipped[:1]}")

    # 4. kill -9 at a random moment, then a re-run (three times)
    if want("kill"):
        rng = random.Random(7)
        for k in range(3):
            db = work / f"kill{k}.duckdb"
            p = start(*ingest_args(src, db, w))
            wait_for_articles(db, p, 1, 600) if k else None
            time.sleep(rng.uniform(0.0, max(1.0, t_clean * 0.6)))
            p.kill()
            finish(p)
            try:
                mid = counts(db) if db.exists() else None
                opens = True
            except Exception as exc:  # noqa: BLE001
                mid, opens = None, f"{type(exc).__name__}: {exc}"
            r = fr(*ingest_args(src, db, w))
            got = counts(db)
            check(f"kill -9 #{k + 1} then a re-run", opens is True and (mid is None or healthy(mid))
                  and r.returncode == 0 and same_store(got, ref) and healthy(got),
                  f"after the kill: {brief(mid) if mid else 'no store yet'} (opens: {opens}); "
                  f"re-run exit {r.returncode}: {brief(got)}, duplicates: {got['duplicate_records']}")

    # 5. a 1,000,000-character article
    if want("long"):
        if True:
            times = {}
            for chars in (100_000, 1_000_000):
                f = write_jsonl(work / f"long{chars}.jsonl", [long_article(arts, chars)])
                db = work / f"long{chars}.duckdb"
                t0 = time.time()
                p = subprocess.Popen([EXE, *ingest_args(f, db, 1, "--max-chars", "2000000")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                err = p.stderr.read()
                _, status, usage = os.wait4(p.pid, 0)
                code = os.waitstatus_to_exitcode(status)
                times[chars] = (time.time() - t0, usage.ru_maxrss / 1024 / 1024, code, "Traceback" in err,
                                counts(db)["records"] if db.exists() else 0)
            (t1, m1, c1, tb1, n1), (t2, m2, c2, tb2, n2) = times[100_000], times[1_000_000]
            check("1,000,000-character article", c2 in (0, 3) and not tb2 and t2 < 15 * t1 and m2 < 2.5,
                  f"100k: {t1:.1f} s, {m1:.2f} GB, exit {c1}, {n1} records; 1M: {t2:.1f} s ({t2 / t1:.1f}x), "
                  f"{m2:.2f} GB, exit {c2}, {n2} records, traceback: {tb2}")

    # 6. a directory with files that are not read
    if want("dir"):
        d = work / "folder"
        d.mkdir(exist_ok=True)
        write_jsonl(d / "good.jsonl", arts[:3])
        (d / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
        (d / "README").write_text("What this folder is.\n")
        (d / "notes").write_text("to do\n")
        (d / "empty.jsonl").write_text("")
        (d / "empty.txt").write_text("")
        (d / ".hidden.txt").write_text("hidden\n")
        r = fr("ingest", str(d), "--db", str(work / "dir.duckdb"), "--quiet", "--workers", "1")
        unread = ["photo.png", "README", "notes", "empty.jsonl", "empty.txt", ".hidden.txt"]
        named = {n: any(n in line and "skipped" in line for line in r.stderr.splitlines()) for n in unread}
        check("a directory's unread files are each named", r.returncode == 3 and all(named.values()),
              f"exit {r.returncode}; named: {named}; last line: {r.stderr.strip().splitlines()[-1]!r}")

    passed = sum(ok for _, ok, _ in RESULTS)
    print(f"{passed} of {len(RESULTS)} checks passed; work folder {work}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if passed == len(RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
