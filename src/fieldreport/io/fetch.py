"""Fetching pages and feeds over HTTP, politely: httpx with timeouts, retries with backoff, a size limit,
a user agent that says who we are, a few requests at once per host, and robots.txt respected.

Nothing is fetched that a user did not name (a URL, or the items of a feed they named). Every failure
comes back as a :class:`FetchFailure` naming its URL; the caller reports it and goes on.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit, urlunsplit, parse_qsl, urlencode
from urllib.robotparser import RobotFileParser

import httpx

from fieldreport import __version__

#: The name robots.txt rules are matched against.
ROBOTS_AGENT = "fieldreport"
USER_AGENT = f"fieldreport/{__version__} (offline coding of conflict news; obeys robots.txt)"

RETRY_STATUS = {429, 500, 502, 503, 504}
MAX_REDIRECTS = 5
#: The longest wait a server's Retry-After or Crawl-delay can impose on us.
MAX_WAIT_S = 30.0


@dataclass(frozen=True)
class FetchSettings:
    timeout: float = 20.0  # seconds, for connecting and for each read
    retries: int = 2  # further tries after a timeout, a dropped connection, 429 or 5xx
    backoff: float = 0.5  # seconds before the first retry; doubled each time
    max_bytes: int = 5_000_000  # a page or feed larger than this is refused
    per_host: int = 2  # requests at once to one host
    workers: int = 8  # requests at once in all
    user_agent: str = USER_AGENT
    robots: bool = True  # obey robots.txt


@dataclass
class Fetched:
    """A response we could use (200), or a 304 to a conditional request (``not_modified``)."""

    url: str  # the URL asked for
    final_url: str  # after redirects
    status: int
    content_type: str = ""
    charset: str | None = None
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True)
class FetchFailure:
    url: str
    message: str

    def __str__(self) -> str:
        return f"{self.url}: {self.message}"


@dataclass(frozen=True)
class Request:
    url: str
    etag: str | None = None
    last_modified: str | None = None


def is_url(name: str) -> bool:
    return name.lower().startswith(("http://", "https://"))


def normalize_url(url: str) -> str:
    """The URL an article is known by: scheme and host in lower case, no fragment, no tracking
    parameters (utm_*), so that one page reached through two links is one article."""
    parts = urlsplit(url.strip())
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not k.lower().startswith("utm_")])
    netloc = parts.netloc.lower()
    for default in (":80",) if parts.scheme.lower() == "http" else (":443",):
        if netloc.endswith(default):
            netloc = netloc[: -len(default)]
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", query, ""))


def _host(url: str) -> str:
    p = urlsplit(url)
    return f"{p.scheme.lower()}://{p.netloc.lower()}"


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        k, _, v = part.strip().partition("=")
        if k.lower() == "charset" and v:
            return v.strip("\"' ") or None
    return None


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return min(MAX_WAIT_S, max(0.0, float(value)))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return min(MAX_WAIT_S, max(0.0, when.timestamp() - time.time()))


class _Host:
    """What we know of one host: its robots.txt, how many requests to it may run at once, when the
    next one may start (Crawl-delay)."""

    def __init__(self, per_host: int) -> None:
        self.slots = threading.Semaphore(per_host)
        self.lock = threading.Lock()
        self.robots: RobotFileParser | None = None
        self.robots_problem: str | None = None  # robots.txt could not be read: nothing is fetched
        self.delay = 0.0
        self.next_start = 0.0


class Fetcher:
    """One polite HTTP client for a run. Thread-safe; use as a context manager."""

    def __init__(self, settings: FetchSettings | None = None) -> None:
        self.settings = s = settings or FetchSettings()
        self.client = httpx.Client(
            headers={"User-Agent": s.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(s.timeout),
            follow_redirects=False,
            limits=httpx.Limits(max_connections=max(s.workers, 1) + 2),
        )
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        self.requests = 0  # HTTP requests made, robots.txt included

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- public ------------------------------------------------------------------------------------

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched | FetchFailure:
        """GET one URL (following redirects, each checked against robots.txt). With ``etag`` or
        ``last_modified`` the request is conditional and may come back ``not_modified``. Never raises for
        a bad URL or a bad answer: that is a FetchFailure naming the URL."""
        try:
            return self._get(url, etag, last_modified)
        except (httpx.HTTPError, httpx.InvalidURL, ValueError, UnicodeError) as exc:
            return FetchFailure(url, f"{exc.__class__.__name__}: {exc}")

    def _get(self, url: str, etag: str | None, last_modified: str | None) -> Fetched | FetchFailure:
        if not is_url(url) or not urlsplit(url).netloc:
            return FetchFailure(url, "not an http(s) URL")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            why = self._robots_forbid(current)
            if why:
                return FetchFailure(url, why if current == url else f"redirected to {current}, which {why}")
            res = self._get_once(current, headers)
            if isinstance(res, FetchFailure):
                return FetchFailure(url, res.message if current == url else f"redirected to {current}: {res.message}")
            if isinstance(res, str):  # a redirect
                current = urljoin(current, res)
                continue
            res.url = url
            return res
        return FetchFailure(url, f"more than {MAX_REDIRECTS} redirects")

    def get_many(
        self, requests: Iterable[Request], on_done: Callable[[], None] | None = None
    ) -> Iterator[tuple[Request, Fetched | FetchFailure]]:
        """Fetch many URLs at once (at most ``per_host`` per host, ``workers`` in all); results in the order
        asked. ``on_done`` is called (from a fetching thread) as each one finishes."""
        reqs = list(requests)
        if not reqs:
            return

        def one(r: Request) -> Fetched | FetchFailure:
            try:
                return self.get(r.url, r.etag, r.last_modified)
            except Exception as exc:  # a bug or an odd answer must not end the whole batch
                return FetchFailure(r.url, f"{exc.__class__.__name__}: {exc}")
            finally:
                if on_done is not None:
                    on_done()

        pool = ThreadPoolExecutor(max_workers=max(1, self.settings.workers), thread_name_prefix="fetch")
        try:
            futures = [pool.submit(one, r) for r in reqs]
            for req, fut in zip(reqs, futures):
                yield req, fut.result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def allowed(self, url: str) -> bool:
        return self._robots_forbid(url) is None

    # -- one request, with retries ----------------------------------------------------------------

    def _host_of(self, url: str) -> _Host:
        key = _host(url)
        with self._hosts_lock:
            h = self._hosts.get(key)
            if h is None:
                h = self._hosts[key] = _Host(max(1, self.settings.per_host))
            return h

    def _get_once(self, url: str, headers: dict[str, str]) -> Fetched | FetchFailure | str:
        """One URL with retries. A redirect comes back as its Location (a string)."""
        s = self.settings
        host = self._host_of(url)
        last = "no answer"
        for attempt in range(s.retries + 1):
            wait = None
            with host.slots:
                self._pace(host)
                try:
                    res = self._request(url, headers)
                except httpx.TimeoutException:
                    last = f"timed out after {s.timeout:g} s"
                except httpx.TransportError as exc:
                    last = f"could not connect ({exc.__class__.__name__}: {exc})"
                except _TooLarge as exc:
                    return FetchFailure(url, str(exc))
                else:
                    if isinstance(res, (str, Fetched)):
                        return res
                    status, retry_after = res
                    if status not in RETRY_STATUS:
                        return FetchFailure(url, f"HTTP {status}")
                    last = f"HTTP {status}"
                    wait = retry_after
            if attempt < s.retries:
                time.sleep(wait if wait is not None else s.backoff * (2**attempt))
        tries = s.retries + 1
        return FetchFailure(url, f"{last} ({tries} tr{'y' if tries == 1 else 'ies'})")

    def _pace(self, host: _Host) -> None:
        """Keep to the host's Crawl-delay between the starts of requests."""
        if host.delay <= 0:
            return
        with host.lock:
            now = time.monotonic()
            start = max(now, host.next_start)
            host.next_start = start + host.delay
        if start > now:
            time.sleep(start - now)

    def _request(self, url: str, headers: dict[str, str]) -> Fetched | str | tuple[int, float | None]:
        """One HTTP exchange: a Fetched, a redirect's Location, or (status, Retry-After) of a failure."""
        self.requests += 1
        limit = self.settings.max_bytes
        with self.client.stream("GET", url, headers=headers) as r:
            if r.status_code in (301, 302, 303, 307, 308) and r.headers.get("location"):
                return r.headers["location"]
            if r.status_code == 304:
                return Fetched(url, str(r.url), 304, etag=r.headers.get("etag"),
                               last_modified=r.headers.get("last-modified"))
            if r.status_code != 200:
                return r.status_code, _retry_after(r.headers.get("retry-after"))
            declared = r.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise _TooLarge(f"{int(declared):,} bytes, over the limit of {limit:,}")
            chunks: list[bytes] = []
            size = 0
            for chunk in r.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise _TooLarge(f"over the limit of {limit:,} bytes")
                chunks.append(chunk)
            ctype = r.headers.get("content-type", "")
            return Fetched(
                url, str(r.url), 200, content_type=ctype.split(";")[0].strip().lower(), charset=_charset(ctype),
                body=b"".join(chunks), etag=r.headers.get("etag"), last_modified=r.headers.get("last-modified"),
            )

    # -- robots.txt -------------------------------------------------------------------------------

    def _robots_forbid(self, url: str) -> str | None:
        """Why robots.txt forbids this URL, or None when it may be fetched."""
        if not self.settings.robots:
            return None
        host = self._host_of(url)
        with host.lock:
            if host.robots is None and host.robots_problem is None:
                self._read_robots(url, host)
        if host.robots_problem:
            return host.robots_problem
        assert host.robots is not None
        if not host.robots.can_fetch(ROBOTS_AGENT, url):
            return f"robots.txt of {_host(url)} disallows it"
        return None

    def _read_robots(self, url: str, host: _Host) -> None:
        """RFC 9309: a robots.txt that is missing (4xx) allows everything; one the server fails to give
        (5xx) forbids everything on the host for this run. When no answer comes at all (no connection,
        a dropped one, a timeout), the page itself is asked for next and its own failure is named."""
        robots_url = _host(url) + "/robots.txt"
        rp = RobotFileParser(robots_url)
        res: Fetched | FetchFailure | str = FetchFailure(robots_url, "too many redirects")
        target = robots_url
        for _ in range(MAX_REDIRECTS + 1):
            res = self._get_once(target, {})
            if not isinstance(res, str):
                break
            target = urljoin(target, res)
        if isinstance(res, Fetched):
            text = res.body.decode(res.charset or "utf-8", errors="replace")
            rp.parse(text.splitlines())
        elif isinstance(res, FetchFailure) and res.message.startswith("HTTP 5"):
            host.robots_problem = (f"robots.txt of {_host(url)} could not be read ({res.message}), so nothing "
                                   "there is fetched")
            return
        else:
            rp.parse([])  # missing, or no answer at all: nothing forbids the page
        delay = rp.crawl_delay(ROBOTS_AGENT)
        if delay:
            host.delay = min(float(delay), MAX_WAIT_S)
        host.robots = rp


class _TooLarge(Exception):
    pass
