"""Property-based tests of the readers: whatever the bytes, an article or a named problem, never a crash."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta, timezone

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldreport.io.readers import InputProblem, parse_published, read_html, read_jsonl, read_text_file
from fieldreport.schema.records import Article

WORDS = st.lists(st.sampled_from("the army said rebels attacked a village near town on monday and killed two".split()),
                 min_size=1, max_size=12).map(" ".join)
SETTINGS = settings(max_examples=200, deadline=None)


def _well_formed(items, source: str, n_lines: int | None = None) -> None:
    for item in items:
        assert isinstance(item, (Article, InputProblem))
        if isinstance(item, InputProblem):
            assert item.source == source and item.message
            if n_lines is not None and item.line is not None:
                assert 1 <= item.line <= n_lines


@SETTINGS
@given(st.lists(st.binary(max_size=80), max_size=8))
def test_jsonl_of_any_bytes_gives_articles_or_named_problems(lines):
    data = b"\n".join(lines)
    items = list(read_jsonl(io.BytesIO(data), "x.jsonl"))
    _well_formed(items, "x.jsonl", data.count(b"\n") + 1)
    if not data.strip():
        assert [str(i) for i in items] == ["x.jsonl: skipped: file is empty"]


@SETTINGS
@given(st.lists(st.fixed_dictionaries({"id": st.text(min_size=1, max_size=10), "text": WORDS},
                                      optional={"title": st.text(max_size=20), "outlet": st.text(max_size=10)}),
                min_size=1, max_size=6))
def test_jsonl_articles_keep_their_text_id_and_line(objs):
    data = "\n\n".join(json.dumps(o) for o in objs).encode()
    items = list(read_jsonl(io.BytesIO(data), "x.jsonl"))
    arts = [i for i in items if isinstance(i, Article)]
    assert [(a.id, a.text) for a in arts] == [(o["id"], o["text"]) for o in objs]
    assert all(a.title == (o.get("title") or None) for a, o in zip(arts, objs))


@SETTINGS
@given(st.binary(max_size=300))
def test_text_and_html_files_of_any_bytes_never_raise(data):
    _well_formed(read_text_file(data, "x.md"), "x.md")
    _well_formed(read_html(data, "x.html"), "x.html")


@SETTINGS
@given(WORDS, st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30),
       st.dates(min_value=date(1990, 1, 1), max_value=date(2035, 12, 31)), st.sampled_from(["\n", "\r\n"]))
def test_markdown_front_matter_round_trips(body, title, published, newline):
    meta = yaml.safe_dump({"id": "m1", "title": title, "published": published.isoformat()}, allow_unicode=True)
    data = ("---" + newline + meta.strip().replace("\n", newline) + newline + "---" + newline + body).encode()
    (art,) = read_text_file(data, "x.md")
    assert isinstance(art, Article), art
    assert art.id == "m1" and art.text == body and art.published == published
    assert not title.strip() or (art.title or "").strip() == title.strip()  # blanks around a title may go


SENTENCES = st.lists(st.sampled_from("the army said rebels attacked a village near town on monday and killed two".split()),
                     min_size=6, max_size=14).map(lambda ws: " ".join(ws).capitalize() + ".")


@SETTINGS
@given(st.lists(SENTENCES, min_size=1, max_size=5, unique=True), st.booleans())
def test_html_paragraphs_become_the_text(paragraphs, in_article):
    """The story's paragraphs, in order, one blank line apart, and none of the page's menu; the page
    extractor (trafilatura) may drop a paragraph it takes for boilerplate, never invent one."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    page = f"<html><head><title>T</title></head><body><nav>Menu</nav>{'<article>' + body + '</article>' if in_article else body}</body></html>"
    items = read_html(page.encode(), "x.html")
    (art,) = items
    if not isinstance(art, Article):  # no story found: named, never a crash
        assert "no article text" in art.message
        return
    got = art.text.split("\n\n")
    assert "Menu" not in art.text and art.title == "T"
    assert all(p in paragraphs for p in got)
    assert [p for p in paragraphs if p in got] == got  # in the page's order


@SETTINGS
@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2035, 12, 31)),
       st.sampled_from(["date", "T", "Z", "+05:30", " "]))
def test_published_dates_in_iso_forms_give_the_day(dt, form):
    text = {
        "date": dt.date().isoformat(), "T": dt.isoformat(), "Z": dt.isoformat() + "Z",
        "+05:30": dt.replace(tzinfo=timezone(timedelta(hours=5, minutes=30))).isoformat(),
        " ": dt.isoformat(sep=" "),
    }[form]
    assert parse_published(text) == dt.date()


@SETTINGS
@given(st.text(max_size=30))
def test_published_is_a_date_or_a_clear_error(text):
    try:
        got = parse_published(text)
    except ValueError as exc:
        assert "published" in str(exc)
    else:
        assert got is None or isinstance(got, date)
