"""The user's settings from the environment: the one module that reads ``os.environ``.

Command-line options win over these; library calls take explicit arguments and fall back on them.

| variable | what |
|---|---|
| ``FIELDREPORT_DB`` | the store (default ``./fieldreport.duckdb``) |
| ``FIELDREPORT_SPACY_MODEL`` | the spaCy pipeline (default the pinned small English model) |
| ``FIELDREPORT_ACTORS`` | extra actor dictionaries, separated by the path separator |
| ``FIELDREPORT_OUTLETS`` | an extra outlet registry file (schema of ``data/outlets/outlets.yaml``) |
| ``FIELDREPORT_CACHE_DIR`` | where the place index is built (default the user's cache directory) |
"""

from __future__ import annotations

import os
from dataclasses import dataclass

ENV_DB = "FIELDREPORT_DB"
ENV_MODEL = "FIELDREPORT_SPACY_MODEL"
ENV_ACTORS = "FIELDREPORT_ACTORS"
ENV_CACHE = "FIELDREPORT_CACHE_DIR"
ENV_OUTLETS = "FIELDREPORT_OUTLETS"


@dataclass(frozen=True)
class Settings:
    db: str | None = None
    model: str | None = None
    actors: str | None = None
    cache_dir: str | None = None
    outlets: str | None = None

    @classmethod
    def from_env(cls) -> "Settings":
        """The settings as the environment gives them now (empty values count as unset)."""
        get = lambda name: os.environ.get(name) or None  # noqa: E731
        return cls(db=get(ENV_DB), model=get(ENV_MODEL), actors=get(ENV_ACTORS), cache_dir=get(ENV_CACHE),
                   outlets=get(ENV_OUTLETS))
