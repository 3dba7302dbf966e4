"""Symbolic derivations: SymPy only; never imports :mod:`numeric` or :mod:`tunnelkit`.

Grouped by capability: :mod:`derive.models` (closed-form scattering of any
tight-binding model), :mod:`derive.fields` (the ladder-operator algebra and the
split of any field Hamiltonian into tunneling terms), :mod:`derive.claims`
(deciding printed claims: identity proofs, exact sample points, radicals,
misprint search), :mod:`derive.latex` (reading and writing LaTeX),
:mod:`derive.codegen` (the one printer of generated evaluators) and
:mod:`derive.papers` (what only one paper needs: ``anglin``, ``tajima``).
Functions return SymPy expressions built from exact numbers; nothing here
evaluates in floating point.  The equation registry that compares these
derivations with the printed equations is :mod:`tunnelkit.registry`.
"""
