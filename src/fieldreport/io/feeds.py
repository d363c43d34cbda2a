"""RSS and Atom feeds, read with feedparser: the outlet's name and, for each item, its link, title and date."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from urllib.parse import urljoin

FEED_SUFFIXES = {".xml", ".rss", ".atom"}
FEED_TYPES = {
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
    "application/feed+xml", "application/x-rss+xml",
}  # fmt: skip


@dataclass(frozen=True)
class FeedItem:
    url: str
    title: str | None = None
    published: date | None = None
    #: What the feed says about the item's version (its updated or published time, or its id); a
    #: stored item whose stamp is unchanged is not fetched again.
    stamp: str | None = None


@dataclass
class Feed:
    source: str  # the feed's URL or file name
    title: str | None = None  # the channel's title: the outlet, where its pages do not name themselves
    link: str | None = None
    items: list[FeedItem] = field(default_factory=list)


class NotAFeed(ValueError):
    pass


def looks_like_feed(data: bytes, content_type: str = "") -> bool:
    """Whether a response (or file) is an RSS/Atom feed rather than a web page."""
    if content_type in FEED_TYPES - {"application/xml", "text/xml"}:
        return True
    head = data[:2048].lstrip().lower()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:].lstrip()
    if b"<html" in head or b"<!doctype html" in head:
        return False
    return b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head


def _date(struct) -> date | None:
    if not struct:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(struct), tz=timezone.utc).date()
    except (OverflowError, ValueError, TypeError):
        return None


def parse_feed(data: bytes, source: str, base_url: str | None = None) -> Feed:
    """The items of a feed, with links made absolute against ``base_url`` (the feed's own URL).
    Raises NotAFeed when the data is not a feed; a feed with no items is an empty Feed."""
    import feedparser

    parsed = feedparser.parse(data, response_headers={"content-location": base_url} if base_url else None)
    if not parsed.get("version") and not parsed.entries:
        why = parsed.get("bozo_exception")
        raise NotAFeed(f"not an RSS or Atom feed{f' ({why})' if why else ''}")
    chan = parsed.get("feed", {})
    feed = Feed(source=source, title=(chan.get("title") or "").strip() or None, link=chan.get("link"))
    seen: set[str] = set()
    for e in parsed.entries:
        link = e.get("link") or next(
            (lk.get("href") for lk in e.get("links", []) if lk.get("rel") in (None, "alternate") and lk.get("href")),
            None,
        )
        if not link:
            continue
        url = urljoin(base_url or "", link.strip())
        if url in seen:
            continue
        seen.add(url)
        when = e.get("published_parsed") or e.get("updated_parsed")
        stamp = e.get("updated") or e.get("published") or None
        feed.items.append(
            FeedItem(url=url, title=(e.get("title") or "").strip() or None, published=_date(when), stamp=stamp)
        )
    return feed
