r"""Python source of closed-form evaluators for any model (NumPy vectorised over omega, or mpmath).

:func:`evaluator_source` prints a self-contained module (``numpy`` or ``mpmath``
import only, no SymPy) with one entry point::

    evaluate(omega, <free parameters in declaration order>) -> tuple in QUANTITIES order

The kernel is printed by :func:`derive.codegen.code_printer.render_function` (the one printer of generated code,
which also renders the module: header, constants, helpers) from the same
:class:`derive.models.symbolic_model.Pieces` as the symbolic closed forms:
:math:`D` and the needed :math:`N_{ab}` in Horner form (segment atoms, then
Bloch factors, then omega) with one canonical CSE over all of them, one
reciprocal :math:`D^{-1}` and :math:`G_{ab} = N_{ab}D^{-1}` as named steps
(benchmark (h) of ``benchmarks/README.md``), then every quantity (:func:`derive.models.symbolic_model.assemble` applied to
the :math:`G_{ab}`, e.g. :math:`T2 = \Gamma_q\Gamma_p|G_{s_qs_p}|^2`, so that no
huge :math:`N` or :math:`D` is squared) with :math:`|x|^2` as ``re(x)^2 + im(x)^2``.
The wrapper computes what the kernel takes as arguments, each from one explicit formula:

* per lead (``_lead``, :mod:`derive.models.model_helpers`; in mpmath its potential and hopping
  exactly where they are rational in the parameters, :func:`_exact_code`): the retarded Bloch factor
  :math:`z_p = \operatorname{sign}(t_p)/(w+\sqrt{w-1}\sqrt{w+1})`,
  :math:`w = (\omega-\varepsilon_p)/(2|t_p|)`, and
  :math:`\Gamma_p = i(\Sigma_p-\bar\Sigma_p) = (2|c_p|^2/|t_p|)\sqrt{1-w^2}` on the band,
  both from the distances :math:`2|t_p| \mp (\omega-\varepsilon_p)` to the two band
  edges formed without rounding error (TwoSum in NumPy; exact rationals rounded once
  in mpmath, so pass omega exactly), so that next to an edge Gamma keeps its digits;
  the lead propagates where both distances are positive;
* per segment of symbolic length N, the continuants :math:`D_{N-2}, D_{N-3}`
  (:mod:`derive.models.chain_segments`; at run time the chain trigonometry of the numeric layer
  through the helpers' ``CONTINUANTS`` hook) divided by :math:`e^{L}` (L real per energy: long
  evanescent segments do not overflow), :math:`h^{2-N}` and L; where every polynomial is
  homogeneous in a segment's pair, :math:`G = N/D` is multiplied by
  :math:`e^{(\deg N - \deg D)L}` (else the kernel multiplies the pair back by :math:`e^L`).

The wrapper then applies the spec: ``T2`` is 0 and ``S:q,p`` is NaN
(null) where lead p or q has no propagating mode, ``R2`` and ``absorbed`` are
NaN where lead p has none (exact band edges count as closed).  ``omega`` is
real; G and det also accept complex omega (the continuation from the upper
half plane, where no lead propagates).  NumPy: parameters may be scalars or
arrays broadcasting with omega, segment lengths must be integer scalars >= 1
(below 1: ValueError).  mpmath: call
inside ``mpmath.workdps(dps)`` with omega and the real parameters exact (ints, Fractions,
floats or mpf: an exact band edge is then decided exactly and the lead closed there).

The text is deterministic (canonical CSE, sorted tables) and its header carries
a digest of the model, the quantities, ``where`` and the backend, so it can be
cached on disk by content.

Only identifiers (parameter, lead and segment names, checked again by the printer core) and
literals printed by ``repr`` (read back before they are printed) enter the source; the model's
name, which is a file name and may hold anything, appears only as :func:`name_slug` (letters,
digits, ``_``, ``-``), docstring text is escaped, so no text of a file can close a string or a
comment of the module.
"""
from __future__ import annotations

