"""Resource limits of the command line: what cannot fit is refused before any work starts.

Each numeric command estimates its memory and work from its size flags and
refuses (exit 2, one line naming the flag and the allowed range) a run that
needs more memory than this machine has available, or that exceeds the
documented maximum sizes below.  The maxima keep the worst accepted run
within minutes on a 2-core machine (costs measured with ``benchmarks/run.py``):

* every list (``--omega``, ``--times``, ``--T``): at most 100000 values;
* ``transmission``: M <= 1000000 and frequencies x (M+1) <= 5e9 (O(M) work per
  frequency, ~20 ns per site and frequency: 5e9 is ~2 min);
* ``current``: M <= 5000 (pole search and adaptive quadrature over ~M resonances:
  ~2.5 s at M = 1000, ~35 s at 5000, benchmark (i));
* ``evolve``: M + N <= 5000 (the O((M+N)^3) eigen-decomposition takes ~5 min at
  5000), ~256 (M+N+1)^2 bytes of available memory, and times x (M+N+1)^2 <= 2.5e10
  (O((M+N)^2) per time);
* ``pair-ratio``: at most 1000 temperatures, 50 with ``--dps`` (~0.3 s per
  temperature in double precision, seconds with ``--dps``);
* model files (``--model``): at most 10^6 region sites in every route and
  region sites x frequencies <= 2e8 in one ``transmission``; frequencies are
  solved in chunks of at most :data:`MODEL_CHUNK_BYTES` (peak memory does not
  grow with their number) and one frequency must fit the available memory;
  with ``--dps`` the predicted time (frequencies x the cost of one mpmath
  point, :func:`dps_seconds`) is at most :data:`DPS_MAX_SECONDS`; the closed
  form is the first route only when its predicted cold derivation
  (:mod:`tunnelkit.models.closed_form_cost`) is at most
  :data:`CLOSED_FORM_MAX_SECONDS`, and ``derive --model`` refuses one predicted
  beyond :data:`DERIVE_MAX_SECONDS`.

>>> check_evolve(M=3, N=40, n_times=2)
>>> check_evolve(M=3, N=1000000, n_times=1)
Traceback (most recent call last):
...
tunnelkit.limits.LimitError: --N must be an integer in [1, 4997] (M + N <= 5000: the eigen-decomposition grows like (M+N)^3; got 1000000)
"""
from __future__ import annotations

import math
import os
from typing import Sequence

__all__ = ["LimitError", "MAX_LIST", "MAX_M_TRANSMISSION", "MAX_WORK_TRANSMISSION", "MAX_M_CURRENT",
           "MAX_SITES_EVOLVE", "MAX_WORK_EVOLVE", "EVOLVE_BYTES_PER_SITE2", "MAX_T", "MAX_T_DPS",
           "available_memory", "check_list", "check_transmission", "check_current", "check_evolve",
           "check_pair_ratio", "describe", "REGION_MAX_SITES", "CLOSED_REGION_MAX_SITES", "MODEL_MAX_WORK", "MODEL_CHUNK_BYTES",
           "CLOSED_FORM_MAX_SECONDS", "DERIVE_MAX_SECONDS", "DPS_MAX_SECONDS", "model_chunk", "dps_seconds",
           "check_model_dps", "MP_MAX_SITES", "CURRENT_MP_MAX_SITES", "CURRENT_MAX_DPS"]

MAX_LIST = 100_000
#: largest region for the mpmath direct solver
MP_MAX_SITES = 200
#: currents with dps: largest region and precision (each integrand point is an mpmath solve; a 1-site
#: model takes ~5-15 s at 30 digits on this 2-core machine)
CURRENT_MP_MAX_SITES = 12
CURRENT_MAX_DPS = 60
MAX_M_TRANSMISSION = 1_000_000
MAX_WORK_TRANSMISSION = 5e9
MAX_M_CURRENT = 5000
MAX_SITES_EVOLVE = 5000
MAX_WORK_EVOLVE = 2.5e10
#: bytes per (M+N+1)^2 of an ``evolve`` run: 16 complex n x n arrays (measured: ~185 n^2 + 5 MB)
EVOLVE_BYTES_PER_SITE2 = 256
MAX_T = 1000
MAX_T_DPS = 50
#: region sites of a model in any route (a 10**6-site chain: ~4 s and ~0.9 GB per direct solve)
REGION_MAX_SITES = 1_000_000
#: region sites of a model in its closed form (segment continuants are O(1) in the length; the invariants are
#: checked on a stand-in with short segments): chains of 1e9 sites per segment, as the paper's lattice takes them
CLOSED_REGION_MAX_SITES = 10_000_000_000
#: region sites x frequencies of one ``transmission --model`` (~0.5 us each by the direct solver: ~2 min)
MODEL_MAX_WORK = 2e8
#: memory of one chunk of frequencies of a model's direct solve (a 10**6-site chain: 2 frequencies)
MODEL_CHUNK_BYTES = 256 * 2**20
#: bytes of a sparse direct solve, measured on chains of 1e5 and 4e5 sites: ~800 per region site once
#: (matrices, ordering, band storage) and ~65 per site and frequency (2 columns of G); with margin
MODEL_BYTES_PER_SITE = 1000
MODEL_BYTES_PER_SITE_FREQUENCY = 24
#: the auto route derives a closed form only when it is predicted to take at most this long cold
CLOSED_FORM_MAX_SECONDS = 3.0
#: ``derive --model``: largest predicted cold time of a derivation
DERIVE_MAX_SECONDS = 60.0
#: ``--dps`` on a model: largest predicted time of all frequencies (a point of the mpmath direct solve:
#: ~1 ms + 5 us x (sites + 1)^3, times 1 + (dps/2000)^1.6; measured 1.4 ms at 1 site and 30 digits,
#: 19 ms at 10000 digits, 0.3 s at 40 sites)
DPS_MAX_SECONDS = 120.0


