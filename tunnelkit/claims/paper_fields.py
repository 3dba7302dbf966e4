r"""Paper files over field files: printed Hamiltonians and current operators checked against the split.

A paper file whose ``[paper]`` names ``fields = "...toml"`` (instead of a model)
makes claims about the split of that field Hamiltonian (:mod:`derive.fields.field_split`):

* ``class:<class> [+ <class> ...]`` -- the printed operator is the sum of the terms of those classes;
* ``term`` -- the printed operator is a set of whole terms of the split, with their coefficients;
* ``split`` -- the printed decomposition (named operators ``\hat H_{...}`` defined by the file's other
  equations) sums to the whole split Hamiltonian;
* ``current:<species>``, ``current:total``, ``current:<a>-<b>`` -- the printed operator is
  :math:`i[N_{s,L}, H]` (summed, or a difference; :func:`derive.fields.field_split.current_operators`);

each under ``overlap = "zero"`` (default) or ``"K"``.  ``[symbols]`` gives the LaTeX of each species
(``up = '\uparrow'``) and of each coupling (``g = 'g'``).  The printed LaTeX is read by
:mod:`derive.fields.operator_latex`; equality is decided as operators (normal-ordered in the split's
algebra, canonical order, coefficients simplified to zero) and confirmed on Fock matrices
(:func:`tunnelkit.fields.field_check.operator_residual`).  An erratum's ``corrected`` is the printed LaTeX
with the smallest edit that makes it hold (the sign of the whole or of one term, a factor 2 or 1/2,
the first two species swapped, a term of a decomposition dropped), else the derived operator.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp

import derive.fields.field_split as FS
from derive.fields.operator_latex import OperatorLatexError, name_key, read_operator_equation
from tunnelkit.registry.core import CheckResult

__all__ = ["check_field_paper", "CLAIM_RE", "FOCK_TOL"]

#: claims of a paper file over a field file
CLAIM_RE = re.compile(r"^(?:class:[^+]+(?:\+[^+]+)*|term|split|current:[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?|current:total)$")
#: relative agreement of the printed and derived operators' matrices (double precision, dim <= 4096)
FOCK_TOL = 1e-10
SYM = "operator algebra (normal-ordered, coefficients simplified)"
FOCK = "Fock matrices"


@dataclass
class _Setup:
    split: FS.Split
    species: dict
    symbols: dict


def _setup(paper, overlap: str, cache: dict) -> _Setup:
    if overlap not in cache:
        from tunnelkit.fields.field_file import split_file

        result = split_file(paper.model_path, overlap=overlap)
        species = {s: paper.symbols.get(s, s) for s in result.model.species}
        symbols = {sp.Symbol(n, real=True): v for n, v in paper.symbols.items() if n not in species}
        cache[overlap] = _Setup(result, species, symbols)
    return cache[overlap]


def _equal(alg, A: dict, B: dict) -> bool:
    diff = alg.normal_order(alg.add(A, alg.scale(B, -1)))
    return all(sp.simplify(c) == 0 for c in diff.values())


def _derived(claim: str, st: _Setup) -> dict | str:
    """The split's operator a claim is about, or why there is none."""
    result = st.split
    if claim == "split":
        return dict(result.hamiltonian)
    if claim.startswith("class:"):
        names = [c.strip() for c in claim[6:].split("+")]
        bad = [c for c in names if c not in FS.CLASSES]
        if bad:
            return f"no class {bad[0]!r} (classes: {', '.join(FS.CLASSES)})"
        return result.algebra.add(*[{t.operator: t.coefficient} for t in result.terms if t.cls in names])
    if claim.startswith("current:"):
        if result.overlap != "zero":
            return "current operators need overlap = \"zero\" (N_sL does not commute with psi_sR otherwise)"
        which = claim[8:]
        key = "I_total" if which == "total" else "-".join(f"I_{s}" for s in which.split("-"))
        cur = FS.current_operators(result)
        if key not in cur:
            return f"no current {which!r} (species: {', '.join(result.model.species)}; or total, a-b)"
        return cur[key]
    return "unknown claim"


