r"""The disk cache: its folder, its source key, and the one reader/writer of its entries (no SymPy import).

Every cached result goes through :func:`load` / :func:`store` (bytes) or :func:`load_json` /
:func:`store_json`: verification results (``verify``, ``paper``), derived forms (``derive``) and
generated model evaluators (``models``).

Folder
    ``$TUNNELKIT_CACHE_DIR`` (an empty value counts as unset), else the platform's user cache folder,
    ``platformdirs.user_cache_dir("tunnelkit")`` (``$XDG_CACHE_HOME/tunnelkit``, default
    ``~/.cache/tunnelkit``, on Linux).  The default folder is created with its parents; a folder named
    in ``$TUNNELKIT_CACHE_DIR`` must have an existing parent (a typo creates no tree of folders).
    It is created private (0700), its files are 0600; a folder of ours readable by others is made
    0700.  Layout: ``hmac.key`` and one subfolder per kind, one file per entry.
Entries
    A file is a header line ``#tunnelkit-cache 1 <source key> <hmac>`` followed by the payload.  The
    HMAC-SHA256, under a per-user secret key (``hmac.key``, 32 random bytes, 0600), covers the kind,
    the file name, the source key and the payload.  Writes go to a private temporary file that is
    renamed over the entry (``os.replace``): a reader, a concurrent writer or a killed run sees the
    whole old entry, the whole new one, or none.  An entry that is truncated, garbage, larger than
    :data:`MAX_ENTRY_BYTES`, not a regular file, of another source key or whose HMAC does not match is
    ignored and deleted; the caller recomputes it and stores it again (one warning line per process).
Threat model
    Someone who can place or edit files in the cache folder but cannot read ``hmac.key`` (a planted
    module under the predictable name of an evaluator, an entry edited to say ``verified``, a cache
    folder copied from elsewhere without its key, a damaged disk) cannot make tunnelkit run code or
    serve a result: generated modules are executed only from the bytes whose HMAC was checked (never
    re-read from disk).  A folder owned by another user or writable by group or others is not used at
    all.  Not covered: an attacker running as the same user (who could as well edit tunnelkit).
Unusable folder
    A folder that is a file, has no parent, is not writable, or is not private disables the cache for
    the process: every command works without it, after exactly one line on stderr,
    ``tunnelkit: cache disabled: <folder>: <reason>``.
Source key
    :func:`source_key` hashes every file shipped in the ``tunnelkit``, ``derive`` and ``numeric``
    packages (sources and data such as ``*.lark`` grammars; not ``__pycache__``) and the
    SymPy/mpmath/NumPy versions, once per process: any change of code or data invalidates the cache.
Garbage collection
    At the first write of a process, entries written under another source key and unused (neither
    read nor written) for :data:`GC_DAYS` days are deleted, as are temporary files of killed writes
    older than an hour and files that are no entries (old cache layouts).  Other checkouts sharing
    the folder keep their recent entries.  ``tunnelkit cache info`` / ``tunnelkit cache clear``
    (:func:`info`, :func:`clear`) show and remove entries.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import stat
import sys
import tempfile
import time
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = ["cache_dir", "source_key", "tree_key", "load", "store", "load_json", "store_json", "discard", "info",
           "clear", "KINDS", "GC_DAYS", "MAX_ENTRY_BYTES"]

#: the kinds of entries (one subfolder each)
KINDS = ("verify", "paper", "derive", "models")
#: entries of another source key unused for this many days are deleted at the first write of a process
GC_DAYS = 7.0
#: an entry file larger than this is not read (an evaluator module is tens of kB)
MAX_ENTRY_BYTES = 64 * 2**20
_KEY_FILE = "hmac.key"
_KEY_BYTES = 32
_MAGIC = b"#tunnelkit-cache"
_VERSION = b"1"
_TMP_MAX_AGE = 3600.0
#: files of the cache layout before entries had headers
_OLD_LAYOUT = ("verify-*.json", "paper-*.json")
_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._=+-]{0,150}")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
_POSIX = hasattr(os, "getuid")

#: folder -> (key, None) when usable, (None, reason) when disabled; filled on first use in a process
_STATE: dict[str, tuple[bytes | None, str | None]] = {}
_WARNED: set[str] = set()
_GC_DONE: set[str] = set()


def cache_dir() -> Path:
    """The cache folder: ``$TUNNELKIT_CACHE_DIR`` unless empty, else the platform's user cache folder.

    Returns
    -------
    pathlib.Path
        An absolute path (not created here).
    """
    given = os.environ.get("TUNNELKIT_CACHE_DIR", "").strip()
    if given:
        return Path(given).expanduser().absolute()
    import platformdirs

    return Path(platformdirs.user_cache_dir("tunnelkit", appauthor=False)).absolute()


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:  # pragma: no cover - an unusual installation
        return "?"


def tree_key(root: Path, packages: tuple[str, ...] = ("tunnelkit", "derive", "numeric")) -> str:
    """Hash of the relative path and bytes of every file of ``packages`` under ``root`` (not ``__pycache__``).

    Parameters
    ----------
    root : pathlib.Path
        The folder holding the packages.
    packages : tuple of str
        Package folder names.

    Returns
    -------
    str
        64 hexadecimal digits.
    """
    h = hashlib.sha256()
    for pkg in packages:
        for path in sorted((root / pkg).rglob("*")):
            rel = path.relative_to(root)
            if "__pycache__" in rel.parts or path.suffix in (".pyc", ".pyo") or not path.is_file():
                continue
            data = path.read_bytes()
            h.update(f"{rel.as_posix()}\0{len(data)}\0".encode())
            h.update(data)
    return h.hexdigest()


@lru_cache(maxsize=1)
def source_key() -> str:
    """Hash of every file of the three packages and of the library versions, computed once per process.

    Returns
    -------
    str
        20 hexadecimal digits.
    """
    h = hashlib.sha256(tree_key(Path(__file__).resolve().parents[1]).encode())
    h.update(f"|{_version('sympy')}|{_version('mpmath')}|{_version('numpy')}".encode())
    return h.hexdigest()[:20]


# ----------------------------------------------------------------------------- the folder and its key

def _warn_once(tag: str, line: str) -> None:
    if tag not in _WARNED:
        _WARNED.add(tag)
        print(line, file=sys.stderr)


def _folder_problem(st: os.stat_result) -> str | None:
    """Why a folder's own status makes it unusable (None: usable)."""
    if not stat.S_ISDIR(st.st_mode):
        return "not a folder"
    if _POSIX:
        if st.st_uid != os.getuid():
            return f"owned by another user (uid {st.st_uid})"
        if st.st_mode & 0o022:
            return f"writable by group or others (mode {stat.S_IMODE(st.st_mode):04o})"
        if st.st_mode & 0o700 != 0o700:
            return f"not writable (mode {stat.S_IMODE(st.st_mode):04o})"
    return None


