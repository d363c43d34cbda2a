"""A small news site served on 127.0.0.1 for the tests: story pages wrapped in the furniture of a real
outlet (navigation, adverts, a comment thread, related-article links, a footer), an RSS feed, robots.txt,
and URLs that are slow, failing, huge or forbidden. Every word here was written for these tests.
"""

from __future__ import annotations

import io
import threading
import time
from dataclasses import dataclass, field
from email.utils import format_datetime
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

OUTLET = "Sahel Courier"

#: Words of the page furniture: none may reach an article's text.
FURNITURE = [
    "Subscribe to our newsletter",
    "Sign in",
    "Advertisement",
    "Cheap flights to Lisbon",
    "Most read this week",
    "Floods close the market in Niamey",
    "Fuel prices rise again in Bamako",
    "reader_amadou",
    "Thanks for this reporting",
    "Leave a comment",
    "All rights reserved",
    "Privacy policy",
    "Share on social media",
]


@dataclass
class Story:
    path: str
    title: str
    published: str | None  # ISO date on the page itself; None: the page carries no date
    paragraphs: list[str]
    feed_date: datetime | None = None
    lang: str = "en"


STORIES = [
    Story(
        "/news/2024/05/12/mopti-village-attack.html",
        "Gunmen kill twelve villagers in central Mali",
        "2024-05-12",
        [
            "Armed men on motorcycles attacked the village of Ouenkoro in Mali's Mopti region on Saturday, "
            "killing twelve civilians and burning granaries, local officials said.",
            "The attackers arrived shortly after dawn and fired on residents who were gathering at the "
            "weekly market, according to a municipal councillor who asked not to be named for his safety.",
            "Survivors fled towards the town of Bankass, where aid workers said more than three hundred "
            "families had arrived by Sunday evening with little food or water.",
            "No group has claimed responsibility for the killings. Jihadist fighters and self-defence "
            "militias have been blamed for a string of similar raids in the area since the start of the year.",
        ],
        datetime(2024, 5, 12, 18, 30, tzinfo=timezone.utc),
    ),
    Story(
        "/news/2024/05/13/kaduna-school-abduction.html",
        "Students abducted from a school in Kaduna State",
        "2024-05-13",
        [
            "Gunmen abducted at least twenty students from a secondary school in Kajuru, in Nigeria's "
            "Kaduna State, on Monday night, the state police command said on Tuesday.",
            "A police spokesman said officers exchanged fire with the kidnappers and that one guard was "
            "wounded during the attack on the boarding school.",
            "Parents gathered outside the school gates on Tuesday morning as soldiers and vigilantes "
            "searched the forests to the south of the town for the missing students.",
            "Kidnappings for ransom have become frequent across north-western Nigeria, where armed gangs "
            "operate from camps in remote woodland and along the main highways.",
        ],
        datetime(2024, 5, 14, 7, 0, tzinfo=timezone.utc),
    ),
    Story(
        "/news/2024/05/15/goma-shelling.html",
        "Shells hit a displacement camp near Goma",
        "2024-05-15",
        [
            "Artillery shells struck a camp for displaced people on the western edge of Goma in the "
            "Democratic Republic of Congo on Wednesday, killing at least five people, the army said.",
            "A spokesman for the armed forces blamed M23 rebels for the shelling, while the rebel group "
            "said government troops had fired first from positions near the airport.",
            "Doctors at the main hospital in Goma said they had treated more than twenty wounded people, "
            "most of them women and children who had been queuing for water.",
            "Hundreds of thousands of people have fled fighting in North Kivu province over the past two "
            "years, crowding into camps around the provincial capital.",
        ],
        datetime(2024, 5, 15, 12, 0, tzinfo=timezone.utc),
    ),
]

#: A story whose page gives no date and a bare title: the feed's date and title are used.
UNDATED = Story(
    "/news/undated-niger-protest.html",
    "Thousands march in Niamey over fuel shortages",
    None,
    [
        "Thousands of people marched through the centre of Niamey, the capital of Niger, to protest "
        "against fuel shortages that have left long queues at filling stations for weeks.",
        "The march passed off peacefully, organisers said, although police fired tear gas to disperse "
        "a smaller group that tried to block the road leading to the national assembly.",
        "Union leaders said they would call a general strike if supplies were not restored within ten "
        "days, and urged the transitional authorities to publish the terms of new import contracts.",
    ],
    datetime(2024, 5, 16, 9, 0, tzinfo=timezone.utc),
)

