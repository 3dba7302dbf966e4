"""The repository is self-contained: nothing points at a file a clone does not have.

Every tracked text file is scanned for references outside the repository (the
format contracts under ``shared/spec``, absolute paths under ``/work`` or
``/root``, relative paths that climb out of the checkout) and for mentions of
Markdown files that do not exist; every relative link of the Markdown
documentation must resolve to a file of the repository (and a ``#anchor`` to
one of its headings).
"""
from __future__ import annotations

import re
import subprocess
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEXT = (".py", ".md", ".toml", ".ipynb", ".lark", ".txt", ".cfg", ".ini", ".yml", ".yaml", ".json")
#: Markdown files whose links are the documentation a reader follows
DOCUMENTATION = ("README.md", "docs", "examples", "benchmarks")


@lru_cache(maxsize=1)
def tracked() -> tuple[Path, ...]:
    """Files of the repository (git's list; every file under the root when git is unavailable)."""
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
        names = [n for n in out.decode().split("\0") if n]
    except (OSError, subprocess.CalledProcessError):
        names = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if p.is_file() and ".git" not in p.parts]
    return tuple(ROOT / n for n in names if (ROOT / n).is_file())


def text_files() -> list[Path]:
    return [p for p in tracked() if p.suffix in TEXT]


def _outside(path: Path) -> bool:
    try:
        path.resolve().relative_to(ROOT)
    except ValueError:
        return True
    return False


_FORBIDDEN = re.compile(r"shared/spec|(?<![\w.~-])/(?:work|root)(?:/|\b)")
_CLIMB = re.compile(r"(?<![\w.])((?:\.\./)+[\w./-]*)")
#: a Markdown file named in running text (not a string literal of a file written at run time)
_MD_MENTION = re.compile(r"(?<![\w/.\"'-])([\w-]+(?:/[\w.-]+)*\.md)\b")


def _lines(path: Path):
    for i, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        yield i, line


def test_no_reference_outside_the_repository() -> None:
    bad = []
    for path in text_files():
        if path == Path(__file__):
            continue
        for i, line in _lines(path):
            if m := _FORBIDDEN.search(line):
                bad.append(f"{path.relative_to(ROOT)}:{i}: {m.group()!r}")
            for m in _CLIMB.finditer(line):
                if _outside(path.parent / m.group(1)):
                    bad.append(f"{path.relative_to(ROOT)}:{i}: {m.group(1)!r} leaves the repository")
    assert not bad, "\n".join(bad)


def _resolves(name: str, where: Path) -> bool:
    if (where.parent / name).is_file() or (ROOT / name).is_file():
        return True
    return any(str(p.relative_to(ROOT)).endswith("/" + name) for p in tracked())


def test_every_markdown_file_mentioned_exists() -> None:
    """A Markdown name that exists nowhere in the repository is a file a reader cannot open."""
    bad = []
    for path in text_files():
        for i, line in _lines(path):
            for m in _MD_MENTION.finditer(line):
                placeholder = re.fullmatch(r"[A-Z][A-Z_]*\.md", m.group(1)) and m.group(1) != "README.md"  # FILE.md
                if not placeholder and not _resolves(m.group(1), path):
                    bad.append(f"{path.relative_to(ROOT)}:{i}: {m.group(1)}")
    assert not bad, "mentions of Markdown files that are not in the repository:\n" + "\n".join(bad)


def _markdown_docs() -> list[Path]:
    out = []
    for p in tracked():
        rel = p.relative_to(ROOT)
        if p.suffix == ".md" and (str(rel) in DOCUMENTATION or rel.parts[0] in DOCUMENTATION):
            out.append(p)
    return out


def slug(heading: str) -> str:
    """GitHub's anchor of a heading.

    >>> slug("Model files (`transmission`, `current`, `derive --model`)")
    'model-files-transmission-current-derive---model'
    """
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    return {slug(m.group(1)) for m in re.finditer(r"(?m)^#{1,6}\s+(.*?)\s*#*\s*$", text)}


_LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def test_markdown_links_resolve() -> None:
    docs = _markdown_docs()
    assert any(p.relative_to(ROOT).parts[0] == "docs" for p in docs), "docs/ has no Markdown reference"
    bad = []
    for path in docs:
        text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
        text = re.sub(r"`[^`\n]*`", "", text)
        for m in _LINK.finditer(text):
            target = m.group(1)
            if re.match(r"[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
                continue
            file_part, _, anchor = target.partition("#")
            dest = (path.parent / file_part) if file_part else path
            where = f"{path.relative_to(ROOT)}: ({target})"
            if _outside(dest) or not dest.exists():
                bad.append(f"{where}: no such file in the repository")
            elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
                bad.append(f"{where}: no heading with anchor #{anchor}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("text, found", [("see /work/notes/model-dict.md", True), ("shared/spec/cli.md", True),
                                         ("~/work/x and a/work/b", False), ("/root/.cache", True)])
def test_the_scan_finds_what_it_looks_for(text: str, found: bool) -> None:
    assert bool(_FORBIDDEN.search(text)) is found