def _check_folder(folder: Path, *, create: bool, parents: bool) -> str | None:
    """Make ``folder`` a private folder of ours (creating it if asked); the reason it cannot be, or None."""
    try:
        st = os.stat(folder)
    except FileNotFoundError:
        if not create:
            return "does not exist"
        if not parents and not folder.parent.is_dir():
            return "its parent folder does not exist"
        try:
            if parents:
                folder.parent.mkdir(parents=True, exist_ok=True)
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass
        except OSError as exc:
            return f"cannot create it ({exc.strerror or exc})"
        try:
            st = os.stat(folder)
        except OSError as exc:
            return f"cannot read it ({exc.strerror or exc})"
    except NotADirectoryError:
        return "a parent of it is not a folder"
    except OSError as exc:
        return f"cannot read it ({exc.strerror or exc})"
    problem = _folder_problem(st)
    if problem is None and create and _POSIX and st.st_mode & 0o077:
        try:
            os.chmod(folder, 0o700)  # ours, readable by others: made private
        except OSError as exc:
            return f"cannot make it private ({exc.strerror or exc})"
    if problem is None and not os.access(folder, os.W_OK | os.X_OK):
        return "not writable"
    return problem


def _read_regular(path: Path, limit: int) -> tuple[bytes, os.stat_result] | None:
    """The bytes of a regular file of at most ``limit`` bytes (symlinks, FIFOs, ... are not followed)."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
        return (data, st) if len(data) <= limit else None
    except OSError:
        return None
    finally:
        os.close(fd)


def _read_key(path: Path) -> bytes | None:
    got = _read_regular(path, _KEY_BYTES)
    if got is None:
        return None
    data, st = got
    if len(data) != _KEY_BYTES or (_POSIX and (st.st_uid != os.getuid() or st.st_mode & 0o077)):
        return None
    return data


def _secret_key(folder: Path) -> bytes:
    """The folder's HMAC key, created (0600, atomically: concurrent first runs agree on one key) if absent."""
    path = folder / _KEY_FILE
    for _ in range(3):
        key = _read_key(path)
        if key is not None:
            return key
        if os.path.lexists(path):  # not ours, not private, wrong size: replaced (our folder)
            os.unlink(path)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".key-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(_KEY_BYTES))
            try:
                os.link(tmp, path)  # fails if another process made the key first: then its key is read
            except FileExistsError:
                pass
            except OSError:  # a file system without hard links
                if not os.path.lexists(path):
                    os.replace(tmp, path)
        finally:
            if os.path.lexists(tmp):
                os.unlink(tmp)
    raise OSError(f"cannot establish {_KEY_FILE}")


