"""The version of tunnelkit: the installed distribution's, else the one ``pyproject.toml`` beside the sources
declares (a source checkout).  A module of its own so that the command line can print it without importing
the public API (:mod:`tunnelkit`).
"""
from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["version"]


@lru_cache(maxsize=1)
def version() -> str:
    """The installed distribution's version, else the one ``pyproject.toml`` beside the sources declares.

    Returns
    -------
    str
        E.g. ``"0.1.0"``; ``"0+unknown"`` when neither is available.
    """
    from importlib import metadata

    try:
        return metadata.version("tunnelkit")
    except metadata.PackageNotFoundError:  # a source checkout on sys.path, not installed
        pass
    from pathlib import Path

    try:
        text = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return "0+unknown"
    project = re.search(r"(?ms)^\[project\]\s*$(.*?)(?=^\[)", text + "\n[")
    found = re.search(r'(?m)^version\s*=\s*"([^"]+)"', project.group(1)) if project else None
    return found.group(1) if found else "0+unknown"