FRENCH = Story(
    "/news/fr/manifestation-dakar.html",
    "Manifestation à Dakar",
    "2024-05-17",
    [
        "Des milliers de personnes ont manifesté mardi dans les rues de Dakar pour réclamer la libération "
        "de plusieurs militants arrêtés la semaine dernière par la police.",
        "Les manifestants ont défilé dans le calme jusqu'à la place de la Nation, selon les organisateurs, "
        "qui ont appelé à une nouvelle journée de mobilisation la semaine prochaine.",
    ],
    datetime(2024, 5, 17, 9, 0, tzinfo=timezone.utc),
    lang="fr",
)


def page_html(story: Story, base: str) -> str:
    """A story page the way outlets build them: the story sits among menus, adverts, related links
    and a comment thread."""
    date_meta = (
        f'<meta property="article:published_time" content="{story.published}T08:00:00+00:00">\n'
        if story.published else ""
    )  # fmt: skip
    # an undated page here is also a bare one: no title element, no headings
    title = f"<title>{escape(story.title)} | {OUTLET}</title>" if story.published else ""
    heading = "h2" if story.published else "div"
    h1 = f"<h1>{escape(story.title)}</h1>" if story.published else ""
    byline = (
        f'<p class="byline">By Staff Reporter, <time datetime="{story.published}">{story.published}</time></p>'
        if story.published else ""
    )  # fmt: skip
    paras = "\n".join(f"<p>{escape(p)}</p>" for p in story.paragraphs)
    related = "\n".join(
        f'<li><a href="{base}/news/related-{i}.html">{t}</a></li>'
        for i, t in enumerate(["Floods close the market in Niamey", "Fuel prices rise again in Bamako"])
    )
    site_meta = f'<meta property="og:site_name" content="{OUTLET}">' if story.published else ""
    return f"""<!DOCTYPE html>
<html lang="{story.lang}">
<head>
<meta charset="utf-8">
{title}
{site_meta}
{date_meta}<link rel="canonical" href="{base}{story.path}">
<script>window.adSlots = ["top", "side"]; function track() {{ return "Advertisement"; }}</script>
<style>.ad {{ color: red; }}</style>
</head>
<body>
<header class="site-header">
  <a class="logo" href="{base}/">{OUTLET}</a>
  <nav class="main-menu"><ul>
    <li><a href="{base}/news/">News</a></li><li><a href="{base}/politics/">Politics</a></li>
    <li><a href="{base}/sport/">Sport</a></li><li><a href="{base}/subscribe">Subscribe to our newsletter</a></li>
    <li><a href="{base}/login">Sign in</a></li>
  </ul></nav>
</header>
<div class="ad ad-top"><span>Advertisement</span><a href="https://ads.invalid/x">Cheap flights to Lisbon from 29 euros, book now and save</a></div>
<main>
<article class="story">
{h1}
{byline}
<div class="story-body">
{paras}
</div>
<div class="share">Share on social media: <a href="#">Facebook</a> <a href="#">X</a></div>
</article>
<aside class="related">
  <{heading}>Most read this week</{heading}>
  <ul>{related}</ul>
</aside>
<section id="comments" class="comments">
  <{heading}>Comments (2)</{heading}>
  <div class="comment"><p class="author">reader_amadou</p>
    <p>Thanks for this reporting, we need more coverage of what happens outside the capital cities.</p></div>
  <div class="comment"><p class="author">fatou_k</p>
    <p>I travelled on that road last month and the situation was already very tense for everyone.</p></div>
  <form><textarea></textarea><button>Leave a comment</button></form>
</section>
</main>
<div class="ad ad-side">Advertisement <a href="https://ads.invalid/y">Cheap flights to Lisbon</a></div>
<footer><p>&copy; 2024 {OUTLET}. All rights reserved.</p><a href="{base}/privacy">Privacy policy</a></footer>
</body>
</html>
"""


