"""The outlet registry: who publishes, who owns it, whom it speaks for.

An analyst weighs a report by its outlet: a wire agency, a state's own media, an armed group's
channel, a monitor. The registry (``data/outlets/outlets.yaml``, plus user files given with ``--outlets`` or
named by ``$FIELDREPORT_OUTLETS``) holds each outlet's name, aliases, web domains, home country,
kind, the state or party it belongs to, its owner and its ACLED source scale.

From it this module answers:

- which outlet an article comes from (:meth:`OutletRegistry.for_article`: the article's ``outlet``
  field, its URL's domain, or a dateline such as ``"KYIV (Example Wire) -"``);
- which outlet a claimant's words name (:meth:`OutletRegistry.find_in_text`);
- whether two outlets are tied (:func:`tie_keys`: same state's media, same owner, same party), and
  whether an outlet is tied to a claimant (:func:`tied_to_claimant`) or to a side (:func:`side_keys`);
- an event's ACLED ``source_scale`` (:func:`combine_scales`).

The module is pure: data in, answers out; it reads no article and keeps no state but its cache of
the shipped registry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from fieldreport.data import load_yaml
from fieldreport.schema.records import OutletRef
from fieldreport.settings import ENV_OUTLETS, Settings

__all__ = [
    "DEFAULT_SCALE",
    "ENV_OUTLETS",
    "KINDS",
    "KIND_LABELS",
    "SCALES",
    "Outlet",
    "OutletRegistry",
    "combine_scales",
    "default_registry",
    "side_keys",
    "tie_keys",
    "tied_to_claimant",
]


#: The kinds of outlet, with the words `fieldreport outlets` shows for them.
KIND_LABELS: dict[str, str] = {
    "wire": "wire agency",
    "state": "state media",
    "party": "party or armed-group media",
    "public": "public broadcaster",
    "private": "private",
    "local": "local",
    "monitor": "NGO or monitor",
    "official": "official channel",
}
KINDS: tuple[str, ...] = tuple(KIND_LABELS)

#: ACLED's source scales, in the order ACLED joins them ("National-International").
SCALES: tuple[str, ...] = ("Local", "Subnational", "National", "Regional", "International", "Other", "New media")

#: The scale of an outlet whose entry gives none.
DEFAULT_SCALE: dict[str, str] = {
    "wire": "International",
    "state": "National",
    "party": "Other",
    "public": "National",
    "private": "National",
    "local": "Subnational",
    "monitor": "Other",
    "official": "Other",
}

#: Claimant kinds that speak for a state (see ``extract/claims.py``).
STATE_CLAIMANTS = frozenset({"government", "military", "police"})

_YEARS = re.compile(r"\s*\([^)]*\)\s*")


def bare_actor(name: str | None) -> str:
    """An actor name without its bracketed years or country, lower case: the key of a party."""
    return _YEARS.sub(" ", name or "").strip().casefold()


def _norm(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").casefold()
    text = re.sub(r"[\s_]+", " ", text).strip(" .,;:-–—\"'()[]")
    return re.sub(r"^the ", "", text)


@dataclass(frozen=True)
class Outlet:
    """One entry of the registry."""

    name: str
    kind: str
    country: str | None = None  # ISO3 of the home country
    state: str | None = None  # ISO3 of the state whose media or channel it is
    party: str | None = None  # ACLED name of the armed group or party it speaks for
    owner: str | None = None  # owner or network: outlets of one owner are one voice
    scale: str = ""  # ACLED source scale
    speaks_for: str | None = None  # for official channels: the claimant kind (military, government, ...)
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    origin: str = "outlets/outlets.yaml"

    @classmethod
    def from_dict(cls, d: dict[str, Any], origin: str) -> "Outlet":
        if not isinstance(d, dict) or not d.get("name"):
            raise ValueError(f"{origin}: every outlet needs a name (got {d!r})")
        kind = str(d.get("kind") or "private")
        if kind not in KIND_LABELS:
            raise ValueError(f"{origin}: outlet {d['name']!r} has kind {kind!r}; use one of {', '.join(KINDS)}")
        scale = str(d.get("scale") or DEFAULT_SCALE[kind])
        if scale not in SCALES:
            raise ValueError(f"{origin}: outlet {d['name']!r} has scale {scale!r}; use one of {', '.join(SCALES)}")
        country = _iso3(d.get("country"), origin, d["name"])
        state = _iso3(d.get("state"), origin, d["name"]) or (country if kind == "state" else None)
        return cls(
            name=str(d["name"]),
            kind=kind,
            country=country,
            state=state,
            party=str(d["party"]) if d.get("party") else None,
            owner=str(d["owner"]) if d.get("owner") else None,
            scale=scale,
            speaks_for=str(d["speaks_for"]) if d.get("speaks_for") else None,
            aliases=tuple(str(a) for a in d.get("aliases") or ()),
            domains=tuple(str(x).lower().removeprefix("www.") for x in d.get("domains") or ()),
            origin=origin,
        )

    @property
    def label(self) -> str:
        """The kind in words: "state media (RUS)", "wire agency"."""
        words = KIND_LABELS[self.kind]
        if self.kind in ("state", "official") and self.state:
            return f"{words} ({self.state})"
        if self.party:
            return f"{words} ({self.party})"
        return words

    def ref(self) -> OutletRef:
        """What a record keeps of its outlet."""
        return OutletRef(
            name=self.name, kind=self.kind, country=self.country, state=self.state, party=self.party,
            owner=self.owner, scale=self.scale,
        )  # fmt: skip


def _iso3(value: Any, origin: str, name: str) -> str | None:
    if not value:
        return None
    v = str(value).strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", v):
        raise ValueError(f"{origin}: outlet {name!r}: {value!r} is no ISO 3166 alpha-3 country code")
    return v


# ----------------------------------------------------------------------------------------------
# Ties


def tie_keys(o: Outlet | OutletRef | None, name: str | None = None) -> frozenset[str]:
    """Keys that tie outlets to each other: two outlets sharing a key are one voice.

    An outlet is its own key; a state's media share the state's key, an armed group's media the
    group's, outlets of one owner the owner's. ``name`` stands for an outlet the registry does not know.
    """
    if o is None:
        return frozenset({"outlet:" + _norm(name)}) if name else frozenset()
    keys = {"outlet:" + _norm(o.name)}
    if o.state and o.kind in ("state", "official"):
        keys.add("state:" + o.state)
    if o.party:
        keys.add("party:" + bare_actor(o.party))
    if o.owner:
        keys.add("owner:" + _norm(o.owner))
    return frozenset(keys)


def side_keys(
    claimant_kind: str | None, claimant_country: str | None, claimant_actor: str | None = None
) -> frozenset[str]:
    """The keys of the side a claimant speaks for: its state (a state body, or a state's media) or
    its armed group."""
    keys: set[str] = set()
    if claimant_country and (claimant_kind in STATE_CLAIMANTS or claimant_kind == "media"):
        keys.add("state:" + claimant_country)
    if claimant_actor and (claimant_kind not in STATE_CLAIMANTS or not claimant_country):
        # a group, or a body of a group's administration ("the Hamas-run health ministry")
        keys.add("party:" + bare_actor(claimant_actor))
    return frozenset(keys)


def tied_to_claimant(
    o: Outlet | OutletRef | None,
    claimant: str | None,
    claimant_kind: str | None,
    claimant_country: str | None,
    claimant_actor: str | None = None,
) -> bool:
    """True when the outlet is the claimant's own or its owner's: state media of the claimant's state
    relaying that state's bodies, an armed group's channel relaying the group, or the outlet itself."""
    if o is None:
        return False
    if claimant and _norm(claimant) == _norm(o.name):
        return True
    own = tie_keys(o) - {"outlet:" + _norm(o.name)}
    return bool(own & side_keys(claimant_kind, claimant_country, claimant_actor))


def combine_scales(scales: Iterable[str | None]) -> str:
    """ACLED's source scale of several reports: the distinct scales in ACLED's order, joined by "-"."""
    have = {s for s in scales if s}
    known = [s for s in SCALES if s in have]
    return "-".join(known + sorted(have - set(SCALES)))


# ----------------------------------------------------------------------------------------------
# The registry


_DATELINES = (
    # "KYIV, May 3 (Example Wire) - ...", "(Reuters) -"
    re.compile(r"\(([A-Z][\w&.'’ -]{0,48}?)\)\s*[-–—:]"),
    # "MOSCOW, May 3. /TASS/."
    re.compile(r"/([A-Z][\w&.' -]{0,30}?)/"),
)
#: How far into an article a dateline may stand.
DATELINE_CHARS = 160


@dataclass
class OutletRegistry:
    outlets: list[Outlet]
    _by_key: dict[str, Outlet] = field(default_factory=dict, repr=False)
    _by_domain: dict[str, Outlet] = field(default_factory=dict, repr=False)
    _rx_cs: re.Pattern[str] | None = field(default=None, repr=False)
    _rx_ci: re.Pattern[str] | None = field(default=None, repr=False)
    _by_surface: dict[str, Outlet] = field(default_factory=dict, repr=False)
    _words: tuple[list[str], list[str]] = field(default=([], []), repr=False)

    def __post_init__(self) -> None:
        # later entries (user files) replace earlier ones of the same name
        by_name: dict[str, Outlet] = {}
        for o in self.outlets:
            by_name[_norm(o.name)] = o
        self.outlets = list(by_name.values())
        cs: list[str] = []
        ci: list[str] = []
        for o in self.outlets:
            for surface in (o.name, *o.aliases):
                key = _norm(surface)
                if key:
                    self._by_key.setdefault(key, o)
                    if _norm(o.name) == key:
                        self._by_key[key] = o  # a name beats another outlet's alias
                # in running text, one-word names must be spelled as written ("Dawn", "RT"); longer
                # names match whatever the case ("the associated press")
                if len(surface.split()) == 1:
                    cs.append(surface)
                    self._by_surface.setdefault(surface, o)
                else:
                    ci.append(surface)
                    self._by_surface.setdefault(surface.casefold(), o)
            for d in o.domains:
                self._by_domain.setdefault(d, o)
                self._by_key.setdefault(_norm(d), o)

        self._words = (cs, ci)  # compiled on first use: look-ups by name need no regular expression

    def _patterns(self) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
        def rx(words: list[str], flags: int) -> re.Pattern[str] | None:
            if not words:
                return None
            alt = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
            return re.compile(r"(?<![\w.])(?:" + alt + r")(?![\w])", flags)

        if self._rx_cs is None and self._rx_ci is None:
            self._rx_cs = rx(self._words[0], 0)
            self._rx_ci = rx(self._words[1], re.IGNORECASE)
        return self._rx_cs, self._rx_ci

    # -- loading -----------------------------------------------------------------------------------

    @classmethod
    def load(cls, extra_paths: Sequence[str | Path] | None = None, use_env: bool = True) -> "OutletRegistry":
        """The shipped registry plus user files (same schema as ``data/outlets/outlets.yaml``), read in order,
        then the file named by ``$FIELDREPORT_OUTLETS`` (when ``use_env``). An entry whose name is
        already known replaces the shipped one."""
        raw = _shipped()
        entries = [Outlet.from_dict(d, "outlets/outlets.yaml") for d in raw["outlets"]]
        paths = [Path(p) for p in extra_paths or []]
        env = Settings.from_env().outlets if use_env else None
        if env:
            paths.append(Path(env))
        for p in paths:
            if not p.exists():
                raise FileNotFoundError(f"outlet file {str(p)!r} does not exist (given with --outlets or ${ENV_OUTLETS})")
            try:
                data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
            except yaml.YAMLError as exc:
                raise ValueError(f"{p}: not valid YAML: {exc}") from exc
            items = data.get("outlets") if isinstance(data, dict) else data
            if not isinstance(items, list):
                raise ValueError(f"{p}: expected a mapping with an 'outlets' list (see fieldreport/data/outlets/outlets.yaml)")
            entries.extend(Outlet.from_dict(d, str(p)) for d in items)
        return cls(entries)

    def __len__(self) -> int:
        return len(self.outlets)

    # -- look-ups ----------------------------------------------------------------------------------

    def get(self, name: str | None) -> Outlet | None:
        """The outlet a name, an alias or a domain stands for (any case), else None.

        A name qualified the way coded data sets tell outlets apart, "Dawn (Pakistan)", "Daily Trust
        (Nigeria)", is the outlet of that name based in that country (not one of the same name
        elsewhere); another qualifier, "Human Rights Activists in Iran (HRA)", may be a short name."""
        if not name:
            return None
        hit = self._by_key.get(_norm(name)) or self.from_url(name)
        if hit is not None:
            return hit
        plain = _NOISE_RX().sub(" ", _norm(name))
        plain = re.sub(r"\s+", " ", plain).strip()
        if plain and plain != _norm(name):
            hit = self._by_key.get(plain) or self._by_key.get(_norm(plain))
            if hit is not None:
                return hit
        m = re.fullmatch(r"\s*(.+?)\s*\(([^()]+)\)\s*", name)
        if m is None:
            return None
        bare, qual = m.group(1), m.group(2)
        iso3 = _country_names().get(qual.strip().casefold())
        found = self._by_key.get(_norm(bare))
        if iso3 is not None:
            return found if found is not None and iso3 in (found.country, found.state) else None
        return found or self._by_key.get(_norm(qual))

    def from_url(self, url: str | None) -> Outlet | None:
        """The outlet of a URL (or bare host name): its domain, or a parent domain of it."""
        host = _host(url)
        if not host:
            return None
        labels = host.split(".")
        for i in range(len(labels) - 1):
            hit = self._by_domain.get(".".join(labels[i:]))
            if hit is not None:
                return hit
        return None

    def find_in_text(self, text: str) -> Outlet | None:
        """The outlet named in some words ("Russia's state news agency TASS"): the longest name found."""
        best: tuple[int, Outlet] | None = None
        rx_cs, rx_ci = self._patterns()
        for rx, fold in ((rx_cs, False), (rx_ci, True)):
            if rx is None:
                continue
            for m in rx.finditer(text):
                o = self._by_surface.get(m.group(0).casefold() if fold else m.group(0))
                if o is not None and (best is None or len(m.group(0)) > best[0]):
                    best = (len(m.group(0)), o)
        return best[1] if best else None

    def dateline(self, text: str) -> tuple[str, int, int] | None:
        """The outlet named in an article's dateline ("KYIV (Example Wire) -"): its words and offsets."""
        head = text[:DATELINE_CHARS]
        for i, rx in enumerate(_DATELINES):
            for m in rx.finditer(head):
                name = m.group(1).strip()
                known = self.get(name) is not None
                # a dateline names an outlet, not a date or a number ("(Jan 3)", "(2017)"); the
                # "/TASS/" form only for outlets the registry knows (a URL's path looks the same)
                if not known and (i > 0 or re.search(r"\d", name)):
                    continue
                return name, m.start(1), m.start(1) + len(name)
        return None

    def for_article(
        self, outlet: str | None, url: str | None = None, text: str = ""
    ) -> tuple[str | None, Outlet | None]:
        """The source of an article and its registry entry: the outlet a known dateline names (the
        wire that wrote a syndicated story), else the article's ``outlet`` field, else its URL's
        domain, else an unknown dateline. The name is the registry's when the outlet is known."""
        line = self.dateline(text) if text else None
        if line is not None:
            hit = self.get(line[0])
            if hit is not None:
                return hit.name, hit
        if outlet and outlet.strip():
            hit = self.get(outlet)
            return (hit.name if hit else outlet.strip()), hit
        if url:
            hit = self.from_url(url)
            if hit is not None:
                return hit.name, hit
        if line is not None:
            return line[0], None
        host = _host(url)
        return (host or None), None

    def search(self, query: str | None = None, limit: int | None = None) -> list[Outlet]:
        """Outlets whose name, alias, domain, country, kind, state, party or owner holds the query: the
        outlet it names first, then exact fields ("RUS", "monitor", "state media"), then words that
        begin with it, then any other match; alphabetical within each."""
        if not query:
            found = list(self.outlets)
            return found[:limit] if limit else found
        q = _norm(query)
        word = re.compile(r"(?<![\w])" + re.escape(q))
        exact = self.get(query)
        ranked: list[tuple[int, str, Outlet]] = []
        for o in self.outlets:
            names = [_norm(h) for h in (o.name, *o.aliases, *o.domains)]
            fields = [_norm(h) for h in (o.country, o.state, o.party, o.owner, o.kind, KIND_LABELS[o.kind], o.label, o.scale) if h]
            if o is exact:
                rank = 0
            elif q in names or q in fields:
                rank = 1
            elif any(word.search(h) for h in names + fields):
                rank = 2
            elif any(q in h for h in names + fields):
                rank = 3
            else:
                continue
            ranked.append((rank, o.name.casefold(), o))
        found = [o for *_k, o in sorted(ranked, key=lambda x: (x[0], x[1]))]
        return found[:limit] if limit else found


