"""Web archives (.warc, .warc.gz): every HTML response in them, streamed with warcio.

A feed captured in the same archive before its items lends them its item titles and dates where the
pages lack them, as it does when the feed is fetched live.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from fieldreport.io.feeds import Feed, NotAFeed, looks_like_feed, parse_feed
from fieldreport.io.pages import HTML_TYPES, looks_like_html

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")


@dataclass
class WarcPage:
    url: str
    body: bytes
    content_type: str
    charset: str | None
    offset: int  # of the record in the file, to name it in messages


@dataclass
class WarcProblem:
    offset: int | None
    message: str


def _ctype(value: str | None) -> tuple[str, str | None]:
    if not value:
        return "", None
    main, *rest = value.split(";")
    charset = None
    for part in rest:
        k, _, v = part.strip().partition("=")
        if k.lower() == "charset" and v:
            charset = v.strip("\"' ")
    return main.strip().lower(), charset


def _not_an_archive(stream: BinaryIO) -> str | None:
    """Why the stream is not a WARC (or ARC) file, judged from its first bytes; None when it is one."""
    peek = getattr(stream, "peek", None)
    if peek is None:
        return None
    head = peek(4096)[:4096]
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
        except zlib.error as exc:
            return f"not a readable WARC file (gzip: {exc})"
    if not head:
        return "the file is empty"
    if head.startswith((b"WARC/", b"filedesc://")):
        return None
    return "not a WARC file (it does not begin with a WARC record header)"


def iter_warc(stream: BinaryIO, max_bytes: int) -> Iterator[WarcPage | Feed | WarcProblem]:
    """HTML pages (responses with status 200, and resource records) and the feeds among them, in the
    order they were archived. Records over ``max_bytes`` are named and skipped."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    why = _not_an_archive(stream)
    if why:
        yield WarcProblem(None, why)
        return
    it = ArchiveIterator(stream, arc2warc=True)
    try:
        for record in it:
            if record.rec_type not in ("response", "resource"):
                continue
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            if record.rec_type == "response":
                if record.http_headers is None:
                    continue
                status = record.http_headers.get_statuscode()
                if status != "200":
                    continue
                ctype, charset = _ctype(record.http_headers.get_header("Content-Type"))
            else:
                ctype, charset = _ctype(record.rec_headers.get_header("Content-Type"))
            if ctype and not (ctype in HTML_TYPES or "xml" in ctype or ctype == "text/plain"):
                continue  # images, scripts, style sheets, PDFs ...
            data = record.content_stream().read(max_bytes + 1)
            offset = it.get_record_offset()  # (only once the content is read: asking reads the record to its end)
            if len(data) > max_bytes:
                yield WarcProblem(offset, f"{url}: over the limit of {max_bytes:,} bytes")
                continue
            missing = getattr(record.raw_stream, "limit", 0) or 0
            if missing > 0:  # warcio hands a cut-off record over as it is: a page cut in half is no article
                yield WarcProblem(offset, f"{url}: the record breaks off ({missing:,} bytes missing); the archive is truncated")
                continue
            if looks_like_feed(data, ctype):
                try:
                    yield parse_feed(data, url, base_url=url)
                except NotAFeed:
                    pass
                continue
            if ctype in HTML_TYPES or looks_like_html(data):
                yield WarcPage(url=url, body=data, content_type=ctype, charset=charset, offset=offset)
    except ArchiveLoadFailed as exc:
        yield WarcProblem(None, f"not a readable WARC file ({exc})")
    except (OSError, EOFError, ValueError) as exc:  # truncated gzip member and the like
        yield WarcProblem(None, f"the archive breaks off ({exc.__class__.__name__}: {exc}); records before it were read")