import hashlib
import json
from typing import Mapping, Sequence

import sympy as sp

from derive.codegen.code_printer import AbsSquared, Reciprocal, docstring_text, identifier, name_slug, printer, \
    render_function, render_module, without_conjugates
from derive.codegen.spec import Spec
from derive.models.model_helpers import HELPERS
from derive.models.model_values import ModelValueError
from derive.models.symbolic_model import Pieces, SymbolicModel, _pairs, assemble, parse_quantity

__all__ = ["evaluator_source", "BACKENDS", "name_slug"]

BACKENDS = ("numpy", "mpmath")
_REAL = ("T2", "R2", "absorbed")


def _horner(expr: sp.Basic, gens: Sequence[sp.Symbol]) -> sp.Basic:
    """Recursive Horner form of a polynomial in ``gens`` (outermost first; coefficients in the parameters).

    Works on the monomials directly (no ``Poly``: building its coefficient domain took tens of seconds
    for the kernels of a few sites); factors that are not positive integer powers of ``gens`` stay in
    the coefficients.

    >>> x, y, a = sp.symbols("x y a")
    >>> _horner(sp.expand((x + a) ** 2 * y + y), [y, x])
    y*(a**2 + x*(2*a + x) + 1)
    """
    index = {g: i for i, g in enumerate(gens)}
    terms: dict[tuple, list] = {}

    def add(term: sp.Basic) -> None:
        if any(f.is_Add or (f.is_Pow and f.base.is_Add) for f in sp.Mul.make_args(term)):
            for t in sp.Add.make_args(sp.expand(term)):
                add(t)
            return
        exps, rest = [0] * len(gens), []
        for f in sp.Mul.make_args(term):
            base, e = f.as_base_exp()
            if base in index and e.is_Integer and e > 0:
                exps[index[base]] += int(e)
            else:
                rest.append(f)
        terms.setdefault(tuple(exps), []).append(sp.Mul(*rest))

    for t in sp.Add.make_args(expr):
        add(t)
    return _nest({k: sp.Add(*v) for k, v in terms.items()}, list(gens))


def _nest(terms: dict, gens: list) -> sp.Basic:
    """Horner nesting of ``{exponents: coefficient}`` in ``gens`` (exponent tuples in ``gens`` order)."""
    if not gens:
        return terms.get((), sp.Integer(0))
    g, groups = gens[0], {}
    for key, c in terms.items():
        groups.setdefault(key[0], {})[key[1:]] = c
    acc, prev = None, 0
    for deg in sorted(groups, reverse=True):
        c = _nest(groups[deg], gens[1:])
        acc = c if acc is None else acc * g ** (prev - deg) + c
        prev = deg
    return acc * g ** prev


def _pair_degree(expr: sp.Basic, P: sp.Symbol, Q: sp.Symbol) -> int | None:
    """The total degree of ``expr`` in (P, Q) if every term has the same one (homogeneous), else None."""
    if not expr.has(P, Q):
        return 0
    degrees = {sum(m) for m in sp.Poly(sp.expand(expr), P, Q).monoms()}
    return degrees.pop() if len(degrees) == 1 else None


def _abs2(x: sp.Basic) -> sp.Basic:
    """:math:`|x|^2`: a square where x is real (Gamma, numbers), else :class:`AbsSquared`."""
    return x ** 2 if x.is_extended_real else AbsSquared(x)


