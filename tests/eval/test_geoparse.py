"""Geoparsing scorer: a tiny XML in both corpus formats, and the shared gold files when present."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fieldreport.eval.geoparse import read_geoparsing_xml, score_event_location, score_geoparsing
from fieldreport.schema.records import Place, PlaceMention

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"

TEXT = "Rebels entered Homs. Later they moved to Hama and Springfield."

LGL_XML = f"""<?xml version="1.0" encoding="utf-8"?>
<articles>
  <article docid="1">
    <text><![CDATA[{TEXT}]]></text>
    <toponyms>
      <toponym><start>15</start><end>19</end><phrase>Homs</phrase>
        <gaztag geonameid="169577"><name>Homs</name><lat>34.72</lat><lon>36.72</lon></gaztag>
      </toponym>
      <toponym><start>41</start><end>45</end><phrase>Hama</phrase>
        <gaztag geonameid="170017"><name>Hama</name><lat>35.13</lat><lon>36.75</lon></gaztag>
      </toponym>
      <toponym><start>50</start><end>61</end><phrase>Springfield</phrase></toponym>
    </toponyms>
  </article>
</articles>"""

GWN_XML = f"""<?xml version="1.0" ?>
<articles>
  <article file="0">
    <text>{TEXT}</text>
    <toponyms>
      <toponym><extractedName>Homs</extractedName><type>Literal</type><start>15</start><end>19</end>
        <geonamesID>169577</geonamesID><latitude>34.72</latitude><longitude>36.72</longitude></toponym>
      <toponym><extractedName>Hama</extractedName><type>Literal</type><start>41</start><end>45</end>
        <geonamesID/><latitude>35.13</latitude><longitude>36.75</longitude></toponym>
      <toponym><extractedName>Springfield</extractedName><type>Literal</type><start>50</start>
        <end>61</end><geonamesID/><latitude/><longitude/></toponym>
    </toponyms>
  </article>
</articles>"""


class _Doc:
    def __init__(self, text):
        self.text = text


class _NLP:
    def pipe(self, texts, batch_size=16):
        return (_Doc(t) for t in texts)


def _place(lat, lon):
    return Place(name="x", latitude=lat, longitude=lon)


class _Extractor:
    """Finds Homs right, Hama 300 km off, Springfield (no gold point) and 'Rebels' (no gold)."""

    def find(self, doc):
        t = doc.text
        return [
            PlaceMention(start=t.index("Homs"), end=t.index("Homs") + 4, text="Homs",
                         place=_place(34.7, 36.7)),
            PlaceMention(start=t.index("Hama"), end=t.index("Hama") + 4, text="Hama",
                         place=_place(33.5, 39.5)),
            PlaceMention(start=t.index("Springfield"), end=t.index("Springfield") + 11,
                         text="Springfield", place=_place(39.8, -89.6)),
            PlaceMention(start=0, end=6, text="Rebels", place=_place(0.0, 0.0)),
        ]

    def event_location(self, doc, mentions, s, e):
        return mentions[0], 1, "first"


@pytest.mark.parametrize("xml", [LGL_XML, GWN_XML], ids=["lgl", "geowebnews"])
def test_scorer_counts_recall_precision_and_unjudged(tmp_path, xml):
    path = tmp_path / "gold.xml"
    path.write_text(xml, encoding="utf-8")
    arts = read_geoparsing_xml(path)
    assert len(arts) == 1 and len(arts[0].toponyms) == 3
    res = score_geoparsing(path, _Extractor(), _NLP())
    assert res["gold_toponyms"] == 2  # Springfield has no coordinates
    assert res["found"] == 1 and res["recall"] == 0.5  # Hama is beyond 161 km
    # Homs right; Hama and "Rebels" wrong; Springfield cannot be judged
    assert res["predicted"] == 3 and res["predicted_correct"] == 1
    assert res["unjudged_predictions"] == 1
    assert res["precision"] == pytest.approx(1 / 3, abs=1e-3)
    assert res["f1"] == pytest.approx(2 * 0.5 * (1 / 3) / (0.5 + 1 / 3), abs=1e-3)


def test_halves_split_articles_by_even_and_odd_index(tmp_path):
    from fieldreport.eval.geoparse import split_half

    assert split_half(list("abcde"), "dev") == ["a", "c", "e"]
    assert split_half(list("abcde"), "held") == ["b", "d"]
    assert split_half(list("abc"), None) == list("abc")
    with pytest.raises(ValueError, match="half"):
        split_half([1], "test")
    two = LGL_XML.replace("</articles>", LGL_XML.split("<articles>")[1].replace('docid="1"', 'docid="2"'))
    path = tmp_path / "two.xml"
    path.write_text(two, encoding="utf-8")
    assert score_geoparsing(path, _Extractor(), _NLP())["articles"] == 2
    held = score_geoparsing(path, _Extractor(), _NLP(), half="held")
    assert held["articles"] == 1 and held["half"] == "held"


def test_mistakes_name_each_missed_toponym_and_wrong_place(tmp_path):
    import io

    path = tmp_path / "gold.xml"
    path.write_text(LGL_XML, encoding="utf-8")
    out = io.StringIO()
    score_geoparsing(path, _Extractor(), _NLP(), mistakes=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    miss = [r for r in rows if r["what"] == "miss"]
    false = [r for r in rows if r["what"] == "false"]
    assert [r["gold"] for r in miss] == ["Hama"]
    assert miss[0]["ours"] == "Hama" and miss[0]["km"] > 161
    assert "moved to Hama" in miss[0]["sentence"]
    assert sorted(r["ours"] for r in false) == ["Hama", "Rebels"]
    assert next(r for r in false if r["ours"] == "Rebels")["gold"] is None


def test_event_location_scorer(tmp_path):
    rows = [
        {"text": TEXT, "verbs": [{"start": 7, "end": 14}], "locations": [{"start": 15, "end": 19, "text": "Homs"}]},
        {"text": TEXT, "verbs": [{"start": 7, "end": 14}], "locations": [{"start": 41, "end": 45, "text": "Hama"}]},
        {"text": TEXT, "verbs": [{"start": 7, "end": 14}], "locations": []},
    ]
    path = tmp_path / "ev.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    res = score_event_location(path, _Extractor(), _NLP())
    assert res["marked"] == 2 and res["correct"] == 1 and res["accuracy"] == 0.5
    assert res["unmarked"] == 1


# --- the shared gold files (skipped when ../shared is absent) ------------------------------


@pytest.mark.skipif(not (SHARED / "geoparsing" / "lgl.xml").exists(), reason="shared gold data absent")
def test_real_extractor_on_a_slice_of_lgl():
    from fieldreport.extract.places import PlaceExtractor
    from fieldreport.text.nlp import load_nlp

    res = score_geoparsing(SHARED / "geoparsing" / "lgl.xml", PlaceExtractor.default(), load_nlp(), limit=25)
    assert res["gold_toponyms"] > 100
    assert res["recall"] > 0.45 and res["precision"] > 0.6


@pytest.mark.skipif(not (SHARED / "geoparsing" / "geowebnews.xml").exists(), reason="shared gold data absent")
def test_geowebnews_reader_reads_every_toponym():
    arts = read_geoparsing_xml(SHARED / "geoparsing" / "geowebnews.xml")
    assert len(arts) == 200
    assert sum(len(a.toponyms) for a in arts) == 6612
    # offsets point at the toponym text
    a = arts[0]
    t = next(t for t in a.toponyms if t.lat is not None)
    assert a.text[t.start : t.end] == t.text
