"""Shared fixtures: the pipeline is loaded once per test session (spaCy, gazetteer, dictionaries)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def pipeline():
    from fieldreport.assemble.pipeline import Pipeline

    return Pipeline.default()


@pytest.fixture(scope="session")
def nlp():
    from fieldreport.text.nlp import load_nlp

    return load_nlp()


def shared_file(*parts: str) -> Path:
    """A gold file under ../shared, or skip the test with the reason."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared gold data sits beside the project in development and CI)")
    return path


#: Modules whose tests start real processes, servers, Spark or a browser: `pytest -m "not slow"` skips
#: them for a quick run; CI runs everything.
SLOW_MODULES = {"test_spark", "test_faults", "test_desk_api", "test_desk_browser", "test_web_inputs",
                "test_windows", "test_who_says_so"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.module.__name__.rsplit(".", 1)[-1] in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
