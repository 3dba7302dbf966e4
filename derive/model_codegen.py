r"""Python source of closed-form evaluators for any model (NumPy vectorised over omega, or mpmath).

:func:`evaluator_source` prints a self-contained module (``numpy`` or ``mpmath``
import only, no SymPy) with one entry point::

    evaluate(omega, <free parameters in declaration order>) -> tuple in QUANTITIES order

The kernel is printed by :func:`derive.codegen.render_function` from the same
:class:`derive.symbolic_model.Pieces` as the symbolic closed forms:
:math:`D`, the needed :math:`N_{ab}` and :math:`G_{ab} = N_{ab}/D` as named
steps, then every quantity (:func:`derive.symbolic_model.assemble` applied to
the :math:`G_{ab}`, e.g. :math:`T2 = \Gamma_q\Gamma_p|G_{s_qs_p}|^2`, so that no
huge :math:`N` or :math:`D` is squared) with :math:`|x|^2` as ``re(x)^2 + im(x)^2``.  The wrapper computes what the kernel takes as
arguments, each from one explicit formula:

* per lead, :math:`w = (\omega-\varepsilon_p)/(2|t_p|)` and the retarded Bloch
  factor :math:`z_p = \operatorname{sign}(t_p)/(w+\sqrt{w-1}\sqrt{w+1})` (principal
  roots; no cancellation: both terms of the denominator have the same sign
  off the band) and its conjugate; the lead propagates where :math:`|w| < 1`;
* per segment of symbolic length N, the continuants :math:`D_{N-2}, D_{N-3}`
  (three-term recursion, :mod:`derive.chain_segments`) and :math:`h^{2-N}`.

Because the conjugates are computed numerically, the kernel holds in every
regime; the wrapper then applies the spec: ``T2`` is 0 and ``S:q,p`` is NaN
(null) where lead p or q has no propagating mode, ``R2`` and ``absorbed`` are
NaN where lead p has none (exact band edges count as closed).  ``omega`` must be real for T2, R2,
absorbed; S, G and det also accept complex omega (the continuation from the
upper half plane).  NumPy: parameters may be scalars or arrays broadcasting
with omega, segment lengths must be integer scalars, and numbers beyond
~1e308 (very long evanescent segments) overflow.  mpmath: call inside
``mpmath.workdps(dps)`` with parameters already rounded (``numeric.precision.mp``).

The text is deterministic (canonical CSE, sorted tables) and its header carries
a digest of the model, the quantities, ``where`` and the backend, so it can be
cached on disk by content.
"""
from __future__ import annotations

import hashlib
import json
from typing import Mapping, Sequence

import sympy as sp

from derive.codegen import AbsSquared, _printer, helpers_for, render_function
from derive.codegen_spec import Spec
from derive.model_values import ModelValueError
from derive.symbolic_model import Pieces, SymbolicModel, _pairs, assemble, parse_quantity

__all__ = ["evaluator_source", "BACKENDS"]

BACKENDS = ("numpy", "mpmath")
_REAL = ("T2", "R2", "absorbed")

_HELPERS = {
    "numpy": '''
def _bloch(w, sign_t):
    """Retarded root of z**2 - 2*w*z + 1 = 0 times sign(t): |z| < 1, or outgoing on the band."""
    w = numpy.asarray(w, dtype=complex)
    return sign_t / (w + numpy.sqrt(w - 1) * numpy.sqrt(w + 1))


def _continuants(n, d, hh):
    """(D_n, D_(n-1)) of D_k = d*D_(k-1) - hh*D_(k-2), D_0 = 1, D_(-1) = 0, D_(-2) = -1/hh; n >= -1."""
    d = numpy.asarray(d, dtype=complex)
    one = numpy.ones_like(d)
    if n == -1:
        return 0 * one, -one / hh
    a, b = one, 0 * one
    for _ in range(n):
        a, b = d * a - hh * b, a
    return a, b
''',
    "mpmath": '''
def _bloch(w, sign_t):
    """Retarded root of z**2 - 2*w*z + 1 = 0 times sign(t): |z| < 1, or outgoing on the band."""
    w = mpmath.mpc(w)
    return sign_t / (w + mpmath.sqrt(w - 1) * mpmath.sqrt(w + 1))


def _continuants(n, d, hh):
    """(D_n, D_(n-1)) of D_k = d*D_(k-1) - hh*D_(k-2), D_0 = 1, D_(-1) = 0, D_(-2) = -1/hh; n >= -1."""
    if n == -1:
        return mpmath.mpf(0), -1 / mpmath.mpf(hh)
    a, b = mpmath.mpf(1), mpmath.mpf(0)
    for _ in range(n):
        a, b = d * a - hh * b, a
    return a, b
''',
}


