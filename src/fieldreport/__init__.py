"""fieldreport: conflict news in, ACLED-style event records with evidence out."""

__version__ = "0.1.0"
