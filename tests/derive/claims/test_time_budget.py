"""The time budget of symbolic steps (derive.claims.time_budget) stops a step that swallows its first alarm.

Independent route: wall-clock time of a step built to ignore one BudgetExceeded (as a bare ``except:``
inside a library would): with one alarm only it ran to its own end; the budget must stop it soon after.
"""
from __future__ import annotations

import time

import pytest

from derive.claims.time_budget import REFIRE, BudgetExceeded, budget_active, time_budget

pytestmark = pytest.mark.skipif(not budget_active(), reason="SIGALRM budgets need the main thread on POSIX")


def test_a_swallowed_alarm_is_followed_by_another():
    swallowed = []
    t0 = time.monotonic()
    with pytest.raises(BudgetExceeded):
        with time_budget(0.1):
            end = time.monotonic() + 5.0
            while time.monotonic() < end:
                try:
                    time.sleep(0.01)
                except BudgetExceeded:  # noqa: PERF203 - the library that swallows everything
                    swallowed.append(time.monotonic() - t0)
                    if len(swallowed) > 1:
                        raise
    took = time.monotonic() - t0
    assert len(swallowed) == 2 and took < 0.1 + 3 * REFIRE, (swallowed, took)


def test_no_alarm_outlives_its_budget():
    with time_budget(0.05):
        pass
    time.sleep(3 * REFIRE)  # a timer left running would raise here


def test_an_inner_budget_restores_the_outer_one():
    with pytest.raises(BudgetExceeded):
        with time_budget(0.3):
            with time_budget(10):
                pass
            time.sleep(2)