@lru_cache(maxsize=1)
def _shipped() -> dict[str, Any]:
    """data/outlets/outlets.yaml, read with libyaml when PyYAML has it (the file is large)."""
    from importlib import resources

    text = resources.files("fieldreport.data").joinpath("outlets/outlets.yaml").read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader


@lru_cache(maxsize=1)
def _NOISE_RX() -> re.Pattern[str]:  # noqa: N802 - a cached constant
    words = sorted((str(w).casefold() for w in _shipped().get("name_noise") or []), key=len, reverse=True)
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w])") if words else re.compile(r"(?!x)x")


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """English country names and their aliases (data/shared/demonyms.yaml) to ISO3."""
    out: dict[str, str] = {}
    try:
        raw = load_yaml("shared/demonyms.yaml") or {}
    except Exception:  # shared data of the actors and places; never fail a look-up on it
        return out
    for iso3, spec in raw.items():
        if isinstance(spec, dict):
            for n in [spec.get("name"), *(spec.get("aliases") or [])]:
                if isinstance(n, str):
                    out[n.casefold()] = str(iso3)
    return out


def _host(url: str | None) -> str | None:
    if not url or not url.strip():
        return None
    u = url.strip()
    if "://" not in u:
        if " " in u or "." not in u:
            return None
        u = "http://" + u
    try:
        host = urlsplit(u).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.lower().rstrip(".")
    for prefix in ("www.", "m.", "amp.", "mobile."):
        host = host.removeprefix(prefix)
    return host


@lru_cache(maxsize=4)
def _cached(paths: tuple[str, ...], env: str | None) -> OutletRegistry:
    return OutletRegistry.load(extra_paths=list(paths) + ([env] if env else []), use_env=False)


def default_registry(extra_paths: Sequence[str | Path] | None = None) -> OutletRegistry:
    """The shipped registry with the user's files (and ``$FIELDREPORT_OUTLETS``), loaded once."""
    return _cached(tuple(str(p) for p in extra_paths or ()), Settings.from_env().outlets)