def _disable(folder: Path, reason: str) -> None:
    _STATE[str(folder)] = (None, reason)
    _warn_once(f"disabled:{folder}", f"tunnelkit: cache disabled: {folder}: {reason}")


def _ready() -> tuple[Path, bytes] | None:
    """The cache folder and its key, or None (cache disabled: warned once)."""
    folder = cache_dir()
    state = _STATE.get(str(folder))
    if state is None:
        explicit = bool(os.environ.get("TUNNELKIT_CACHE_DIR", "").strip())
        reason = _check_folder(folder, create=True, parents=not explicit)
        key = None
        if reason is None:
            try:
                key = _secret_key(folder)
            except OSError as exc:
                reason = f"cannot write its key ({getattr(exc, 'strerror', None) or exc})"
        if reason is not None:
            _disable(folder, reason)
            return None
        state = _STATE[str(folder)] = (key, None)
    key, _ = state
    return None if key is None else (folder, key)


# ----------------------------------------------------------------------------- entries

def _safe_name(name: str) -> str:
    """A file name for an entry name: kept when it is plain, else cleaned and made unique by a hash."""
    if _SAFE.fullmatch(name) and not name.endswith(".tmp"):
        return name
    clean = re.sub(r"[^A-Za-z0-9._=+-]", "_", name)[:100].lstrip(".") or "_"
    return f"{clean}.{hashlib.sha256(name.encode()).hexdigest()[:16]}"


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"cache kind must be one of {', '.join(KINDS)} (got {kind!r})")


def _mac(key: bytes, kind: str, fname: str, source: bytes, payload: bytes) -> bytes:
    msg = b"\0".join([_MAGIC, _VERSION, kind.encode(), fname.encode(), source]) + b"\0"
    return hmac.new(key, msg + payload, hashlib.sha256).hexdigest().encode()


def _header(data: bytes) -> tuple[bytes, bytes, bytes] | None:
    """(source key, hmac, payload) of an entry's bytes, or None when it has no header."""
    head, sep, payload = data.partition(b"\n")
    fields = head.split(b" ")
    if not sep or len(fields) != 4 or fields[0] != _MAGIC or fields[1] != _VERSION:
        return None
    return fields[2], fields[3], payload


def _drop(path: Path, st: os.stat_result, reason: str) -> None:
    """Delete a bad entry -- unless a concurrent writer has replaced it meanwhile."""
    _warn_once("damaged", f"tunnelkit: cache entry discarded and recomputed: {path}: {reason}")
    try:
        if os.lstat(path).st_ino == st.st_ino:
            os.unlink(path)
    except OSError:
        pass