def _latex_of(el: dict) -> str:
    body = " + ".join(FS.term_latex(c, w) for w, c in el.items()).replace("+ -", "- ")
    return body or "0"


def _edits(eq, read, printed: dict, alg, species: list):
    """Small edits of the printed right-hand side: (description, element, corrected LaTeX)."""
    text, start = eq.latex, read.rhs_start
    lhs = text[:start].rstrip()
    rhs = text[start:].strip()
    several = len(read.summands) > 1
    wrapped = rf"\left({rhs}\right)" if several else rhs
    yield "the sign changed", alg.scale(printed, -1), f"{lhs}-{wrapped}"
    yield "a factor 2 added", alg.scale(printed, 2), f"{lhs}2{wrapped}"
    yield "a factor 1/2 added", alg.scale(printed, sp.Rational(1, 2)), rf"{lhs}\frac{{1}}{{2}}{wrapped}"
    if several and all(e is not None for *_, e in read.summands):
        for k, (a, b, sign, el) in enumerate(read.summands):
            others = alg.add(*[alg.scale(e, s) for j, (_, _, s, e) in enumerate(read.summands) if j != k])
            head = text[:a].rstrip()
            if head.endswith(("+", "-")):
                flipped = head[:-1] + ("-" if head.endswith("+") else "+") + text[a:]
                dropped = head[:-1].rstrip() + text[b:]
            else:
                flipped, dropped = head + "-" + text[a:], head + text[b:].lstrip().lstrip("+")
            yield f"the sign of term {k + 1} changed", alg.add(others, alg.scale(el, -sign)), flipped
            yield f"term {k + 1} dropped", others, dropped
    if len(species) >= 2:
        a, b = species[:2]
        swap = {a: b, b: a}
        relabel = {}
        for w, c in printed.items():
            w2 = tuple(FS.Ladder(op.label[:-2] + (swap.get(op.label[-2], op.label[-2]), op.label[-1]), op.dagger)
                       for op in w)
            relabel[w2] = relabel.get(w2, 0) + c
        yield "the spin labels swapped", relabel, None


