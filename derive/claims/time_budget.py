r"""A time budget for symbolic steps that can blow up (``sp.cancel`` of a large radical form, ...).

:func:`time_budget` is a context manager: inside it, a step that runs longer than ``seconds``
raises :class:`BudgetExceeded`, and the caller falls back (to the exact-point verdict, to the
unsimplified derived form) and says so.  It uses ``SIGALRM`` with ``setitimer`` (a real-time
timer of the process), so it interrupts only **the main thread of a process on a POSIX
system**; elsewhere (another thread, Windows) it is a no-op and the step runs to its end --
:func:`budget_active` tells which.  Budgets nest: an inner budget never extends the outer
one (the timer is set to the smaller remainder and the outer one is restored on exit).

SymPy checks for signals only between Python bytecodes, so a step inside one long C call
(gmpy2 arithmetic on huge integers) is interrupted when that call returns.  Past its deadline the
timer fires again every :data:`REFIRE` seconds until the budget is left, so a step that swallows
one :class:`BudgetExceeded` (a bare ``except:`` somewhere below it) is stopped by the next one.

>>> import time
>>> try:
...     with time_budget(0.05):
...         time.sleep(1)
... except BudgetExceeded as exc:
...     print("stopped:", exc)
stopped: symbolic step over its time budget of 0.05 s
>>> with time_budget(1):
...     1 + 1
2
"""
from __future__ import annotations

import contextlib
import signal
import threading
import time
from typing import Iterator

__all__ = ["BudgetExceeded", "time_budget", "budget_active", "run_within"]


class BudgetExceeded(BaseException):
    """A symbolic step ran past its time budget (raised inside the step).

    A ``BaseException`` like ``KeyboardInterrupt``: the ``except Exception`` of SymPy's own fallbacks
    (and of ours: "a symbolic route that breaks down proves nothing") must not swallow it.
    """


#: seconds between repeated alarms once a budget is spent (until the step lets the exception through)
REFIRE = 0.25

_DEADLINES: list[float] = []  # absolute monotonic deadlines of the active budgets, outermost first


def budget_active() -> bool:
    """True where :func:`time_budget` can interrupt: the main thread of a process with ``SIGALRM``."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _on_alarm(signum, frame) -> None:  # noqa: ARG001 - signal handler signature
    seconds = getattr(_on_alarm, "seconds", 0.0)
    raise BudgetExceeded(f"symbolic step over its time budget of {seconds:g} s")


@contextlib.contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Run the body for at most ``seconds`` (wall clock), else raise :class:`BudgetExceeded` inside it.

    Parameters
    ----------
    seconds : float
        The budget (> 0).  An enclosing budget with less time left wins.

    Returns
    -------
    context manager
        A no-op outside the main thread or without ``SIGALRM`` (see the module doc).
    """
    if not budget_active() or seconds <= 0:
        yield
        return
    now = time.monotonic()
    deadline = min([now + seconds] + _DEADLINES[-1:])
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    outer_seconds = getattr(_on_alarm, "seconds", 0.0)
    _on_alarm.seconds = seconds if deadline == now + seconds else outer_seconds  # type: ignore[attr-defined]
    _DEADLINES.append(deadline)
    signal.setitimer(signal.ITIMER_REAL, max(deadline - now, 1e-4), REFIRE)
    try:
        yield
    finally:
        _disarm()
        _DEADLINES.pop()
        _on_alarm.seconds = outer_seconds  # type: ignore[attr-defined]
        signal.signal(signal.SIGALRM, previous)
        if _DEADLINES:  # re-arm the enclosing budget with what is left of it (at least a moment)
            signal.setitimer(signal.ITIMER_REAL, max(_DEADLINES[-1] - time.monotonic(), 1e-4), REFIRE)


def _disarm() -> None:
    """Stop the timer; an alarm that lands while leaving the budget (the step is over) is dropped."""
    while True:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
            return
        except BudgetExceeded:
            continue


def run_within(seconds: float, step, fallback):
    """``step()`` within ``seconds``; on :class:`BudgetExceeded` the value of ``fallback()`` and False.

    Parameters
    ----------
    seconds : float
    step, fallback : callable
        Without arguments.

    Returns
    -------
    (value, bool)
        The value and whether ``step`` finished in time.

    >>> run_within(1, lambda: 2, lambda: 0)
    (2, True)
    """
    try:
        with time_budget(seconds):
            return step(), True
    except BudgetExceeded:
        return fallback(), False
