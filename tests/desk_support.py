"""Helpers for the desk's tests: a store ingested the way a user ingests, and `fieldreport serve`
started the way a user starts it (a subprocess on 127.0.0.1 and a free port)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "tests" / "fixtures" / "desk" / "articles.jsonl"
FIELDREPORT = [sys.executable, "-m", "fieldreport"]

_base: dict[str, Path] = {}


def cli(*args: str, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*FIELDREPORT, *args], capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})}
    )


def ingest(db: Path, articles: Path = ARTICLES, force: bool = False) -> None:
    """`fieldreport ingest`; with ``force``, articles stored unchanged are extracted and written again."""
    done = cli("ingest", str(articles), "--db", str(db), "--quiet", "--workers", "1", *(["--force"] if force else []))
    assert done.returncode == 0, done.stderr[-2000:]


def base_store(tmp_root: Path) -> Path:
    """The articles ingested once per test session; each caller gets its own copy."""
    if "db" not in _base:
        db = tmp_root / "desk-base.duckdb"
        ingest(db)
        _base["db"] = db
    return _base["db"]


def store_copy(tmp_root: Path, name: str) -> Path:
    src = base_store(tmp_root)
    dst = tmp_root / f"{name}.duckdb"
    shutil.copyfile(src, dst)
    return dst


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`fieldreport serve --db DB --port P [--token T]` in a subprocess, stopped on exit."""

    def __init__(
        self, db: Path, token: str | None = "test-token", env: dict | None = None, ready: tuple[int, ...] = (200,)
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = [*FIELDREPORT, "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(self.port)]
        if token:
            args += ["--token", token]
        full_env = {**os.environ, **(env or {})}
        if token is None and "FIELDREPORT_TOKEN" not in (env or {}):
            full_env.pop("FIELDREPORT_TOKEN", None)
        self.log = db.with_suffix(".serve.log")
        self._log = open(self.log, "w")
        self.proc = subprocess.Popen(args, stdout=self._log, stderr=subprocess.STDOUT, env=full_env)
        deadline = time.monotonic() + 90
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"fieldreport serve exited {self.proc.returncode}: {self.output()}")
            try:
                if httpx.get(self.url + "/api", timeout=2).status_code in ready:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"fieldreport serve did not answer in 90 s: {self.output()}")
            time.sleep(0.3)

    def output(self) -> str:
        self._log.flush()
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
