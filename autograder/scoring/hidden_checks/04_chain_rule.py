"""Hidden checks of 04_chain_rule: one section per graded test cell, run by the grader.

Never released and never sent to a kernel: `autograder.scoring.judge` runs each section in the
grader's process after the cell's visible checks, in the same namespace, where each function
the student writes is computed in the student's kernel on the inputs given here.
"""

# %% test_numerical_derivative
def _reference_derivative(f, x, eps):
    upper, lower = f(x + eps), f(x - eps)
    return float(upper - lower) / (eps + eps)

def _random_function(rng):
    a, b, c = (float(v) for v in rng.uniform(0.5, 2.0, 3) * rng.choice([-1.0, 1.0], 3))
    kind = int(rng.integers(0, 4))
    if kind == 0:
        coefficients = rng.uniform(-2.0, 2.0, 4)
        return (lambda x: np.polyval(coefficients, x)), (lambda x: np.polyval(np.polyder(coefficients), x))
    if kind == 1:
        return (lambda x: a * np.exp(b * x)), (lambda x: a * b * np.exp(b * x))
    if kind == 2:
        return (lambda x: a * np.sin(b * x + c)), (lambda x: a * b * np.cos(b * x + c))
    return (lambda x: a * np.tanh(b * x) + c * x ** 2), (lambda x: a * b / np.cosh(b * x) ** 2 + 2 * c * x)

_rng = trial_rng(4101)
for _trial in range(60):
    _f, _df = _random_function(_rng)
    _x = float(_rng.uniform(-1.5, 1.5))
    _eps = [None, 1e-5, 1e-4, 1e-3, 0.1][_trial % 5]
    if _eps is None:
        _got, _call = numerical_derivative(_f, _x), f"numerical_derivative(f, {_x!r})"
        _eps = 1e-5
    else:
        _got, _call = numerical_derivative(_f, _x, eps=_eps), f"numerical_derivative(f, {_x!r}, eps={_eps})"
    check(_call, _got, _reference_derivative(_f, _x, _eps), rtol=1e-7, atol=1e-8, hint=_hint)
    if _eps == 1e-5:
        # The centred difference against the exact derivative: error of order 1e-10 here.
        check(_call + " against the exact derivative", _got, float(_df(_x)), rtol=1e-7, atol=1e-8,
              hint=_hint)

# %% test_numerical_gradient
def _reference_gradient(f, X, eps):
    flat = X.reshape(-1).copy()
    grad = np.empty(flat.size)
    for i in range(flat.size):
        step = np.zeros(flat.size)
        step[i] = eps
        grad[i] = (f((flat + step).reshape(X.shape)) - f((flat - step).reshape(X.shape))) / (2 * eps)
    return grad.reshape(X.shape)

with uses("numerical_derivative"):
    _rng = trial_rng(4202)
    _shapes = [(1,), (5,), (1, 1), (4, 1), (1, 4), (3, 3), (2, 5), (2, 3, 2), (1, 2, 1, 3)]
    for _trial in range(36):
        _shape = _shapes[_trial % len(_shapes)]
        _C = _rng.uniform(0.5, 3.0, _shape) * _rng.choice([-1.0, 1.0], _shape)
        _D = _rng.uniform(-1.0, 1.0, _shape)
        # sin makes each partial derivative depend on its own entry; the square couples all entries.
        _f = lambda X, C=_C, D=_D: float(np.sum(C * np.sin(2.0 * X)) + 0.5 * np.sum(D * X) ** 2)
        _X = _rng.uniform(-1.5, 1.5, _shape)
        _X_saved = _X.copy()
        _eps = 1e-5 if _trial % 3 else 1e-4
        _call = f"numerical_gradient(f, X of shape {_shape}, eps={_eps})"
        _got = numerical_gradient(_f, _X) if _eps == 1e-5 else numerical_gradient(_f, _X, eps=_eps)
        check(_call, _got, _reference_gradient(_f, _X_saved, _eps), rtol=1e-7, atol=1e-9,
              hint=_hint_formula + " " + _hint_entry)
        check(f"X after {_call}", _X, _X_saved, rtol=0, atol=0,
              hint="numerical_gradient must leave X exactly as it was.")

# %% test_multivariate_chain
import math as _math

_rng = trial_rng(4303)
for _trial in range(40):
    _K = 1 + _trial % 7
    _a, _b = _rng.standard_normal(_K), _rng.standard_normal(_K)
    _want = _math.fsum(float(p) for p in _a * _b)
    if _trial % 3 == 0:
        _args = (_a, _b)
    elif _trial % 3 == 1:
        _args = ([float(v) for v in _a], [float(v) for v in _b])
    else:
        _args = (tuple(float(v) for v in _a), tuple(float(v) for v in _b))
    check(f"multivariate_chain({_args[0]!r}, {_args[1]!r})", multivariate_chain(*_args), _want,
          rtol=1e-9, atol=1e-12, hint=_hint)

# %% test_dcost_da_unit
_rng = trial_rng(4404)
_shapes = [(1, 1), (1, 4), (4, 1), (3, 3), (5, 5), (2, 6), (6, 2), (3, 4)]
for _trial in range(40):
    _n, _n_prev = _shapes[_trial % len(_shapes)]
    _W = _rng.standard_normal((_n, _n_prev))
    _dz = _rng.standard_normal((_n, 1))
    _j = int(_rng.integers(0, _n_prev))
    _want = 0.0
    for _k in range(_n):
        _want += float(_W[_k, _j]) * float(_dz[_k, 0])
    try:
        _got = dcost_da_unit(_W.copy(), _dz.copy(), _j)
    except (IndexError, ValueError) as _failure:
        raise CheckError(f"dcost_da_unit(W of shape {(_n, _n_prev)}, dz of shape {(_n, 1)}, {_j}) "
                         f"raised {type(_failure).__name__}: {_failure}") from None
    check(f"dcost_da_unit(W of shape {(_n, _n_prev)}, dz of shape {(_n, 1)}, {_j})", _got, _want,
          rtol=1e-9, atol=1e-12, hint=_hint)

# %% test_dcost_dA
with uses("dcost_da_unit"):
    _rng = trial_rng(4505)
    _shapes = [(1, 1, 1), (1, 3, 5), (3, 1, 4), (4, 4, 1), (3, 3, 3), (5, 2, 6), (2, 5, 3), (4, 6, 7)]
    for _trial in range(40):
        _n, _n_prev, _m = _shapes[_trial % len(_shapes)]
        _W = _rng.standard_normal((_n, _n_prev))
        _dZ = _rng.standard_normal((_n, _m))
        _want = np.einsum("kj,ki->ji", _W, _dZ)
        _call = f"dcost_dA(W of shape {(_n, _n_prev)}, dZ of shape {(_n, _m)})"
        try:
            _got = dcost_dA(_W.copy(), _dZ.copy())
        except ValueError as _failure:
            raise CheckError(f"{_call} raised ValueError: {_failure}") from None
        check("dA_prev = " + _call, _got, _want, hint=_hint)
