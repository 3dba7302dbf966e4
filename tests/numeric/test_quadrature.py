import numpy as np

from numeric.quadrature import integrate


def test_narrow_lorentzian_with_breakpoint():
    w0, g = 0.3 + 3e-7, 1e-7
    v, e = integrate(lambda x: g / ((x - w0) ** 2 + g**2), -2.0, 2.0, points=[0.3])
    exact = np.arctan((2 - w0) / g) + np.arctan((2 + w0) / g)
    assert abs(v[0] - exact) <= max(e[0], 1e-15 * exact) and e[0] < 1e-10


def test_vector_valued_integrand_has_per_component_errors():
    v, e = integrate(lambda x: np.stack([np.cos(x), 1e-9 * np.sin(x)], axis=-1), 0.0, 1.0)
    np.testing.assert_allclose(v, [np.sin(1.0), 1e-9 * (1 - np.cos(1.0))], rtol=1e-13)
    assert np.all(e <= 1e-12 * np.abs(v))
