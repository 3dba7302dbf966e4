"""Where tunnelkit caches results on disk, and the key that invalidates them (no SymPy import).

``cache_dir()`` is ``$TUNNELKIT_CACHE_DIR`` (default ``~/.cache/tunnelkit``); ``source_key()``
hashes every source file of the ``tunnelkit``, ``derive`` and ``numeric`` packages and the
SymPy/mpmath/NumPy versions, so any change of code invalidates what was cached.  Used by the
verification registry (:mod:`tunnelkit.registry.core`) and by the model evaluators
(:mod:`tunnelkit.models`), which load cached evaluators without importing SymPy.
"""
from __future__ import annotations

import hashlib
import os
from importlib import metadata
from pathlib import Path

__all__ = ["cache_dir", "source_key"]


def cache_dir() -> Path:
    """The cache folder (``$TUNNELKIT_CACHE_DIR`` or ``~/.cache/tunnelkit``).

    Returns
    -------
    pathlib.Path
        The folder (not created here).
    """
    return Path(os.environ.get("TUNNELKIT_CACHE_DIR", Path.home() / ".cache" / "tunnelkit"))


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:  # pragma: no cover - an unusual installation
        return "?"


def source_key() -> str:
    """Hash of all package sources and library versions (cache invalidation key).

    Returns
    -------
    str
        20 hexadecimal digits.
    """
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for pkg in ("tunnelkit", "derive", "numeric"):
        for path in sorted((root / pkg).rglob("*.py")):
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
    h.update(f"{_version('sympy')}|{_version('mpmath')}|{_version('numpy')}".encode())
    return h.hexdigest()[:20]