class LimitError(ValueError):
    """A run that cannot fit (memory) or exceeds a documented maximum size; one line naming the flag."""


def available_memory() -> float:
    """Bytes this process can still allocate: MemAvailable, capped by a cgroup (v2) limit; inf if unknown.

    Returns
    -------
    float
        Available bytes, ``math.inf`` where the system does not tell.
    """
    avail = math.inf
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    avail = float(line.split()[1]) * 1024
    except OSError:
        try:
            avail = float(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
        except (ValueError, OSError, AttributeError):
            pass
    try:
        with open("/sys/fs/cgroup/memory.max") as fh:
            cap = fh.read().strip()
        with open("/sys/fs/cgroup/memory.current") as fh:
            used = float(fh.read().strip())
        if cap != "max":
            avail = min(avail, float(cap) - used)
    except (OSError, ValueError):
        pass
    return avail


def _bytes(n: float) -> str:
    """Human-readable size.

    >>> _bytes(14.6 * 2**40), _bytes(3e6)
    ('14.6 TiB', '2.9 MiB')
    """
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n < 1024 or unit == "PiB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{int(n)} B"
        n /= 1024
    raise AssertionError  # pragma: no cover


def _show(n: int) -> str:
    """An integer as given, or in scientific notation when it is too long for one readable line.

    >>> _show(4997), _show(10**400)
    ('4997', '1.00e+400')
    """
    text = str(n)
    return text if len(text) <= 20 else f"{text[0]}.{text[1:3]}e+{len(text) - 1}"


def check_list(flag: str, values: Sequence, maximum: int = MAX_LIST) -> None:
    """Refuse a list flag with more than ``maximum`` values."""
    if len(values) > maximum:
        raise LimitError(f"{flag} takes at most {maximum} values (got {len(values)})")


def check_transmission(*, M: int, n_omega: int) -> None:
    """``transmission``: M <= 1e6 and frequencies x (M + 1) <= 5e9."""
    check_list("--omega", range(n_omega))
    if M > MAX_M_TRANSMISSION:
        raise LimitError(f"--M must be an integer in [0, {MAX_M_TRANSMISSION}] for transmission "
                         f"(the work grows like M per frequency; got {_show(M)})")
    if n_omega * (M + 1) > MAX_WORK_TRANSMISSION:
        most = int(MAX_WORK_TRANSMISSION // (M + 1))
        raise LimitError(f"--omega takes at most {most} frequencies at M = {M} (frequencies x (M+1) <= "
                         f"{MAX_WORK_TRANSMISSION:g}; got {n_omega})")


def check_current(*, M: int) -> None:
    """``current``: M <= 5000."""
    if M > MAX_M_CURRENT:
        raise LimitError(f"--M must be an integer in [0, {MAX_M_CURRENT}] for current "
                         f"(~M resonances to resolve; got {_show(M)})")


def check_evolve(*, M: int, N: int, n_times: int, available: float | None = None) -> None:
    """``evolve``: M + N <= 5000, ~256 (M+N+1)^2 bytes of available memory, times x (M+N+1)^2 <= 2.5e10.

    ``available`` (bytes) defaults to :func:`available_memory`.
    """
    check_list("--times", range(n_times))
    if M + N > MAX_SITES_EVOLVE:
        flag, lo, value = ("--N", 1, N) if N > M else ("--M", 0, M)
        other = M if flag == "--N" else N
        raise LimitError(f"{flag} must be an integer in [{lo}, {max(MAX_SITES_EVOLVE - other, lo)}] (M + N <= "
                         f"{MAX_SITES_EVOLVE}: the eigen-decomposition grows like (M+N)^3; got {_show(value)})")
    n = M + N + 1
    avail = available_memory() if available is None else available
    need = EVOLVE_BYTES_PER_SITE2 * n * n
    if need > avail:
        fits = max(int(math.isqrt(int(avail // EVOLVE_BYTES_PER_SITE2))) - 1, 0)
        flag, value = ("--N", N) if N >= M else ("--M", M)
        raise LimitError(f"{flag}: evolve at M + N = {M + N} needs ~{_bytes(need)} of memory, "
                         f"{_bytes(avail)} available (M + N <= {fits} fits here; got {value})")
    if n_times * n * n > MAX_WORK_EVOLVE:
        most = max(int(MAX_WORK_EVOLVE // (n * n)), 1)
        raise LimitError(f"--times takes at most {most} values at M + N = {M + N} (times x (M+N+1)^2 <= "
                         f"{MAX_WORK_EVOLVE:g}; got {n_times})")


def check_pair_ratio(*, n_T: int, dps: int | None) -> None:
    """``pair-ratio``: at most 1000 temperatures (50 with ``--dps``)."""
    most = MAX_T if dps is None else MAX_T_DPS
    check_list("--T", range(n_T), most)


def model_chunk(*, n_sites: int, columns: int, dense: bool, n_omega: int, where: str = "--model",
                available: float | None = None) -> int:
    """Frequencies per chunk of a model's direct solve, after checking that one frequency fits in memory.

    Parameters
    ----------
    n_sites : int
        Region sites.
    columns : int
        Columns of G solved for (lead sites and requested elements).
    dense : bool
        Dense per-frequency matrices (small or omega-dependent regions): ~100 n^2 bytes per frequency.
    n_omega : int
        Frequencies asked for.
    where : str
        What to name in the refusal (the model file).
    available : float, optional
        Bytes available (default :func:`available_memory`).

    Returns
    -------
    int
        Frequencies per chunk: at least 1, at most ``n_omega``, each chunk within :data:`MODEL_CHUNK_BYTES`.

    >>> model_chunk(n_sites=10**6, columns=2, dense=False, n_omega=200, available=8e9)
    2
    >>> model_chunk(n_sites=10**6, columns=2, dense=False, n_omega=200, available=5e8)
    Traceback (most recent call last):
    ...
    tunnelkit.limits.LimitError: --model: one frequency of a 1000000-site region needs ~1.0 GiB of memory, 476.8 MiB available (at most 456204 sites fit here)
    """
    per = (100.0 * n_sites * n_sites if dense else MODEL_BYTES_PER_SITE_FREQUENCY * n_sites * (columns + 2))
    base = MODEL_BYTES_PER_SITE * n_sites
    avail = available_memory() if available is None else available
    if base + per > avail:
        fits = int(avail // (MODEL_BYTES_PER_SITE + MODEL_BYTES_PER_SITE_FREQUENCY * (columns + 2)))
        if dense:
            fits = min(fits, int(math.isqrt(int(max(avail, 0) // 100))))
        raise LimitError(f"{where}: one frequency of a {n_sites}-site region needs ~{_bytes(base + per)} of "
                         f"memory, {_bytes(avail)} available (at most {fits} sites fit here)")
    return int(max(1, min(n_omega, MODEL_CHUNK_BYTES // per, (avail - base) // per)))


def dps_seconds(*, n_sites: int, n_omega: int, dps: int) -> float:
    """Predicted seconds of ``n_omega`` mpmath points of a model (the direct solver's cost, see the constants).

    >>> round(dps_seconds(n_sites=1, n_omega=12000, dps=10000))
    176
    """
    per_point = (1e-3 + 5e-6 * (n_sites + 1) ** 3) * (1 + (dps / 2000) ** 1.6)
    return n_omega * per_point


def check_model_dps(*, n_sites: int, n_omega: int, dps: int, where: str = "--model") -> None:
    """``--dps`` on a model: the predicted time of all frequencies at most :data:`DPS_MAX_SECONDS`.

    >>> check_model_dps(n_sites=1, n_omega=12000, dps=10000)
    Traceback (most recent call last):
    ...
    tunnelkit.limits.LimitError: --dps 10000 with 12000 frequencies on --model (1 region sites): predicted ~176 s, above the limit of frequencies x cost per point <= 120 s (at most 8164 frequencies at this dps)
    """
    need = dps_seconds(n_sites=n_sites, n_omega=n_omega, dps=dps)
    if need > DPS_MAX_SECONDS:
        most = int(DPS_MAX_SECONDS // dps_seconds(n_sites=n_sites, n_omega=1, dps=dps))
        raise LimitError(f"--dps {dps} with {n_omega} frequencies on {where} ({n_sites} region sites): predicted "
                         f"~{need:.0f} s, above the limit of frequencies x cost per point <= {DPS_MAX_SECONDS:g} s "
                         f"(at most {most} frequencies at this dps)")


def describe(command: str) -> str:
    """The limits of one command, for its ``--help``.

    >>> describe("current")
    'Limits (refused with exit 2 before any work): M <= 5000.'
    """
    text = {
        "transmission": f"M <= {MAX_M_TRANSMISSION}, at most {MAX_LIST} frequencies and frequencies x (M+1) <= "
                        f"{MAX_WORK_TRANSMISSION:g}",
        "current": f"M <= {MAX_M_CURRENT}",
        "evolve": f"M + N <= {MAX_SITES_EVOLVE} and ~{EVOLVE_BYTES_PER_SITE2} (M+N+1)^2 bytes of available memory; "
                  f"at most {MAX_LIST} times and times x (M+N+1)^2 <= {MAX_WORK_EVOLVE:g}",
        "pair-ratio": f"at most {MAX_T} temperatures ({MAX_T_DPS} with --dps)",
    }[command]
    return f"Limits (refused with exit 2 before any work): {text}."
