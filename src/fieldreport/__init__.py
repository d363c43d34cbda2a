"""fieldreport: conflict news in, ACLED-style event records with evidence out."""

__version__ = "0.1.0"

__all__ = ["Article", "EventRecord", "Pipeline", "__version__"]


def __getattr__(name: str):
    """The library's front door, loaded on first use so that `import fieldreport` stays cheap."""
    if name == "Pipeline":
        from fieldreport.assemble.pipeline import Pipeline

        return Pipeline
    if name in ("Article", "EventRecord"):
        from fieldreport.schema import records

        return getattr(records, name)
    raise AttributeError(f"module 'fieldreport' has no attribute {name!r}")
