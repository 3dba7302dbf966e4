"""Derivations specific to the ``anglin`` paper (lossy lattice): SymPy only.

The lattice of Eqs. (1)-(3) and its Schroedinger equation (``lattice``), the
scattering construction of App. A (``scattering``), the reservoir limit
(``reservoir_limit``), current integrands (``current_formulas``), the master
equation (``master_equation``), the printed forms as transcribed
(``printed``) and the expressions that become generated evaluators
(``evaluator_specs``).  General machinery lives one level up in :mod:`derive`.
"""

#: generated evaluator families (:func:`derive.codegen.families`): file stem -> spec provider
GENERATED = {"lossy_lattice": "derive.anglin.evaluator_specs:specs"}