def rss(stories: list[Story], base: str, extra_links: list[tuple[str, str]] = ()) -> str:
    items = []
    for s in stories:
        when = format_datetime(s.feed_date) if s.feed_date else ""
        items.append(
            f"<item><title>{escape(s.title)}</title><link>{base}{s.path}</link>"
            f"<guid>{base}{s.path}</guid><pubDate>{when}</pubDate>"
            f"<description>{escape(s.paragraphs[0][:80])}</description></item>"
        )
    for title, path in extra_links:
        items.append(f"<item><title>{escape(title)}</title><link>{base}{path}</link></item>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>{OUTLET}</title><link>{base}/</link><description>News from the Sahel</description>"
        + "".join(items)
        + "</channel></rss>"
    )


ROBOTS = "User-agent: *\nDisallow: /private/\n"


@dataclass
class Site:
    """Routes: path -> (status, content type, body). Counts what each path was asked for."""

    routes: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)
    agents: list[str] = field(default_factory=list)
    not_modified: int = 0
    slow_seconds: float = 3.0
    robots_status: int = 200
    flaky_left: int = 0  # /flaky answers 503 this many times, then 200
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def add_page(self, story: Story) -> None:
        self.routes[story.path] = (200, "text/html; charset=utf-8", page_html(story, self.base).encode("utf-8"))

    def add(self, path: str, body: str | bytes, ctype: str = "text/html; charset=utf-8", status: int = 200) -> None:
        self.routes[path] = (status, ctype, body.encode("utf-8") if isinstance(body, str) else body)


def _handler(site: Site):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # keep the test output clean
            pass

        def do_GET(self) -> None:  # noqa: N802
            path = self.path.split("?")[0]
            with site.lock:
                site.hits[path] = site.hits.get(path, 0) + 1
                site.agents.append(self.headers.get("User-Agent", ""))
                site.in_flight += 1
                site.max_in_flight = max(site.max_in_flight, site.in_flight)
            try:
                self._answer(path)
            finally:
                with site.lock:
                    site.in_flight -= 1

        def _send(self, status: int, ctype: str, body: bytes, headers: dict | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def _answer(self, path: str) -> None:
            if path == "/robots.txt":
                if site.robots_status == 0:  # a handler that breaks: the connection closes unanswered
                    self.close_connection = True
                    return None
                if site.robots_status != 200:
                    return self._send(site.robots_status, "text/plain", b"no robots here")
                return self._send(200, "text/plain", ROBOTS.encode())
            if path.startswith("/slow"):
                time.sleep(site.slow_seconds)
                return self._send(200, "text/html", b"<html><body><p>late</p></body></html>")
            if path.startswith("/broken"):
                return self._send(500, "text/plain", b"server error")
            if path.startswith("/flaky"):
                with site.lock:
                    fail = site.flaky_left > 0
                    site.flaky_left -= 1
                if fail:
                    return self._send(503, "text/plain", b"busy", {"Retry-After": "0"})
            if path.startswith("/wait"):
                time.sleep(0.3)
            route = site.routes.get(path)
            if route is None:
                return self._send(404, "text/plain", b"not found")
            status, ctype, body = route
            etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
            if self.headers.get("If-None-Match") == etag:
                with site.lock:
                    site.not_modified += 1
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self._send(status, ctype, body, {"ETag": etag})

    return Handler


def serve() -> Site:
    """Start the site on a free port of 127.0.0.1 (only there) in a thread; stop it with ``stop``."""
    site = Site()
    site.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    site.server.daemon_threads = True
    threading.Thread(target=site.server.serve_forever, daemon=True).start()
    return site


def stop(site: Site) -> None:
    assert site.server is not None
    site.server.shutdown()
    site.server.server_close()


def write_warc(path, site: Site, paths: list[str]) -> None:
    """A web archive of these paths as the site serves them, written with warcio."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=str(path).endswith(".gz"))
        for p in paths:
            status, ctype, body = site.routes[p]
            headers = StatusAndHeaders(f"{status} OK", [("Content-Type", ctype), ("Content-Length", str(len(body)))],
                                       protocol="HTTP/1.1")
            rec = writer.create_warc_record(site.base + p, "response", payload=io.BytesIO(body), http_headers=headers)
            writer.write_record(rec)
        # what a crawler also keeps: an image, and a request record
        img = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(site.base + "/logo.png", "response",
                                                      payload=io.BytesIO(b"\x89PNG\r\n\x1a\n"), http_headers=img))