def _numeric_conjugates(expr: sp.Basic) -> sp.Basic:
    """``conjugate(x)`` as ``re(x) - I*im(x)`` (the code printers have no conjugate)."""
    return expr.replace(lambda e: isinstance(e, sp.conjugate), lambda e: sp.re(e.args[0]) - sp.I * sp.im(e.args[0]))


def _kernel_spec(model: SymbolicModel, kinds: list, key: tuple, params: list) -> tuple[Spec, Pieces, dict]:
    """The kernel :class:`Spec` (steps D, N_ab; outputs q0, q1, ...) and the lead conjugate symbols."""
    sys_ = model._system(key)
    pairs = tuple(sorted({pr for kind, args in kinds for pr in _pairs(kind, args, sys_, model.leads)}))
    pieces = model.pieces(key, pairs)
    if pieces is None:
        raise ModelValueError("evaluator: a parameter set to inf changes the region itself (not only a lead "
                              "self-energy); give it a finite value or use the symbolic quantity")
    zc = {z: sp.Symbol(f"zc_{p}") for p, z in pieces.z.items() if z is not None}
    D = sp.Symbol("D")
    order = sorted(pieces.num)
    Nsym = {ab: sp.Symbol(f"N{k}") for k, ab in enumerate(order)}
    Gsym = {ab: sp.Symbol(f"G{k}") for k, ab in enumerate(order)}
    lead_rep = {sp.conjugate(z): c for z, c in zc.items()}
    gamma = {p: g.xreplace(lead_rep) for p, g in pieces.gamma.items()}
    # the kernel squares G = N/D, never N or D (which may be huge for long evanescent segments)
    stand_in = Pieces(sp.Integer(1), pieces.det_scale, Gsym, gamma, pieces.site, pieces.z, pieces.loss,
                      pieces.atoms)

    def conj(x):
        return sp.re(x) - sp.I * sp.im(x)

    outputs = []
    for k, (kind, args) in enumerate(kinds):
        expr = D * pieces.det_scale if kind == "det" else assemble(kind, args, stand_in, conj=conj, abs2=AbsSquared)
        outputs.append((f"q{k}", _numeric_conjugates(expr.xreplace(lead_rep))))
    used = set().union(*(e.free_symbols for _, e in outputs))
    steps = [(D, _numeric_conjugates(pieces.det))]
    for ab in order:
        if Gsym[ab] in used:
            steps += [(Nsym[ab], _numeric_conjugates(pieces.num[ab])), (Gsym[ab], Nsym[ab] / D)]
    atoms = [s for at in pieces.atoms for s in (at.P, at.Q, at.W)]
    args = (model.omega, *params, *[s for z in zc for s in (z, zc[z])], *atoms)
    spec = Spec("_kernel", tuple(args), tuple(outputs), "Closed forms of the model (see evaluate).",
                steps=tuple(steps), scalars=tuple(params))
    return spec, pieces, zc


def evaluator_source(model_dict: Mapping, quantities: Sequence[str], *, backend: str,
                     where: Mapping | None = None) -> str:
    r"""Source of a module evaluating ``quantities`` of a model.

    Parameters
    ----------
    model_dict : mapping
        The model dict (``/work/notes/model-dict.md``).
    quantities : sequence of str
        Quantity names (:meth:`SymbolicModel.quantities`); the outputs follow this order.
    backend : {"numpy", "mpmath"}
    where : mapping, optional
        Parameter values fixed symbolically (``"inf"`` = limit through the lead self-energies).

    Returns
    -------
    str
        A module defining ``evaluate(omega, *parameters)``, ``ARGUMENTS``, ``QUANTITIES``.
        The closed forms are those of :class:`derive.symbolic_model.SymbolicModel`:

        .. math:: T2_{p\to q} = \Gamma_q\Gamma_p\frac{|N_{s_qs_p}|^2}{|D|^2},\ \ldots

    >>> src = evaluator_source({"sites": {"a": "0"}, "leads": [
    ...     {"name": "L", "site": "a", "hopping": "-1", "coupling": "-1"},
    ...     {"name": "R", "site": "a", "hopping": "-1", "coupling": "-1"}]}, ["T2:L->R"], backend="numpy")
    >>> namespace = {}
    >>> exec(src, namespace)
    >>> [round(float(x), 12) for x in namespace["evaluate"]([0.0, 1.0, 3.0])[0]]
    [1.0, 1.0, 0.0]
    """
    if backend not in BACKENDS:
        raise ModelValueError(f"backend {backend!r} is not one of {', '.join(BACKENDS)}")
    model = SymbolicModel(model_dict)
    key = model._where(where)
    kinds = []
    for name in quantities:
        kind, args = parse_quantity(name)
        kinds.append((kind, model._check_args(kind, args, key)))
    fixed = {n for n, _ in key}
    params = [s for n, s in model.symbols.items() if n not in fixed]
    spec, pieces, zc = _kernel_spec(model, kinds, key, params)
    printer = _printer(backend)
    kernel = render_function(spec, backend)
    wrapper = _wrapper(model, key, kinds, list(quantities), params, spec, pieces, zc, printer, backend)
    body = kernel + "\n\n" + wrapper
    helpers = helpers_for(body)
    digest = hashlib.sha256(json.dumps([model_dict, list(quantities), [(n, str(v)) for n, v in key], backend],
                                       sort_keys=True, default=str).encode()).hexdigest()[:16]
    header = (f'"""GENERATED by derive.model_codegen from model {model.name!r} -- do not edit.\n\n'
              f"Backend: {backend}.  SymPy version used: {sp.__version__}.  Source digest: {digest}.\n"
              f"Call evaluate({', '.join(['omega'] + [p.name for p in params])}); outputs in QUANTITIES order.\n"
              '"""\n'
              f"import {'numpy' if backend == 'numpy' else 'mpmath'}\n\n"
              f"ARGUMENTS = {tuple(['omega'] + [p.name for p in params])!r}\n"
              f"QUANTITIES = {tuple(quantities)!r}\n"
              f"LEADS = {model.leads!r}\n"
              f"WHERE = {dict((n, str(v)) for n, v in key)!r}\n")
    parts = [header, _HELPERS[backend].strip("\n") + "\n"]
    if helpers:
        parts.append(helpers)
    parts.append(body)
    return "\n\n".join(parts)


