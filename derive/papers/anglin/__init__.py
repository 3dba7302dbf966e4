"""Derivations specific to the ``anglin`` paper (lossy lattice): SymPy only.

The lattice of Eqs. (1)-(3) and its Schroedinger equation (``lattice``), the
scattering construction of App. A (``scattering``), current integrands
(``current_formulas``), the master equation (``master_equation``), the printed
forms as transcribed (``printed``), the paper's symbols (``symbols``) and the
lattice as a general model in the paper's variables (``general_route``).  The
lattice's evaluators are those of the general model core (the bundled model
file): no family of generated evaluators is specific to this paper.
"""