def load(kind: str, name: str) -> bytes | None:
    """The payload of an entry, or None when it is absent, damaged or forged (then it is deleted).

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.
    name : str
        The entry's name (any text; mapped to a safe file name).

    Returns
    -------
    bytes or None
        Exactly the bytes whose HMAC was checked.
    """
    _check_kind(kind)
    ready = _ready()
    if ready is None:
        return None
    folder, key = ready
    fname = _safe_name(name)
    path = folder / kind / fname
    if not os.path.lexists(path):
        return None
    got = _read_regular(path, MAX_ENTRY_BYTES)
    if got is None:
        try:
            st = os.lstat(path)
        except OSError:
            return None
        _drop(path, st, "not a readable regular file of at most 64 MiB")
        return None
    data, st = got
    parts = _header(data)
    source = source_key().encode()
    if parts is None:
        _drop(path, st, "no valid header (truncated or not written by tunnelkit)")
        return None
    if parts[0] != source:
        _drop(path, st, "written under another source key")
        return None
    if not hmac.compare_digest(parts[1], _mac(key, kind, fname, source, parts[2])):
        _drop(path, st, "content hash does not match (edited or planted)")
        return None
    if time.time() - st.st_mtime > 3600:
        try:
            os.utime(path)  # last use: what garbage collection and `cache clear --older-than` go by
        except OSError:
            pass
    return parts[2]


def store(kind: str, name: str, payload: bytes) -> bool:
    """Write an entry atomically (0600, with its HMAC); False when the cache is disabled or the write failed.

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.
    name : str
        The entry's name.
    payload : bytes
        The content.

    Returns
    -------
    bool
        Whether the entry was written.
    """
    _check_kind(kind)
    ready = _ready()
    if ready is None or len(payload) > MAX_ENTRY_BYTES - 200:
        return False
    folder, key = ready
    sub = folder / kind
    reason = _check_folder(sub, create=True, parents=False)
    if reason is not None:
        _disable(folder, f"{kind}/: {reason}")
        return False
    fname = _safe_name(name)
    source = source_key().encode()
    data = b" ".join([_MAGIC, _VERSION, source, _mac(key, kind, fname, source, payload)]) + b"\n" + payload
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=sub, prefix=".", suffix=".tmp")  # 0600
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, sub / fname)
        tmp = None
    except OSError as exc:
        _disable(folder, f"cannot write ({exc.strerror or exc})")
        return False
    finally:
        if tmp is not None and os.path.lexists(tmp):
            os.unlink(tmp)
    if str(folder) not in _GC_DONE:
        _GC_DONE.add(str(folder))
        _collect(folder)
    return True


def load_json(kind: str, name: str) -> Any:
    """A JSON entry (see :func:`load`); None when absent or bad (a bad one is deleted)."""
    payload = load(kind, name)
    if payload is None:
        return None
    try:
        return json.loads(payload)
    except ValueError:
        discard(kind, name)
        return None


def store_json(kind: str, name: str, data: Any) -> bool:
    """Store ``data`` as a JSON entry (see :func:`store`)."""
    return store(kind, name, json.dumps(data, sort_keys=True, allow_nan=False).encode())


def discard(kind: str, name: str) -> None:
    """Delete an entry whose content its user found unusable (e.g. a module that does not run)."""
    _check_kind(kind)
    ready = _ready()
    if ready is not None:
        path = ready[0] / kind / _safe_name(name)
        try:
            _drop(path, os.lstat(path), "its content is unusable")
        except OSError:
            pass


# ----------------------------------------------------------------------------- size and age

def _entries(folder: Path):
    """(kind, path, lstat, is_temporary) of every file in the kind subfolders."""
    for kind in KINDS:
        try:
            it = list(os.scandir(folder / kind))
        except OSError:
            continue
        for e in it:
            try:
                st = e.stat(follow_symlinks=False)
            except OSError:
                continue
            if not stat.S_ISDIR(st.st_mode):
                yield kind, Path(e.path), st, e.name.startswith(".")