def _wrapper(model: SymbolicModel, key: tuple, kinds: list, names: list, params: list, spec: Spec, pieces: Pieces,
             zc: dict, printer, backend: str) -> str:
    """``evaluate``: Bloch factors, segment atoms, kernel call, the spec's masks."""
    pr = lambda e: printer.doprint(_numeric_conjugates(sp.sympify(e)))  # noqa: E731
    np_ = backend == "numpy"
    sys_ = model._system(key)
    lines = [f"def evaluate({', '.join(['omega'] + [p.name for p in params])}):",
             f'    """Quantities {", ".join(names)} of model {model.name!r}.\n\n'
             f"    Returns a tuple in QUANTITIES order ({'arrays over omega' if np_ else 'mpmath numbers'}).\n"
             '    """']
    if np_:
        lines.append("    omega = numpy.asarray(omega)")
    for p in params:
        if p.is_integer:
            lines.append(f"    {p.name} = int({p.name})")
    prop = {}
    for lead in sys_.leads:
        z = pieces.z[lead.name]
        if z is None:
            lines.append(f"    gamma_{lead.name} = {pr(pieces.gamma[lead.name])}")
            prop[lead.name] = f"(numpy.real(gamma_{lead.name}) > 0)" if np_ else f"(mpmath.re(gamma_{lead.name}) > 0)"
            continue
        lines.append(f"    w_{lead.name} = (omega - ({pr(lead.e)})) / (2 * abs({pr(lead.t)}))")
        sign = f"numpy.sign({pr(lead.t)})" if np_ else f"mpmath.sign({pr(lead.t)})"
        lines.append(f"    {z.name} = _bloch(w_{lead.name}, {sign})")
        lines.append(f"    {zc[z].name} = {'numpy.conjugate' if np_ else 'mpmath.conj'}({z.name})")
        prop[lead.name] = f"(abs(w_{lead.name}) < 1)" if not np_ else f"(numpy.abs(w_{lead.name}) < 1)"
    for at in pieces.atoms:
        lines.append(f"    {at.P.name}, {at.Q.name} = _continuants({pr(at.length - 2)}, {pr(at.d)}, {pr(at.hh)})")
        lines.append(f"    {at.W.name} = {pr(at.values[at.W])}")
    call = ", ".join(a.name for a in spec.args)
    lines.append(f"    out = _kernel({call})")
    rows = []
    for k, (kind, args) in enumerate(kinds):
        value = f"out[{k}]"
        if kind in _REAL:
            value = f"numpy.real({value})" if np_ else f"mpmath.re({value})"
        if kind in ("T2", "S"):  # S is null (NaN) where lead p or q has no propagating mode, T2 is 0
            cond = f"{prop[args[0]]} & {prop[args[1]]}" if np_ else f"{prop[args[0]]} and {prop[args[1]]}"
            null = ("0.0" if kind == "T2" else "numpy.nan") if np_ else (
                "mpmath.mpf(0)" if kind == "T2" else "mpmath.mpc(mpmath.nan)")
            value = f"numpy.where({cond}, {value}, {null})" if np_ else f"({value} if {cond} else {null})"
        elif kind in ("R2", "absorbed"):
            cond = prop[args[0]]
            value = f"numpy.where({cond}, {value}, numpy.nan)" if np_ else f"({value} if {cond} else mpmath.nan)"
        rows.append(f"        {value},  # {names[k]}")
    lines += ["    return ("] + rows + ["    )"]
    return "\n".join(lines) + "\n"
