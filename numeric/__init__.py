"""Numerical evaluation: NumPy, SciPy, mpmath; never imports SymPy, :mod:`derive` or :mod:`tunnelkit`.

General machinery at this level -- quadrature, Fock spaces (one builder,
``fock``; split fields on a grid, ``field_fock``), occupation
functions, Chebyshev chain trigonometry, work buffers, parameter errors,
tight-binding models and their direct solver (:mod:`numeric.tight_binding`,
:mod:`numeric.greens`) -- and one subpackage per paper (:mod:`numeric.anglin`,
:mod:`numeric.tajima`).  Closed-form evaluators in :mod:`numeric._generated`
are printed from :mod:`derive` by :mod:`derive.codegen` (drift-tested); the
direct solver shares no formula with them.
"""
