"""Registry entries anglin:24 and anglin:25: equations of the bundled paper file ``anglin.toml``.

They are claims about the lattice's bundled model file (``tunnelkit/models_data/anglin_lattice.toml``),
decided by the general verifier (:mod:`tunnelkit.registry.paper_data`): the transport factor of Eq. 24
in the reservoir limit, and Eq. 25, the isolated chain's eigenfrequencies as zeros of det.  The file's
other claims are the |T|^2 and |R|^2 parts of Eqs. 36 and 37, whose entries also print Appendix A
intermediates and stay code (:mod:`tunnelkit.registry.anglin_scattering`).
"""
from __future__ import annotations

from tunnelkit.registry.paper_data import DataEntry, register_paper_file

register_paper_file("anglin.toml", {
    "24": DataEntry("Transport factor in the reservoir limit",
                    note="printed with the section label (III.6.1); number 24 by position"),
    "25": DataEntry("Isolated-chain eigenfrequencies"),
}, parts={"37-T": "anglin:37", "37-R": "anglin:37", "36-T": "anglin:36"})
