"""Country names and codes: the one place that asks pycountry (ISO 3166-1)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=4096)
def iso3_of(name: str | None) -> str | None:
    """ISO 3166-1 alpha-3 code of a country named in English (any of pycountry's names), or None."""
    if not name or not name.strip():
        return None
    import pycountry

    try:
        return str(pycountry.countries.lookup(name.strip()).alpha_3)
    except LookupError:
        return None


@lru_cache(maxsize=512)
def common_name(iso3: str | None) -> str | None:
    """The country's common English name ("Syria", not "Syrian Arab Republic"), or None."""
    if not iso3:
        return None
    import pycountry

    c = pycountry.countries.get(alpha_3=iso3)
    return str(getattr(c, "common_name", None) or c.name) if c is not None else None