def _entry_source(path: Path) -> bytes | None:
    """The source key in an entry file's header (None: no header), from its first bytes only."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except OSError:
        return None
    try:
        parts = _header(os.read(fd, 256).partition(b"\n")[0] + b"\n")
    except OSError:
        return None
    finally:
        os.close(fd)
    return None if parts is None else parts[0]


def _collect(folder: Path) -> None:
    """Garbage collection (module doc): other source keys unused for GC_DAYS, stale temporaries, non-entries."""
    now, source = time.time(), source_key().encode()
    doomed = [p for pattern in _OLD_LAYOUT for p in folder.glob(pattern)]
    for _, path, st, temporary in _entries(folder):
        age = now - st.st_mtime
        if temporary:
            if age > _TMP_MAX_AGE:
                doomed.append(path)
            continue
        entry_source = _entry_source(path)
        if entry_source is None or (entry_source != source and age > GC_DAYS * 86400):
            doomed.append(path)
    for path in doomed:
        try:
            os.unlink(path)
        except OSError:
            pass


def info() -> dict:
    """Folder, state, entries and bytes per kind, total size and the age of the oldest and newest entry.

    Nothing is created or changed.

    Returns
    -------
    dict
        ``folder``, ``status`` (``"ok"``, ``"absent"`` or why the cache is disabled), ``source_key``,
        ``kinds`` (``{kind: {"entries", "current", "bytes"}}``: ``current`` under this source key),
        ``entries``, ``bytes``, ``oldest_seconds``, ``newest_seconds`` (None without entries).
    """
    folder = cache_dir()
    status = _status(folder)
    kinds = {k: {"entries": 0, "current": 0, "bytes": 0} for k in KINDS}
    ages, now, source = [], time.time(), source_key().encode()
    for kind, path, st, temporary in _entries(folder):
        if not temporary:
            kinds[kind]["entries"] += 1
            kinds[kind]["bytes"] += st.st_size
            kinds[kind]["current"] += _entry_source(path) == source
            ages.append(now - st.st_mtime)
    return {"folder": str(folder), "status": status, "source_key": source_key(), "kinds": kinds,
            "entries": sum(k["entries"] for k in kinds.values()), "bytes": sum(k["bytes"] for k in kinds.values()),
            "oldest_seconds": max(ages) if ages else None, "newest_seconds": min(ages) if ages else None}


def clear(*, older_than_days: float | None = None) -> dict:
    """Delete the entries (all, or those unused for more than ``older_than_days`` days); the key stays.

    Each entry is one file, removed by one ``unlink``: an interrupted clear leaves whole entries.
    Temporary files of writes in progress are left to the garbage collection (an hour).

    Parameters
    ----------
    older_than_days : float, optional
        Only entries last written or read more than this many days ago.

    Returns
    -------
    dict
        ``folder``, ``status`` (as in :func:`info`; nothing is removed unless ``"ok"``), ``removed``
        (entries) and ``bytes`` (freed).
    """
    folder = cache_dir()
    status = _status(folder)
    removed = freed = 0
    if status == "ok":
        now = time.time()
        limit = now if older_than_days is None else now - older_than_days * 86400
        doomed = [(p, False) for pattern in _OLD_LAYOUT for p in folder.glob(pattern)]
        doomed += [(path, temporary) for _, path, st, temporary in _entries(folder)
                   if (st.st_mtime < now - _TMP_MAX_AGE if temporary else st.st_mtime <= limit)]
        for path, temporary in doomed:
            try:
                size = os.lstat(path).st_size
                os.unlink(path)
            except OSError:
                continue
            if not temporary:
                removed, freed = removed + 1, freed + size
    elif status != "absent":
        _warn_once(f"disabled:{folder}", f"tunnelkit: cache disabled: {folder}: {status}")
    return {"folder": str(folder), "status": status, "removed": removed, "bytes": freed}


def _status(folder: Path) -> str:
    """``"ok"``, ``"absent"`` or why ``folder`` cannot be the cache (nothing is created)."""
    status = _check_folder(folder, create=False, parents=False) or "ok"
    return "absent" if status == "does not exist" else status
