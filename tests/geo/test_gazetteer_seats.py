"""Where the index puts a district that no town of cities500 lies in: at the town that gives it its
name, else at its province's point (real GeoNames data from the installed packages)."""

from __future__ import annotations

from fieldreport.geo.gazetteer import F_ADMIN1, F_ADMIN2, F_CITY, _seat_town, default_gazetteer, haversine_km


def _entry(name: str, iso2: str, feat: int) -> int:
    g = default_gazetteer()
    ids = [i for i in g.lookup(name) if g.feat[i] == feat and g.iso2(i) == iso2]
    assert ids, (name, iso2)
    return ids[0]


def test_seat_town_is_the_town_whose_name_begins_the_district_s():
    towns = [("grayvoron", 50.48, 35.68, 6000), ("gray", 1.0, 1.0, 90000), ("belgorod", 50.6, 36.6, 390000)]
    assert _seat_town(towns, "Grayvoronsky") == (50.48, 35.68)  # the longer stem wins over "gray"
    assert _seat_town(towns, "Krasnoyaruzhsky") is None
    assert _seat_town([("sud", 1.0, 1.0, 10)], "Sudzhansky") is None  # too short a stem


def test_a_townless_russian_district_lies_at_its_seat_town():
    g = default_gazetteer()
    d = _entry("Grayvoronsky", "RU", F_ADMIN2)
    town = _entry("Grayvoron", "RU", F_CITY)
    province = _entry("Belgorod", "RU", F_ADMIN1)
    assert haversine_km(g.lat[d], g.lon[d], g.lat[town], g.lon[town]) < 1
    assert haversine_km(g.lat[d], g.lon[d], g.lat[province], g.lon[province]) > 25


def test_a_district_with_no_town_of_its_name_keeps_its_province_point():
    g = default_gazetteer()
    d = _entry("Karimama", "BJ", F_ADMIN2)
    province = _entry("Alibori", "BJ", F_ADMIN1)
    assert (g.lat[d], g.lon[d]) == (g.lat[province], g.lon[province])


def test_an_old_province_name_is_no_alias_of_the_province_split_from_it():
    # Rangpur Division was cut out of Rajshahi Division; its towns' older records still say
    # "Rajshahi", which must not make "Rajshahi" a name of Rangpur Division
    g = default_gazetteer()
    provinces = [g.admin1(i) for i in g.lookup("Rajshahi") if g.feat[i] == F_ADMIN1 and g.iso2(i) == "BD"]
    assert provinces == ["Rajshahi"]


def test_a_seat_town_ending_in_a_vowel_gives_its_stem():
    assert _seat_town([("glushkovo", 51.34, 34.64, 5600)], "Glushkovsky") == (51.34, 34.64)
    assert _seat_town([("sudzha", 51.19, 35.27, 5700)], "Sudzhansky") == (51.19, 35.27)


def test_slavic_adjective_endings_are_one_key():
    from fieldreport.geo.normalize import place_key

    assert place_key("Shebekinskiy") == place_key("Shebekinsky") == place_key("Shebekinskii")
    assert place_key("Pokrovskyi") == place_key("Pokrovsky")
    assert place_key("Chernivtsi") == "chernivtsi" and place_key("Ski") == "ski"
    g = default_gazetteer()
    assert any(g.feat[i] == F_ADMIN2 and g.iso2(i) == "RU" for i in g.lookup("Shebekinskiy"))


def test_coders_names_of_divisions_are_aliases():
    # places/event_location.yaml: Hebrew district names and English names of Lebanon's divisions
    g = default_gazetteer()
    assert [g.names[i] for i in g.lookup("HaZafon") if g.iso2(i) == "IL"] == ["Northern District"]
    assert any(g.feat[i] == F_ADMIN1 and g.iso2(i) == "LB" for i in g.lookup("South"))
    assert any(g.feat[i] == F_ADMIN2 and g.iso2(i) == "LB" for i in g.lookup("Tyr"))