def _kernel_spec(model: SymbolicModel, kinds: list, key: tuple, params: list) -> tuple[Spec, Pieces, dict]:
    r"""The kernel :class:`Spec` and the lead symbols ``{lead: Gamma_p}``.

    Arguments: omega, the parameters, per lead its Bloch factor ``z_p`` (if it has one) and
    ``Gamma_p`` (real, from the wrapper's exact distances to the band edges), the segment atoms.
    Steps: :math:`D` and the needed :math:`N_{ab}` in Horner form (segment atoms, then Bloch factors,
    then omega), their common subexpressions, ``Dinv = 1/D`` and :math:`G_{ab} = N_{ab}D^{-1}`, where
    :math:`N_{ab}/D` is in lowest terms; else the reduced denominators ``D0, D1, ...``
    (:attr:`derive.models.symbolic_model.Pieces.den`, a decoupled state's factor cancelled) with their own
    reciprocals, so that :math:`G_{ab}` is continuous and accurate at and next to such a state;
    outputs: the quantities from the :math:`G_{ab}` and :math:`\Gamma_p`
    (:func:`derive.models.symbolic_model.assemble`), so no huge :math:`N` or :math:`D` is squared.
    """
    sys_ = model._system(key)
    pairs = tuple(sorted({pr for kind, args in kinds for pr in _pairs(kind, args, sys_, model.leads)}))
    pieces = model.pieces(key, pairs)
    if pieces is None:
        raise ModelValueError("evaluator: a parameter set to inf changes the region itself (not only a lead "
                              "self-energy); give it a finite value or use the symbolic quantity")
    gamma = {p: sp.Symbol(f"Gamma_{p}", nonnegative=True) for p in model.leads}
    D, Dinv = sp.Symbol("D"), sp.Symbol("Dinv")
    order = sorted(pieces.num)
    Nsym = {ab: sp.Symbol(f"N{k}") for k, ab in enumerate(order)}
    Gsym = {ab: sp.Symbol(f"G{k}") for k, ab in enumerate(order)}
    stand_in = Pieces(sp.Integer(1), pieces.det_scale, Gsym, gamma, pieces.site, pieces.z, pieces.loss,
                      pieces.atoms)
    # G_ab = N_ab/den_ab in lowest terms: one denominator symbol per distinct reduced denominator
    reduced = sorted({pieces.den[ab] for ab in order if ab in pieces.den}, key=sp.default_sort_key)
    Dk = {d: (sp.Symbol(f"D{k}"), sp.Symbol(f"Dinv{k}")) for k, d in enumerate(reduced)}
    den_of = {ab: Dk[pieces.den[ab]] if ab in pieces.den else (D, Dinv) for ab in order}

    def conj(x):
        return sp.re(x) - sp.I * sp.im(x)

    outputs = []
    for k, (kind, args) in enumerate(kinds):
        if kind == "T2" and args[0] != args[1] and ("S", args[::-1]) in kinds:
            # |S_qp|^2 = Gamma_q Gamma_p |G|^2: the S entry the kernel computes anyway, squared (CSE shares it)
            expr = AbsSquared(assemble("S", args[::-1], stand_in, conj=conj, abs2=_abs2))
        else:
            expr = D * pieces.det_scale if kind == "det" else assemble(kind, args, stand_in, conj=conj, abs2=_abs2)
        outputs.append((f"q{k}", without_conjugates(expr)))
    used = set().union(*(e.free_symbols for _, e in outputs))
    zs = [z for z in pieces.z.values() if z is not None]
    gens = [at.W for at in pieces.atoms] + [x for at in pieces.atoms for x in (at.P, at.Q)] + zs + [model.omega]
    wanted = [ab for ab in order if Gsym[ab] in used]
    dens = [(D, pieces.det)] if D in used or any(den_of[ab][0] == D for ab in wanted) else []
    dens += [(Dk[d][0], d) for d in reduced if any(den_of[ab][0] == Dk[d][0] for ab in wanted)]
    polys = dens + [(Nsym[ab], pieces.num[ab]) for ab in wanted]
    nested = [without_conjugates(_horner(e, gens)) for _, e in polys]
    common, cse_reduced = sp.cse(nested, symbols=sp.numbered_symbols("_y"), order="canonical")
    steps = list(common) + [(sym, e) for (sym, _), e in zip(polys, cse_reduced)]
    scale = {at.P: sp.Symbol(f"_L_{at.P.name.removeprefix('_P_')}", real=True) for at in pieces.atoms}
    degree = {at.P: [_pair_degree(e, at.P, at.Q) for _, e in polys] for at in pieces.atoms}
    scaled = [at for at in pieces.atoms if all(d is not None for d in degree[at.P])]
    # a segment whose pair is not homogeneous in every polynomial takes its continuants unscaled
    steps = [(x, x * sp.exp(scale[at.P])) for at in pieces.atoms if at not in scaled for x in (at.P, at.Q)] + steps
    constant = {sym: e for sym, e in steps if sym in Nsym.values() and e.is_number}  # G = N/D, N a number
    steps = [(sym, e) for sym, e in steps if sym not in constant]
    # segment scales: the wrapper passes D_(N-2), D_(N-3) divided by e^L (L real, per energy); where every
    # polynomial is homogeneous in that segment's pair, G = N/D takes e^((deg N - deg D) L)
    deg_of = {at.P: dict(zip([sym for sym, _ in polys], degree[at.P])) for at in scaled}

    def rescale(num: sp.Symbol, den: sp.Symbol) -> sp.Basic:
        power = sum(((deg_of[at.P].get(num, 0) - deg_of[at.P][den]) * scale[at.P] for at in scaled), sp.Integer(0))
        return sp.Integer(1) if power == 0 else sp.exp(power)

    if wanted:  # one reciprocal per denominator, then products (a complex division costs ~3 products)
        inverse = {sym: inv for sym, inv in [(D, Dinv), *Dk.values()]}
        steps += [(inverse[sym], Reciprocal(sym)) for sym, _ in dens
                  if any(den_of[ab][0] == sym for ab in wanted)]
        steps += [(Gsym[ab], (Nsym[ab] * den_of[ab][1] * rescale(Nsym[ab], den_of[ab][0])).xreplace(constant))
                  for ab in wanted]
    if scaled and any(kind == "det" for kind, _ in kinds):
        power = sum((_pair_degree(pieces.det, at.P, at.Q) * scale[at.P] for at in scaled), sp.Integer(0))
        outputs = [(name, e.xreplace({D: D * sp.exp(power)}) if kind == "det" else e)
                   for (name, e), (kind, _) in zip(outputs, kinds)]
    atoms = [s for at in pieces.atoms for s in (at.P, at.Q, at.W, scale[at.P])]
    lead_args = [s for p in model.leads for s in ((pieces.z[p], gamma[p]) if pieces.z[p] is not None
                                                  else (gamma[p],))]
    args = (model.omega, *params, *lead_args, *atoms)
    # a lead in a limit has a constant Gamma (a function of the parameters): scalar, hoisted like them
    constant_gamma = [gamma[p] for p in model.leads
                      if pieces.z[p] is None and pieces.gamma[p].free_symbols <= set(params)]
    spec = Spec("_kernel", tuple(args), tuple(outputs), "Closed forms of the model (see evaluate).",
                steps=tuple(steps), scalars=tuple(params) + tuple(constant_gamma))
    return spec, pieces, gamma


