"""Versioned data files (lexicons, dictionaries, rules) read by the extractors."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


@lru_cache(maxsize=None)
def load_yaml(name: str) -> Any:
    """Load ``fieldreport/data/<name>`` (a YAML file shipped with the package)."""
    return yaml.safe_load(resources.files(__name__).joinpath(name).read_text(encoding="utf-8"))
