"""numeric never imports SymPy at run time (the generated evaluators are plain NumPy/mpmath)."""
import os
import subprocess
import sys
from pathlib import Path

CODE = """
import sys, math, numpy as np
from numeric.papers.anglin.dynamics import FiniteLattice, evolve
from numeric.models.greens import solve
import tunnelkit.cli
lat = FiniteLattice(M=2, tau1=0.1, gamma=0.5, N=6)
evolve(lat, 3, [0.0, 1.0, 1e-12]); solve(lat.tight_binding(), np.array([0.1]))
tunnelkit.cli.main(['transmission', '--M', '1', '--tau1', '0.1', '--gamma', '0', '--Lambda', '1', '--omega', '0.2'])
from tunnelkit.models.model import Model  # a user's model by the direct route: files, solver, currents, mpmath
m = Model.from_file('examples/models/anglin_lattice.toml').with_params(M=2, tau1=0.1, gamma=0.5, Lambda='inf', V=1)
m.transmission([0.1, 0.3], method='direct'); m.transmission(['0.1'], dps=30, method='direct')
m.current({'L': {'mu': 0.5}, 'R': {'mu': -0.5}}, method='direct')
assert 'sympy' not in sys.modules, [m for m in sys.modules if 'sympy' in m][:5]
print('clean')
"""


def test_numeric_runs_without_importing_sympy():
    root = str(Path(__file__).resolve().parents[2])
    p = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=300, cwd=root,
                       env={**os.environ, "PYTHONPATH": root})
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip().endswith("clean")
