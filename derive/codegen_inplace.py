"""In-place NumPy evaluators: three-address code over a reusable workspace.

:func:`derive.code_printer.render_function` prints each expression as one NumPy
statement; every operation then allocates a fresh temporary array.  On large
grids evaluated block by block that is the dominant cost: the C library
returns the freed temporaries to the operating system after each block and
the next block page-faults them back (benchmark (f) in ``benchmarks/``).

:func:`render_inplace` prints the same expressions (after the same scalar
hoisting and ``|z|^2`` rewriting) as a sequence of single ufunc calls, each
writing into a buffer of a workspace (``out=``).  Buffers are assigned by a
liveness scan, so a buffer is reused as soon as the value it holds is dead,
and the workspace may be kept by the caller between calls of the same shape
(``workspace={}``): then a call allocates only its outputs, and nothing at all
when the caller also passes ``out=`` (one array or ``None`` per output).

Argument kinds come from the spec: :attr:`Spec.scalars` are Python scalars,
:attr:`Spec.real` real arrays, every other argument a complex array.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

__all__ = ["render_inplace", "BUFFERS_HELPER", "KEYWORDS", "note"]

#: keyword-only parameters an in-place evaluator adds to its spec's signature
KEYWORDS = ("workspace=None", "out=None")


def note(spec) -> str:
    """The paragraph the docstring of an in-place evaluator adds (how to pass ``workspace`` and ``out``)."""
    return ("\n\n    In-place evaluation; pass the same dict as ``workspace`` to reuse the work buffers "
            "between calls\n    of the same shape, and ``out`` (a tuple, an array or None per output) to write "
            "the outputs\n    into given arrays (real arrays: "
            f"{', '.join(a.name for a in spec.real)}; scalars: {', '.join(a.name for a in spec.scalars)}).")

BUFFERS_HELPER = '''
def _buffers(workspace, key, shape, kinds):
    """Work buffers of one in-place evaluator: reused from ``workspace`` when the shape matches."""
    if workspace is not None:
        held = workspace.get(key)
        if held is not None and held[0] == shape:
            return held[1]
    bufs = [numpy.empty(shape, dtype=complex if k == "c" else float) for k in kinds]
    if workspace is not None:
        workspace[key] = (shape, bufs)
    return bufs


def _output(out, i, shape, dtype):
    """Output array number ``i``: ``out[i]`` when given (written in place), else a new array."""
    if out is not None and out[i] is not None:
        return out[i]
    return numpy.empty(shape, dtype=dtype)
'''


@dataclass(frozen=True)
class _Lit:
    """A Python scalar expression (printed text); ``cplx`` if it may be complex."""

    text: str
    cplx: bool


@dataclass(frozen=True)
class _Arr:
    """An array value: an argument (``name`` set) or the result of op number ``op``."""

    vid: int
    cplx: bool
    name: str | None = None
    view: str | None = None  # "real" / "imag" view of a complex value

    def part(self, which: str) -> "_Arr":
        return _Arr(self.vid, False, self.name, which)


@dataclass
class _Op:
    func: str                       # numpy ufunc name
    args: tuple                     # _Lit | _Arr
    result: _Arr
    comment: str = ""


@dataclass
class _Program:
    printer: object
    scalars: frozenset
    values: dict = field(default_factory=dict)   # Symbol -> _Lit | _Arr
    ops: list = field(default_factory=list)
    nvid: int = 0

    def new(self, cplx: bool) -> _Arr:
        self.nvid += 1
        return _Arr(self.nvid, cplx)

    def op(self, func: str, *args) -> _Arr:
        cplx = any(a.cplx for a in args) if func not in ("absolute",) else False
        if func == "sqrt":
            if not args[0].cplx:
                raise NotImplementedError("in-place sqrt of a real array (sign unknown)")
        res = self.new(cplx)
        self.ops.append(_Op(func, args, res))
        return res

    # -- expression lowering -------------------------------------------------
    def lit(self, expr: sp.Basic) -> _Lit:
        return _Lit(f"({self.printer.doprint(expr)})", bool(expr.has(sp.I)) or any(
            isinstance(self.values.get(s), _Lit) and self.values[s].cplx for s in expr.free_symbols))

    def is_scalar(self, expr: sp.Basic) -> bool:
        return all(s in self.scalars or isinstance(self.values.get(s), _Lit) for s in expr.free_symbols)

    def emit(self, expr: sp.Basic):
        if self.is_scalar(expr):
            return self.lit(expr)
        if expr.is_Symbol:
            return self.values[expr]
        if isinstance(expr, sp.Add):
            return self._add(expr)
        if isinstance(expr, sp.Mul):
            return self._mul(expr.args)
        if isinstance(expr, sp.Pow):
            return self._mul((expr,))
        name = type(expr).__name__
        if name == "AbsSquared":
            z = self.emit(expr.args[0])
            if not z.cplx:
                return self.op("multiply", z, z)
            re2 = self.op("multiply", z.part("real"), z.part("real"))
            return self.op("add", re2, self.op("multiply", z.part("imag"), z.part("imag")))
        if isinstance(expr, sp.Abs):
            return self.op("absolute", self.emit(expr.args[0]))
        if isinstance(expr, sp.exp):
            return self.op("exp", self.emit(expr.args[0]))
        raise NotImplementedError(f"in-place printing of {name}")

    def _add(self, expr: sp.Add):
        terms = sorted(expr.args, key=sp.default_sort_key)
        scal = [t for t in terms if self.is_scalar(t)]
        acc = self.lit(sp.Add(*scal)) if scal else None
        for t in (t for t in terms if not self.is_scalar(t)):
            coeff, _ = t.as_coeff_Mul()
            neg = coeff.is_negative is True
            v = self.emit(-t if neg else t)
            if acc is None:
                acc = self.op("negative", v) if neg else v
            else:
                acc = self.op("subtract" if neg else "add", acc, v)
        return acc

    def _mul(self, factors: tuple):
        num_s, num_a, den_a = [], [], []
        for f in factors:
            if self.is_scalar(f):
                num_s.append(f)
            elif f.is_Pow and f.exp.is_negative:
                den_a.append(f.base if f.exp == -1 else f.base ** (-f.exp))
            else:
                num_a.append(f)
        vals = [self._power(f) for f in sorted(num_a, key=sp.default_sort_key)]
        coeff = sp.Mul(*num_s)
        acc = None
        if vals:
            acc = vals[0]
            if coeff != 1:
                acc = self.op("multiply", self.lit(coeff), acc)
            for v in vals[1:]:
                acc = self.op("multiply", acc, v)
        for d in sorted(den_a, key=sp.default_sort_key):
            dv = self._power(d)
            acc = self.op("divide", self.lit(coeff) if acc is None else acc, dv)
            coeff = sp.Integer(1)
        return acc

    def _power(self, f: sp.Basic):
        if f.is_Pow and not self.is_scalar(f):
            base, e = f.base, f.exp
            if e == sp.Rational(1, 2):
                return self.op("sqrt", self.emit(base))
            if e.is_Integer and e > 1:
                b = self.emit(base)
                acc = b
                for _ in range(int(e) - 1):
                    acc = self.op("multiply", acc, b)
                return acc
            raise NotImplementedError(f"in-place power {f}")
        return self.emit(f)


def _operand(a, slots) -> str:
    if isinstance(a, _Lit):
        return a.text
    base = a.name if a.name is not None else slots[a.vid]
    return f"{base}.{a.view}" if a.view else base


def render_inplace(spec, printer, table: dict, steps, replacements, reduced) -> list[str]:
    """Body lines (after the constants) of the in-place evaluator of ``spec``.

    ``table``: hoisted scalar constants (already printed by the caller);
    ``steps``, ``replacements``: named assignments in order; ``reduced``: outputs.
    """
    prog = _Program(printer, frozenset(spec.scalars))
    real = set(spec.real)
    for a in spec.args:
        if a in prog.scalars:
            prog.values[a] = _Lit(a.name, False)
        else:
            prog.nvid += 1
            prog.values[a] = _Arr(prog.nvid, a not in real, a.name)
    for value, sym in table.items():
        prog.values[sym] = _Lit(sym.name, bool(value.has(sp.I)))
    for sym, expr in list(steps) + list(replacements):
        start = len(prog.ops)
        v = prog.emit(expr)
        if isinstance(v, _Lit):
            raise NotImplementedError(f"scalar step {sym}")
        if len(prog.ops) > start:
            prog.ops[-1].comment = sym.name
        prog.values[sym] = v
    outputs, out_index = [], {}   # output values; value id -> output number
    for i, expr in enumerate(reduced):
        start = len(prog.ops)
        v = prog.emit(expr)
        computed = isinstance(v, _Arr) and v.name is None and v.view is None
        if not computed or v.vid in out_index:  # an argument, or already another output: copy
            v = prog.op("positive", v)
            start = len(prog.ops) - 1
        if len(prog.ops) > start and prog.ops[-1].result is v:
            prog.ops[-1].comment = f"output {spec.outputs[i][0]}"
        out_index[v.vid] = i
        outputs.append(v)
    out_ids = set(out_index)
    # liveness: last op index that reads each value
    last = {}
    for i, op in enumerate(prog.ops):
        for a in op.args:
            if isinstance(a, _Arr) and a.name is None:
                last[a.vid] = i
    slots, free, kinds, cplx = {}, {"c": [], "r": []}, [], {}
    lines = []
    array_args = [a.name for a in spec.args if a not in prog.scalars]
    lines.append(f"    _shape = numpy.broadcast_shapes({', '.join(f'numpy.shape({n})' for n in array_args)})")
    body = []
    for i, op in enumerate(prog.ops):
        operands = [_operand(a, slots) for a in op.args]
        for a in op.args:  # operands read for the last time: their buffers are free from here on
            if isinstance(a, _Arr) and a.name is None and last.get(a.vid) == i and a.vid not in out_ids:
                pool = free["c" if cplx[a.vid] else "r"]
                if slots[a.vid] not in pool:
                    pool.append(slots[a.vid])
        res = op.result
        if res.vid in out_ids:
            name = f"_o{out_index[res.vid]}"
            body.append(f"    {name} = _output(out, {out_index[res.vid]}, _shape, {'complex' if res.cplx else 'float'})")
        else:
            k = "c" if res.cplx else "r"
            if free[k]:
                name = free[k].pop()
            else:
                name = f"_b{len(kinds)}"
                kinds.append(k)
        slots[res.vid], cplx[res.vid] = name, res.cplx
        comment = f"  # {op.comment}" if op.comment else ""
        body.append(f"    numpy.{op.func}({', '.join(operands)}, out={name}){comment}")
    if kinds:
        lines.append(f"    {', '.join(f'_b{i}' for i in range(len(kinds)))}{',' if len(kinds) == 1 else ''} = "
                     f"_buffers(workspace, {spec.name!r}, _shape, {''.join(kinds)!r})")
    lines += body
    lines.append("    return (")
    lines += [f"        {slots[v.vid]}," for v in outputs]
    lines.append("    )")
    return lines
