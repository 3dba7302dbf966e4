"""No doctest may compare the last binary digit of a double (issue 11).

libm and SIMD builds differ in the last bit of ``exp``, ``expm1``, ``log``, ``sin``...,
so an expected output holding a double's full 15-17 significant digits passes on one
machine and fails on another.  Expected outputs print rounded values (or compare
with a tolerance); longer digit strings come from mpmath, whose arithmetic is exact
integer arithmetic and the same everywhere.
"""
import doctest
import importlib
import pkgutil
import re

import pytest

PACKAGES = ("tunnelkit", "derive", "numeric")
#: a decimal number in an expected output, with its significant digits
NUMBER = re.compile(r"(?<![\w.])[-+]?(\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w.])")
#: significant digits that only a double's shortest repr prints (14 to 17); mpmath prints more
FRAGILE = range(14, 18)


def significant_digits(token: str) -> int:
    """Significant digits of a printed decimal number.

    >>> significant_digits("0.5819767068693265"), significant_digits("1.0"), significant_digits("1e-300")
    (16, 1, 1)
    """
    mantissa = re.split(r"[eE]", token.lstrip("+-"))[0]
    digits = mantissa.replace(".", "").lstrip("0")
    if "." in mantissa:
        digits = digits.rstrip("0") or digits
    else:
        digits = digits.rstrip("0")
    return len(digits)


def fragile_numbers(want: str) -> list[str]:
    """Numbers of an expected output that print a double to its last digits.

    >>> fragile_numbers("(0.5819767068693265, 0.581976706869, 1e-300)")
    ['0.5819767068693265']
    """
    return [m.group(0) for m in NUMBER.finditer(want) if significant_digits(m.group(0)) in FRAGILE]


def _doctests():
    finder = doctest.DocTestFinder()
    for pkg in PACKAGES:
        root = importlib.import_module(pkg)
        names = [pkg] + [m.name for m in pkgutil.walk_packages(root.__path__, pkg + ".")
                         if not m.name.endswith("__main__")]
        for name in names:
            for test in finder.find(importlib.import_module(name)):
                for example in test.examples:
                    yield test.name, example


def test_the_scan_sees_the_doctests():
    names = {name for name, _ in _doctests()}
    assert "numeric.distributions.occupation" in names and "numeric.precision.mp" in names


def test_no_doctest_expects_the_last_digits_of_a_double():
    bad = [f"{name}: {example.source.strip()!r} -> {', '.join(fragile)}"
           for name, example in _doctests() if (fragile := fragile_numbers(example.want))]
    assert not bad, "print rounded values (round(x, 12)) or compare with a tolerance:\n" + "\n".join(bad)


@pytest.mark.parametrize("token,n", [("3.141592653589793", 16), ("-0.000123", 3), ("12345678901234", 14),
                                     ("0.33333333333333333333333333333333333333333333333333", 50)])
def test_significant_digits(token, n):
    assert significant_digits(token) == n
