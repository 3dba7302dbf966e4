"""Symbolic re-derivations (SymPy only): one module per topic.

Functions return SymPy expressions built from exact numbers; nothing here
evaluates in floating point.  See :mod:`derive.registry` for the equation
registry that compares these derivations with the printed equations.
"""