def evaluator_source(model_dict: Mapping, quantities: Sequence[str], *, backend: str,
                     where: Mapping | None = None) -> str:
    r"""Source of a module evaluating ``quantities`` of a model.

    Parameters
    ----------
    model_dict : mapping
        The model dict (``docs/model-files.md``).
    quantities : sequence of str
        Quantity names (:meth:`SymbolicModel.quantities`); the outputs follow this order.
    backend : {"numpy", "mpmath"}
    where : mapping, optional
        Parameter values fixed symbolically (``"inf"`` = limit through the lead self-energies).

    Returns
    -------
    str
        A module defining ``evaluate(omega, *parameters)``, ``ARGUMENTS``, ``QUANTITIES``.
        The closed forms are those of :class:`derive.models.symbolic_model.SymbolicModel`:

        .. math:: T2_{p\to q} = \Gamma_q\Gamma_p\,|N_{s_qs_p}/D|^2,\ \ldots

    >>> src = evaluator_source({"sites": {"a": "0"}, "leads": [
    ...     {"name": "L", "site": "a", "hopping": "-1", "coupling": "-1"},
    ...     {"name": "R", "site": "a", "hopping": "-1", "coupling": "-1"}]}, ["T2:L->R", "S:R,L"], backend="numpy")
    >>> namespace = {}
    >>> exec(src, namespace)
    >>> T2, S = namespace["evaluate"]([0.0, 1.0, 3.0])
    >>> [round(float(x), 12) for x in T2], [str(complex(x).real) for x in S]
    ([1.0, 1.0, 0.0], ['1.0', '1.0', 'nan'])
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
    spec, pieces, gamma = _kernel_spec(model, kinds, key, params)
    kernel = render_function(spec, backend)
    wrapper = _wrapper(model, key, kinds, list(quantities), params, spec, pieces, printer(backend), backend)
    digest = hashlib.sha256(json.dumps([model_dict, list(quantities), [(n, str(v)) for n, v in key], backend],
                                       sort_keys=True, default=str).encode()).hexdigest()[:16]
    arguments = tuple(["omega"] + [identifier(p.name) for p in params])
    return render_module(
        generator="derive.codegen.model_modules", origin=f"model {name_slug(model.name)}", backend=backend, digest=digest,
        notes=[f"Call evaluate({', '.join(arguments)}); outputs in QUANTITIES order."],
        constants=[("ARGUMENTS", arguments), ("QUANTITIES", tuple(quantities)),
                   ("LEADS", tuple(identifier(p) for p in model.leads)),
                   ("WHERE", {n: str(v) for n, v in key})],
        runtime=[HELPERS[backend]], parts=[kernel, wrapper])


def _exact_code(expr: sp.Basic, params: list) -> str | None:
    """Python source of a rational expression in the parameters evaluated exactly (``_q`` = Fraction), or None.

    Lead potentials and hoppings are printed so into the mpmath evaluators: with exact parameters
    (ints, Fractions) the band edges are decided exactly by ``_lead``.

    >>> a = sp.Symbol("a")
    >>> _exact_code(sp.Rational(3, 10) - a / 2, [a])
    '(_q(3, 10) + ((_q(-1, 2))*(a)))'
    >>> _exact_code(sp.sqrt(2) * a, [a]) is None
    True
    """
    if expr.is_Rational:
        return f"_q({expr.p}, {expr.q})"
    if expr.is_Symbol:
        return expr.name if expr in params else None
    if expr.is_Add or expr.is_Mul:
        parts = [_exact_code(a, params) for a in expr.args]
        return None if None in parts else "(" + (" + " if expr.is_Add else "*").join(f"({x})" if expr.is_Mul
                                                                                       else x for x in parts) + ")"
    if expr.is_Pow and expr.exp.is_Integer:
        base = _exact_code(expr.base, params)
        return None if base is None else f"({base})**({int(expr.exp)})"
    return None


def _wrapper(model: SymbolicModel, key: tuple, kinds: list, names: list, params: list, spec: Spec, pieces: Pieces,
             code_printer, backend: str) -> str:
    """``evaluate`` (NumPy: over blocks of ``_block``): lead terms, segment atoms, kernel call, the spec's masks."""
    pr = lambda e: code_printer.doprint(without_conjugates(sp.sympify(e)))  # noqa: E731
    np_ = backend == "numpy"
    sys_ = model._system(key)
    signature = ", ".join(["omega"] + [p.name for p in params])
    body = []
    is_open, done = {}, {}
    for lead in sys_.leads:
        p = lead.name
        if pieces.z[p] is None:  # replaced by its limit: Gamma from the limit of the self-energy
            body.append(f"    Gamma_{p} = {'numpy.real' if np_ else 'mpmath.re'}({pr(pieces.gamma[p])})")
            is_open[p] = f"(Gamma_{p} > 0)"
            continue
        c2 = sp.re(sp.expand(lead.c * sp.conjugate(lead.c)))
        e_code, t_code = (pr(x) if np_ else (_exact_code(x, params) or pr(x)) for x in (lead.e, lead.t))
        call = f"_lead(omega, {e_code}, {t_code}, {pr(c2)})"
        names_p = f"z_{p}, Gamma_{p}, open_{p}"
        body.append(f"    {names_p} = {done[call] if call in done else call}")
        done.setdefault(call, names_p)
        is_open[p] = f"open_{p}"
    if not np_:  # exact parameter values (for the band edges above) rounded once for the kernel
        body += [f"    {p.name} = _number({p.name})" for p in params if not p.is_integer]
        body.append("    omega = _number(omega)")
    for at in pieces.atoms:  # the Chebyshev form continued to length 0 is not the model without the segment
        if at.length not in done:  # one check per distinct length
            done[at.length] = at.P.name.removeprefix("_P_")
            message = f"segment {done[at.length]}: length {at.length} must be >= 1 (got %r)"
            body += [f"    if {pr(at.length)} < 1:",
                     f"        raise ValueError({message!r} % ({pr(at.length)},))"]
        call = f"_continuants({pr(at.length - 2)}, {pr(at.d)}, {pr(at.hh)})"
        names_at = f"{at.P.name}, {at.Q.name}, _L_{at.P.name.removeprefix('_P_')}"
        body.append(f"    {names_at} = {done[call] if call in done else call}")
        done.setdefault(call, names_at)
        body.append(f"    {at.W.name} = {pr(at.values[at.W])}")
    body.append(f"    out = _kernel({', '.join(a.name for a in spec.args)})")
    both = (lambda a, b: f"{a} & {b}") if np_ else (lambda a, b: f"{a} and {b}")
    rows = []
    for k, (kind, args) in enumerate(kinds):
        value = f"out[{k}]"
        if kind in _REAL:
            value = f"numpy.real({value})" if np_ else f"mpmath.re({value})"
        if kind in ("T2", "S"):
            p, q = (args[0], args[1]) if kind == "T2" else (args[1], args[0])
            cond = is_open[p] if p == q else both(is_open[p], is_open[q])
        else:
            cond = is_open[args[0]] if kind in ("R2", "absorbed") else None
        if cond is not None:
            null = "0.0" if kind == "T2" else "numpy.nan"
            if not np_:
                null = "mpmath.mpf(0)" if kind == "T2" else ("mpmath.mpc(mpmath.nan)" if kind == "S" else "mpmath.nan")
            value = f"numpy.where({cond}, {value}, {null})" if np_ else f"({value} if {cond} else {null})"
        rows.append(f"        {value},  # {name_slug(names[k], 80)}")
    body += ["    return ("] + rows + ["    )"]
    listed = docstring_text(", ".join(repr(n) for n in names))
    doc = (f'    """Quantities {listed} of model {name_slug(model.name)}.\n\n'
           f"    Returns a tuple in QUANTITIES order ({'arrays over omega' if np_ else 'mpmath numbers'}).\n"
           '    """')
    integers = [f"    {p.name} = int({p.name})" for p in params if p.is_integer]
    if not np_:
        return "\n".join([f"def evaluate({signature}):", doc] + integers + body) + "\n"
    block = [f"def _block({signature}):", '    """evaluate on one block of energies."""'] + body
    outer = [f"def evaluate({signature}):", doc] + integers + [
        f"    return _blocks(_block, omega, ({''.join(p.name + ', ' for p in params)}))"]
    return "\n".join(block) + "\n\n\n" + "\n".join(outer) + "\n"