def _decide(paper, eq, st: _Setup, names: dict, corrected_names: dict) -> tuple[CheckResult, dict | None]:
    from tunnelkit.fields.field_check import operator_residual

    alg = st.split.algebra
    species = list(st.split.model.species)
    try:
        read = read_operator_equation(eq.latex, alg, species=st.species, symbols=st.symbols, names=names)
    except OperatorLatexError as exc:
        return CheckResult("unverifiable", "operator LaTeX reader", str(exc)), None
    printed = alg.normal_order(read.rhs)
    if eq.claims == "term":
        wanted = {w for w in printed}
        derived = {t.operator: t.coefficient for t in st.split.terms if t.operator in wanted}
    else:
        derived = _derived(eq.claims, st)
        if isinstance(derived, str):
            return CheckResult("unverifiable", "claim outside the split", derived), read
    holds = _equal(alg, printed, derived)
    fock = operator_residual(st.split, printed, derived, seed=3)
    if holds != (fock < FOCK_TOL):
        return CheckResult("unverifiable", f"{SYM} vs {FOCK}", f"ROUTES DISAGREE: symbolic equal={holds}, Fock "
                           f"residual {fock:.1e}"), read
    where = f"overlap {st.split.overlap}"
    if holds:
        return CheckResult("verified", f"{SYM} + {FOCK}", f"the printed operator ({len(printed)} normal-ordered "
                           f"words) equals the split's {eq.claims} ({where}); Fock residual {fock:.0e}"), read
    detail = f"printed and derived differ as operators ({where}); Fock residual {fock:.2f}"
    if eq.claims == "term":
        missing = [w for w in printed if w not in derived]
        if missing:
            near = {t.operator: t.coefficient for t in st.split.terms
                    if [(op.label[-2:], op.dagger) for op in t.operator]
                    in [[(op.label[-2:], op.dagger) for op in w] for w in missing]}
            detail += (f"; {len(missing)} printed words are no terms of the split (such as "
                       f"{' '.join(FS.op_name(op) for op in missing[0])}); the split's terms on the same fields "
                       f"are {', '.join(FS.Term(FS.classify(w, species), {}, c, w).cls for w, c in near.items())}")
            corrected = (f"{read.lhs_text}\\ \\text{{is part of}}\\ {_latex_of(near)}" if near
                         else f"{read.lhs_text}\\ \\text{{is no term of the split}}")
            return CheckResult("erratum", f"{SYM} + {FOCK}", detail, corrected), read
    if eq.claims == "split" and corrected_names:
        fixed_names = {**names, **{k: v for k, v in corrected_names.items()}}
        fixed = read_operator_equation(eq.latex, alg, species=st.species, symbols=st.symbols, names=fixed_names)
        candidates = [("", alg.normal_order(fixed.rhs), eq.latex)]
        candidates += [(d, e, t) for d, e, t in _edits(eq, fixed, fixed.rhs, alg, species) if "dropped" in d]
        used = {name_key(m.group(1) or m.group(2)) for m in re.finditer(r"\\hat\s*H_\s*(?:\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}|(\S))", eq.latex)}
        note = ",\\ \\ ".join(corrected_names[f"latex:{k}"] for k in corrected_names if k in used)
    else:
        candidates = [(d, e, t) for d, e, t in _edits(eq, read, read.rhs, alg, species) if eq.claims != "split"
                      or "dropped" in d]
        note = ""
    for what, el, latex in candidates:
        if latex is not None and _equal(alg, alg.normal_order(el), derived):
            ok = operator_residual(st.split, alg.normal_order(el), derived, seed=5) < FOCK_TOL
            if ok:
                corrected = " ".join(latex.split()) + (f",\\ \\ {note}" if note else "")
                return CheckResult("erratum", f"{SYM} + {FOCK}", detail + (f"; holds with {what}"
                                   if what else "; holds with the corrected operators it names"), corrected), read
    lhs = read.lhs_text + "=" if read.lhs_text else ""
    return CheckResult("erratum", f"{SYM} + {FOCK}", detail, lhs + _latex_of(derived)), read


def check_field_paper(paper) -> list:
    """Decide every equation of a paper file over a field file.

    Parameters
    ----------
    paper : tunnelkit.claims.paper_file.PaperFile
        With ``fields`` set (``model_path`` is the field file).

    Returns
    -------
    list of CheckResult
        In file order; ``split`` claims are decided after the equations that define their names.
    """
    cache: dict = {}
    names: dict = {}
    corrected: dict = {}
    out: dict = {}
    order = sorted(range(len(paper.equations)), key=lambda k: paper.equations[k].claims == "split")
    for k in order:
        eq = paper.equations[k]
        if eq.problem:  # a problem inside this entry: reported on it, the others are still checked
            out[k] = CheckResult("unverifiable", "paper file", eq.problem)
            continue
        st = _setup(paper, eq.overlap, cache)
        res, read = _decide(paper, eq, st, names, corrected)
        out[k] = res
        if read is not None and read.name and eq.claims != "split":
            defs = {n: v for n, v in (read.per_side or {read.name: read.rhs}).items() if n not in names}
            if not defs:  # a name defined twice (the same equation under another overlap): the first counts
                continue
            names.update(defs)
            if res.status == "erratum" and res.corrected and eq.claims != "term":
                try:
                    fixed = read_operator_equation(res.corrected.split(",\\ \\ ")[0], st.split.algebra,
                                                   species=st.species, symbols=st.symbols, names=names)
                    corrected.update({n: fixed.rhs for n in defs})
                    corrected.update({f"latex:{n}": res.corrected for n in defs})
                except OperatorLatexError:
                    pass
    return [out[k] for k in range(len(paper.equations))]
