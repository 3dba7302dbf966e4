"""tunnelkit: symbolic re-derivation and high-precision evaluation of tunneling-transport results.

The application layer: the public API, the ``tunnelkit`` command line
(``cli``), the equation registry and its reports (``registry``), figures and
parameter sweeps.  It builds on :mod:`derive` (SymPy only) and :mod:`numeric`
(NumPy/SciPy/mpmath only), which never import it.
"""
