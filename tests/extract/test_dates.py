"""When: date expressions and the date of an event. Every sentence here was written for these tests."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldreport.extract.dates import FALLBACK_PRECISION, event_date, find_dates, resolve_weekday

THURSDAY = date(2017, 9, 7)
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]


@pytest.fixture(scope="module")
def nlp():
    from fieldreport.text.nlp import load_nlp

    return load_nlp()


def only(text: str, published: date | None = THURSDAY):
    found = find_dates(text, published)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "text",
    [
        "The attack took place on 5 September 2017 near the river.",
        "The attack took place on Sept. 5, 2017 near the river.",
        "The attack took place on September 5th, 2017 near the river.",
        "The attack took place on 2017-09-05 near the river.",
        "The attack took place on 05/09/2017 near the river.",
        "The attack took place on the 5th of September 2017 near the river.",
        "The attack took place on Tuesday, 5 September 2017 near the river.",
    ],
)
def test_explicit_formats(text: str) -> None:
    f = only(text, None)
    assert (f.date, f.precision) == (date(2017, 9, 5), 1)
    assert f.text in text and text[f.start : f.end] == f.text


def test_day_month_without_year_takes_publication_year_or_the_text_year() -> None:
    assert only("Clashes broke out on Sept. 5.").date == date(2017, 9, 5)
    # published in January about late December: the year before
    assert only("Clashes broke out on 28 December.", date(2018, 1, 3)).date == date(2017, 12, 28)
    # no publication date: the year of a full date in the text, else skipped
    found = find_dates("On 3 May 2015 talks began. Fighting resumed on 9 May.", None)
    assert [f.date for f in found] == [date(2015, 5, 3), date(2015, 5, 9)]
    assert find_dates("Fighting resumed on 9 May.", None) == []


def test_ambiguous_numeric_dates() -> None:
    assert only("on 25/09/2017", None).date == date(2017, 9, 25)  # only day-first works
    assert only("on 09/25/2017", None).date == date(2017, 9, 25)  # only month-first works
    # both readings valid: the one closest to publication and not after it
    assert only("on 05/09/2017", date(2017, 5, 10)).date == date(2017, 5, 9)
    assert only("on 05/09/2017", THURSDAY).date == date(2017, 9, 5)


def test_invalid_dates_do_not_crash() -> None:
    assert find_dates("Talks were set for 31 February 2017 and 2017-13-45.", THURSDAY) == []
    assert find_dates("on 31/02/2017", None) == []


@pytest.mark.parametrize(
    "published,expected",
    [(date(2017, 9, 7), date(2017, 9, 5)), (date(2017, 9, 5), date(2017, 9, 5)), (date(2017, 9, 4), date(2017, 8, 29))],
)
def test_weekday_is_the_latest_on_or_before_publication(published: date, expected: date) -> None:
    f = only("Gunmen attacked the convoy on Tuesday.", published)
    assert (f.date, f.precision) == (expected, 1)


def test_weekdays_need_a_publication_date() -> None:
    assert find_dates("Gunmen attacked the convoy on Tuesday.", None) == []


@pytest.mark.parametrize(
    "phrase,days_before,precision",
    [
        ("yesterday", 1, 1),
        ("today", 0, 1),
        ("last night", 1, 1),
        ("overnight", 1, 1),
        ("three days ago", 3, 1),
        ("a week ago", 7, 2),
        ("just over a week ago", 8, 2),
    ],
)
def test_relative_days(phrase: str, days_before: int, precision: int) -> None:
    f = only(f"Shells fell on the camp {phrase}, witnesses said.")
    assert (f.date, f.precision) == (THURSDAY - timedelta(days=days_before), precision)


def test_week_and_month_spans() -> None:
    f = only("Fighting flared earlier this week.")
    assert f.precision == 2 and date(2017, 9, 4) <= f.date < THURSDAY
    f = only("Fighting flared last week.")
    assert f.precision == 2 and date(2017, 8, 28) <= f.date <= date(2017, 9, 3)
    f = only("Fighting flared over the weekend.")
    assert f.precision == 2 and f.date in (date(2017, 9, 2), date(2017, 9, 3))
    f = only("Fighting flared early this month.")
    assert f.precision == 3 and f.date.month == 9
    f = only("Fighting flared in August.")
    assert (f.date.year, f.date.month, f.precision) == (2017, 8, 3)


def test_date_ranges() -> None:
    f = only("Protests were held between 3 and 5 May 2017 in the capital.", None)
    assert (f.date, f.precision) == (date(2017, 5, 3), 2)
    assert f.text == "between 3 and 5 May 2017"
    f = only("Protests were held May 3-5 in the capital.")
    assert (f.date, f.precision) == (date(2017, 5, 3), 2)


def test_may_the_verb_is_not_a_month() -> None:
    assert find_dates("Officials said the toll may rise.", THURSDAY) == []


# ----------------------------------------------------------------------------------------------
# event_date


def _event(nlp, text: str, trigger: str, published: date | None = THURSDAY):
    doc = nlp(text)
    i = text.index(trigger)
    return event_date(doc, i, i + len(trigger), find_dates(doc, published), published)


def test_event_date_not_statement_date(nlp) -> None:
    text = "The defence ministry said on Friday that on Wednesday jets struck a fuel depot near the city."
    f = _event(nlp, text, "struck")
    assert f is not None and f.date == date(2017, 9, 6) and f.text == "Wednesday"


def test_statement_date_alone_is_used_with_lower_precision(nlp) -> None:
    f = _event(nlp, "Militants attacked a checkpoint in the north, officials said on Tuesday.", "attacked")
    assert f is not None and f.date == date(2017, 9, 5) and f.precision == 2


def test_event_date_from_the_lead(nlp) -> None:
    text = "Two villages were shelled on Monday. The shells destroyed a school and several homes."
    f = _event(nlp, text, "destroyed")
    assert f is not None and f.date == date(2017, 9, 4)


def test_event_date_none_without_any_date(nlp) -> None:
    assert _event(nlp, "Rebels ambushed an army patrol in the hills.", "ambushed") is None
    assert FALLBACK_PRECISION == 2


def test_future_dates_are_not_event_dates(nlp) -> None:
    text = "Rebels shelled the town, days before talks due on 20 September."
    assert _event(nlp, text, "shelled") is None


# ----------------------------------------------------------------------------------------------
# properties


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2035, 12, 31)), st.integers(min_value=0, max_value=6))
def test_weekday_resolution_is_on_or_before_publication_within_a_week(published: date, wd: int) -> None:
    got = resolve_weekday(wd, published)
    assert got.weekday() == wd
    assert 0 <= (published - got).days < 7
    f = only(f"The raid happened on {WEEKDAYS[wd]}.", published)
    assert f.date == got


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2035, 12, 31)), st.sampled_from(range(5)))
def test_explicit_dates_round_trip(d: date, fmt: int) -> None:
    month = MONTHS[d.month - 1]
    text = [
        f"{d.day} {month} {d.year}",
        f"{month} {d.day}, {d.year}",
        d.isoformat(),
        f"{month[:3]}. {d.day}, {d.year}" if month != "May" else f"{month} {d.day}, {d.year}",
        f"the {d.day}th of {month} {d.year}",
    ][fmt]
    f = only(f"It happened on {text} in the east.", None)
    assert f.date == d and f.precision == 1


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(list("0123456789 /-.,") + ["May ", "Sept. ", "February ", "Tuesday ", "between ", "and ", "th ", "yesterday ", "last week "]), max_size=30).map("".join),
    st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2035, 12, 31))),
)
def test_find_dates_never_raises_and_offsets_hold(text: str, published: date | None) -> None:
    for f in find_dates(text, published):
        assert text[f.start : f.end] == f.text
        assert f.precision in (1, 2, 3)


# ----------------------------------------------------------------------------------------------
# Issue 10: which date is the event's (sentences written for these tests)

MONDAY = date(2024, 3, 4)


def test_sunday_in_a_monday_statement_is_sunday(nlp) -> None:
    text = "The army said on Monday that its troops had retaken the town of Kidal on Sunday."
    f = _event(nlp, text, "retaken", MONDAY)
    assert f is not None and f.date == date(2024, 3, 3) and f.precision == 1
    text = "Troops retook Kidal after two days of fighting. The town was retaken on Sunday, officials said on Monday."
    f = _event(nlp, text, "retaken", MONDAY)
    assert f is not None and f.date == date(2024, 3, 3)


def test_the_opening_date_beats_a_date_that_names_another_thing(nlp) -> None:
    text = "On 12 June 2020, herders attacked a farm near Kandi in revenge for the 10 June raid."
    f = _event(nlp, text, "attacked", None)
    assert f is not None and f.date == date(2020, 6, 12)
    text = "On 3 May 2019, rioters burned a depot in protest at the vote held on 28 April."
    f = _event(nlp, text, "burned", None)
    assert f is not None and f.date == date(2019, 5, 3)


def test_an_opening_date_after_a_label_dates_the_note(nlp) -> None:
    text = "Looting: On 7 July 2021, unknown men seized two motorbikes from traders near Nikki."
    f = _event(nlp, text, "seized", None)
    assert f is not None and f.date == date(2021, 7, 7)


def test_a_date_header_dates_the_text_after_it(nlp) -> None:
    text = "14 March. Students blocked the main road in Parakou to demand exams in April 2021."
    f = _event(nlp, text, "blocked", None)
    assert f is not None and (f.date.month, f.date.day) == (3, 14)


def test_as_reported_is_the_event_date_with_around_approximate(nlp) -> None:
    text = "Around 9 August 2021 (as reported), gunmen abducted a trader near Segbana."
    f = _event(nlp, text, "abducted", None)
    assert f is not None and f.date == date(2021, 8, 9) and f.precision == 2
    text = "Gunmen abducted a trader near Segbana, as reported on 9 August 2021."
    f = _event(nlp, text, "abducted", None)
    assert f is not None and f.date == date(2021, 8, 9)


def test_week_of_makes_the_date_approximate(nlp) -> None:
    text = "On 16 May 2022 (week of), soldiers set up a new post in Karimama."
    f = _event(nlp, text, "set up", None)
    assert f is not None and f.date == date(2022, 5, 16) and f.precision == 2


def test_a_record_without_any_date_is_named_on_stderr(tmp_path) -> None:
    import json
    import subprocess
    import sys

    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "undated", "text": "Gunmen attacked a police post in Kandi, killing two officers."}) + "\n"
        + json.dumps({"id": "dated", "text": "Gunmen attacked a police post in Kandi, killing two officers.",
                      "published": "2024-03-04"}) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    run = subprocess.run(
        [sys.executable, "-m", "fieldreport.apps.cli", "extract", "--input", str(src), "--output", str(out), "--quiet"],
        capture_output=True, text=True,
    )
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    undated = [r for r in recs if r["article_id"] == "undated"]
    dated = [r for r in recs if r["article_id"] == "dated"]
    assert undated and undated[0]["event_date"] is None
    assert dated and dated[0]["event_date"] == "2024-03-04" and dated[0]["time_precision"] == 2
    assert "article undated" in run.stderr and "no event date" in run.stderr
    assert "article dated" not in run.stderr
    assert run.returncode == 3


def test_a_dateline_after_a_title_line_is_the_filing_day(nlp) -> None:
    published = date(2025, 5, 12)
    text = (
        "Drone hits flats in Kharkiv\n\nKHARKIV, May 12 (Example Wire) - A drone hit a block of flats "
        "overnight, wounding five people, the mayor said."
    )
    f = _event(nlp, text, "hit", published)
    assert f is not None and f.date == date(2025, 5, 11) and f.text == "overnight"


def test_a_date_right_after_said_is_the_statements_however_parsed(nlp) -> None:
    # without "that" the parser hangs "on Monday" on the event's verb; it is still the statement's day
    text = "The ministry said on Monday rebels had seized the border post at Menaka on Sunday."
    f = _event(nlp, text, "seized", MONDAY)
    assert f is not None and f.date == date(2024, 3, 3)
    text = "Police said Monday that gunmen torched a bus depot near Gao."
    f = _event(nlp, text, "torched", MONDAY)
    assert f is not None and f.date == MONDAY and f.precision == 2


def test_the_events_own_date_beats_the_day_it_was_reported(nlp) -> None:
    text = "Bandits raided a cattle market near Nikki last week, as reported on 7 March."
    f = _event(nlp, text, "raided", date(2024, 3, 8))
    assert f is not None and f.text == "last week"
    # alone, the day of the report dates the event, approximately
    text = "Bandits raided a cattle market near Nikki, as reported on 7 March 2024."
    f = _event(nlp, text, "raided", None)
    assert f is not None and f.date == date(2024, 3, 7) and f.precision == 2


def test_dates_that_need_a_publication_date_are_named() -> None:
    from fieldreport.extract.dates import needs_publication_date

    assert needs_publication_date("On 9 April, herders clashed with farmers near Kalale.") == ["9 April"]
    assert needs_publication_date("Herders clashed with farmers near Kalale on Friday.") == ["Friday"]
    assert needs_publication_date("On 9 April 2021, herders clashed with farmers. They fought again on 11 April.") == []
    assert needs_publication_date("Herders clashed with farmers near Kalale.") == []


def test_an_undated_record_says_which_words_needed_a_year(tmp_path) -> None:
    import json
    import subprocess
    import sys

    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "noyear", "text": "On 9 April, gunmen attacked a police post in Kandi."}) + "\n",
                   encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "fieldreport.apps.cli", "extract", "--input", str(src), "--output",
         str(tmp_path / "out.jsonl"), "--quiet"],
        capture_output=True, text=True,
    )
    assert "no event date" in run.stderr and "'9 April'" in run.stderr
    assert run.returncode == 3


def test_in_before_an_abbreviated_month_and_day_is_a_day_not_a_month() -> None:
    f = only("A rebel commander killed in Oct. 9 raid, army says", date(2013, 10, 12))
    assert (f.date, f.precision, f.text) == (date(2013, 10, 9), 1, "Oct. 9")
    f = only("Clashes in May 2019 left the town empty.", None)
    assert (f.date, f.precision) == (date(2019, 5, 1), 3)
