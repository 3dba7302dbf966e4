"""Numerical evaluation (NumPy, SciPy, mpmath; never SymPy at run time).

Closed-form evaluators in :mod:`numeric._generated` are generated from
:mod:`derive` by :mod:`derive.codegen`; the independent solvers here
(:mod:`numeric.direct`, ...) share no formula with them.
"""
