"""ACLED's event taxonomy, read once from ``data/shared/taxonomy.yaml``: the one place that lists the types.

Every module that needs a list of types (the trigger rules, roles, grouping, exports, the scorers)
derives it from the names here rather than writing it out again.
"""

from __future__ import annotations

from fieldreport.data import load_yaml

_DATA: dict = load_yaml("shared/taxonomy.yaml")["event_types"]

#: event_type -> its sub-event types, in ACLED's order.
EVENT_TYPES: dict[str, tuple[str, ...]] = {e: tuple(v["sub_event_types"]) for e, v in _DATA.items()}
#: sub_event_type -> event_type.
SUB_TO_EVENT_TYPE: dict[str, str] = {s: e for e, subs in EVENT_TYPES.items() for s in subs}
#: event_type -> ACLED's disorder type ("Political violence", "Demonstrations", "Strategic developments").
DISORDER_TYPE: dict[str, str] = {e: v["disorder_type"] for e, v in _DATA.items()}
#: event_type -> family: "armed" (organised political violence), "crowd" (protests, riots), "strategic".
FAMILY: dict[str, str] = {e: v["family"] for e, v in _DATA.items()}


def event_types_of(family: str) -> frozenset[str]:
    """The event types of one family ("armed", "crowd", "strategic")."""
    return frozenset(e for e, f in FAMILY.items() if f == family)


def sub_event_types_of(family: str) -> frozenset[str]:
    """The sub-event types of one family."""
    return frozenset(s for e in event_types_of(family) for s in EVENT_TYPES[e])


ARMED_EVENT_TYPES = event_types_of("armed")
CROWD_EVENT_TYPES = event_types_of("crowd")
#: What ACLED calls political violence and demonstrations: everything but strategic developments.
CONFLICT_EVENT_TYPES = ARMED_EVENT_TYPES | CROWD_EVENT_TYPES
