"""Reading articles: every kind of bad input is named with its source and line, and the rest goes on."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from fieldreport.io.readers import InputProblem, iter_inputs, read_jsonl

GOOD = (
    "Gunmen attacked a police post in the north of the country on Monday and killed two officers, "
    "the provincial governor said in a statement."
)


def _items(raw: bytes):
    return list(read_jsonl(io.BytesIO(raw), "batch.jsonl"))


def _problems(items):
    return [i for i in items if isinstance(i, InputProblem)]


def test_a_good_line_becomes_an_article_with_its_metadata():
    line = json.dumps({"id": 7, "text": GOOD, "published": "2024-03-05T10:00:00Z", "outlet": "Wire"})
    (art,) = _items(line.encode())
    assert art.id == "7" and art.outlet == "Wire" and art.published == date(2024, 3, 5)


def test_missing_id_gives_a_stable_content_id():
    a = _items(json.dumps({"text": GOOD}).encode())[0]
    b = _items(json.dumps({"text": GOOD, "title": "other"}).encode())[0]
    assert a.id == b.id and a.id.startswith("sha1-")


@pytest.mark.parametrize(
    "raw, words",
    [
        (b"{not json", "invalid JSON"),
        (json.dumps({"title": "no body"}).encode(), "no 'text'"),
        (json.dumps({"text": 42}).encode(), "must be a string"),
        (json.dumps({"text": "   "}).encode(), "empty"),
        (b'{"text": "caf\xe9 bombing"}', "UTF-8"),
        (json.dumps([1, 2]).encode(), "JSON object"),
        (json.dumps({"text": "Die Armee hat am Montag die Stadt beschossen und dabei sind viele Menschen gestorben, "
                             "sagte der Sprecher der Regierung in der Hauptstadt."}).encode(), "English"),
        (json.dumps({"text": GOOD, "language": "fr"}).encode(), "English"),
    ],
)
def test_bad_lines_are_named_by_line_and_skipped(raw, words):
    batch = json.dumps({"id": "ok", "text": GOOD}).encode() + b"\n" + raw + b"\n"
    items = _items(batch)
    (problem,) = _problems(items)
    assert problem.line == 2 and problem.skipped and words in problem.message
    assert "batch.jsonl:2" in str(problem)
    assert [i.id for i in items if not isinstance(i, InputProblem)] == ["ok"]


def test_an_unreadable_date_is_a_warning_and_the_article_is_kept():
    items = _items(json.dumps({"id": "d", "text": GOOD, "published": "next Tuesday-ish"}).encode())
    (problem,) = _problems(items)
    assert not problem.skipped and "not an ISO date" in problem.message
    (art,) = [i for i in items if not isinstance(i, InputProblem)]
    assert art.published is None


def test_an_invalid_calendar_date_is_reported():
    items = _items(json.dumps({"id": "d", "text": GOOD, "published": "2023-02-30"}).encode())
    assert _problems(items) and "2023-02-30" in _problems(items)[0].message


def test_a_huge_text_is_skipped_with_its_size(tmp_path):
    big = tmp_path / "big.jsonl"
    big.write_text(json.dumps({"id": "huge", "text": "word " * 4_000_000}) + "\n" + json.dumps({"text": GOOD}) + "\n")
    items = list(iter_inputs([str(big)]))
    (problem,) = _problems(items)
    assert "20,000,000 characters" in problem.message and problem.line == 1
    assert len(items) == 2


def test_text_files_with_front_matter_and_directories(tmp_path):
    (tmp_path / "a.md").write_text("---\nid: a1\npublished: 2020-01-02\noutlet: X\n---\n" + GOOD)
    (tmp_path / "b.txt").write_text(GOOD)
    (tmp_path / "c.bin").write_bytes(b"\x00\x01")  # not an input suffix: named, not read
    (tmp_path / "d.txt").write_bytes(b"\x00\x00binary\x00")
    items = list(iter_inputs([str(tmp_path)]))
    arts = {i.id: i for i in items if not isinstance(i, InputProblem)}
    assert arts["a1"].published == date(2020, 1, 2) and arts["a1"].outlet == "X"
    assert "b" in arts
    unread, problem = _problems(items)
    assert unread.source.endswith("c.bin") and "not read" in unread.message and unread.skipped
    assert problem.source.endswith("d.txt") and "binary" in problem.message


def test_html_pages_give_their_body_and_title(tmp_path):
    page = tmp_path / "p.html"
    page.write_text(
        "<html><head><title>Attack on post</title><script>var x=1;</script>"
        "<meta property='article:published_time' content='2021-06-01T08:00:00Z'></head>"
        "<body><nav>Home | World</nav><article><p>" + GOOD + "</p><p>More text follows.<p>unclosed"
        "</article></body>"
    )
    (art,) = list(iter_inputs([str(page)]))
    assert art.title == "Attack on post" and art.published == date(2021, 6, 1)
    assert GOOD in art.text and "var x" not in art.text and "Home" not in art.text


def test_a_missing_path_is_reported():
    (problem,) = list(iter_inputs(["/no/such/file.jsonl"]))
    assert "no such file" in problem.message
