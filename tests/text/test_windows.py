"""Long texts are read in windows: offsets stay exact, time grows with length (no spaCy E088)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fieldreport.assemble.long_text import extract_long, shift_record
from fieldreport.assemble.pipeline import _same_event
from fieldreport.schema.records import Article
from fieldreport.text.windows import parse_long, windows

PARAGRAPHS = [
    "Gunmen attacked a police post in Konduga on Tuesday, killing four officers, police said.",
    "Protesters marched through central Kisumu on Friday to demand lower food prices.",
    "Artillery shelling hit a market in Pokrovsk on Monday, killing two civilians, officials said.",
    "A roadside bomb struck a military convoy near Afgooye, wounding three soldiers.",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("ab .!?\n\"'") + ["\n\n", "word ", "é"]), max_size=200).map("".join),
       st.integers(min_value=2, max_value=60))
def test_windows_cover_the_text_exactly_and_are_never_too_long(text: str, size: int) -> None:
    spans = windows(text, size)
    assert "".join(text[s:e] for s, e in spans) == text
    assert all(0 < e - s <= size for s, e in spans)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))


def test_windows_end_after_a_paragraph_or_a_sentence_where_they_can():
    text = "\n\n".join(PARAGRAPHS * 5)
    for s, e in windows(text, 300)[:-1]:
        assert text[s:e].endswith(("\n\n", ". ")), repr(text[s:e][-5:])


def test_one_doc_from_windows_keeps_the_text(nlp):
    text = "\n\n".join(PARAGRAPHS * 30)
    doc = parse_long(nlp, text, size=500)
    assert doc.text == text
    assert any(ent.text == "Pokrovsk" and text[ent.start_char:ent.end_char] == "Pokrovsk" for ent in doc.ents)


def test_a_long_article_gives_each_window_s_records_with_offsets_in_the_whole_text(pipeline):
    text = "\n\n".join(PARAGRAPHS)
    art = Article(id="long", text=text)
    size = len(PARAGRAPHS[0]) + len(PARAGRAPHS[1]) + 10  # two paragraphs a window
    recs = extract_long(art, pipeline.nlp, pipeline.process, _same_event, size=size)
    assert recs, "the windows hold events"
    for rec in recs:
        for spans in rec.evidence.values():
            for s, e in spans:
                assert 0 <= s < e <= len(text) and text[s:e].strip() == text[s:e]
        for c in rec.claims:
            assert 0 <= c.start < c.end <= len(text)
    # each window coded alone gives the same records, moved by the window's start
    for s, e in windows(text, size):
        alone = pipeline.extract(Article(id="long", text=text[s:e]))
        moved = [shift_record(r, s, "long") for r in alone]
        for r in moved:
            assert any(r.record_id == x.record_id and r.evidence == x.evidence for x in recs)
    assert len({r.record_id for r in recs}) == len(recs)


def test_an_article_over_spacy_s_limit_is_coded_without_error(pipeline):
    nlp = pipeline.nlp
    old = nlp.max_length
    nlp.max_length = 5_000  # a small limit stands in for spaCy's million characters
    try:
        text = "\n\n".join(PARAGRAPHS * 80)  # about 27,000 characters
        recs = pipeline.extract(Article(id="big", text=text))
    finally:
        nlp.max_length = old
    assert recs and all(r.article_id == "big" for r in recs)
