"""Derivations specific to the ``tajima`` paper (tunneling Hamiltonians): SymPy only.

The split-field decomposition of Eqs. (1)-(10) (``split_fields``), its
momentum-space forms (``momentum``), barrier modes (``barriers``), the
second-order Keldysh currents (``keldysh``), the pair spectral weight
(``pair_spectral``) and the spin response (``spin_response``).  General
machinery lives one level up in :mod:`derive`.
"""

#: generated evaluator families (:func:`derive.codegen.paper_modules.families`): file stem -> spec provider
GENERATED = {"pair_tunneling": "derive.papers.tajima.pair_spectral:specs",
             "spin_response": "derive.papers.tajima.spin_response:specs"}
