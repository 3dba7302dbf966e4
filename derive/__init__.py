"""Symbolic derivations: SymPy only; never imports :mod:`numeric` or :mod:`tunnelkit`.

General machinery at this level -- the ladder-operator algebra
(``field_algebra``), the split of any field Hamiltonian into tunneling terms
(``field_split``), identity decisions (``proof``), code generation (one printer, ``code_printer``,
used by ``codegen`` over ``codegen_spec`` and by ``model_codegen``), closed-form scattering of
any tight-binding model (``symbolic_model`` over ``model_values``,
``model_system``, ``chain_segments``, ``schur_elimination``; evaluators
``model_codegen``; resonances ``model_poles``) -- and one subpackage per paper
(:mod:`derive.anglin`, :mod:`derive.tajima`).  Functions return SymPy
expressions built from exact numbers; nothing here evaluates in floating point.
The equation registry that compares these derivations with the printed
equations is :mod:`tunnelkit.registry`.
"""
