"""Hidden checks of 03_logistic_regression: one section per graded test cell, run by the grader.

Never released and never sent to a kernel: `autograder.scoring.judge` runs each section in the
grader's process after the cell's visible checks, in the same namespace, where each function
the student writes is computed in the student's kernel on the inputs given here.
"""

# %% test_compute_cost
import math as _math

def _reference_cost(AL, Y):
    _total = 0.0
    for _a, _y in zip(AL[0].tolist(), Y[0].tolist()):
        _p = _a if _y == 1.0 else 1.0 - _a
        if _p == 0.0:
            return _math.inf
        _total -= _math.log(_p)
    return _total / AL.shape[1]

_rng = trial_rng(3101)
for _trial in range(40):
    _m = 1 if _trial % 5 == 0 else int(_rng.integers(2, 60))
    _Y = (_rng.random((1, _m)) < 0.5).astype(np.float64)
    _AL = 1.0 / (1.0 + np.exp(-3.0 * _rng.standard_normal((1, _m))))
    if _trial % 4 == 1:
        _AL = np.where(_rng.random((1, _m)) < 0.4, _Y, _AL)  # right and saturated
    check(f"compute_cost(AL, Y) for AL, Y of shape (1, {_m}) (trial {_trial})",
          compute_cost(_AL.copy(), _Y.copy()), _reference_cost(_AL, _Y), hint=_hint)
for _trial in range(6):
    _m = int(_rng.integers(1, 8))
    _Y = (_rng.random((1, _m)) < 0.5).astype(np.float64)
    _AL = _rng.uniform(0.05, 0.95, (1, _m))
    _k = int(_rng.integers(0, _m))
    _AL[0, _k] = float(_trial % 2 == 0)  # a prediction of exactly 1 or 0 ...
    _Y[0, _k] = 1.0 - _AL[0, _k]  # ... for the label it declares impossible
    _got = compute_cost(_AL, _Y)
    check(f"compute_cost(AL, Y) == float('inf') for a confidently wrong prediction in (1, {_m})",
          bool(type(_got) is float and _got == _math.inf), True,
          hint=f"It returned {_got!r}; a label predicted to be impossible costs +inf (a Python "
               f"float), and the mean with it.")
for _trial in range(4):
    # "no warning": numpy's warnings turned into errors, with a right saturated prediction (whose
    # absent term would be log 0) and a confidently wrong one (log 0 is its honest cost)
    _m = int(_rng.integers(2, 12))
    _Y = (_rng.random((1, _m)) < 0.5).astype(np.float64)
    _AL = _rng.uniform(0.05, 0.95, (1, _m))
    _AL[0, 0], _AL[0, 1] = _Y[0, 0], 1.0 - _Y[0, 1]
    with np.errstate(divide="raise", over="raise", invalid="raise"):
        try:
            compute_cost(_AL, _Y)
        except FloatingPointError as _error:
            raise CheckError(
                f"compute_cost(AL, Y) for AL, Y of shape (1, {_m}) holding predictions of exactly 0 "
                f"and 1 writes a RuntimeWarning, {getattr(_error, 'text', str(_error))!r}: the exercise asks for none (this "
                f"check turns numpy's warnings into errors).",
                hint="Tell numpy, for that one log, that a division by zero is expected (section 2.1); "
                     "and an elementwise choice between two arrays computes both arrays in full "
                     "before it chooses.") from None

# %% test_logistic_dz
_rng = trial_rng(3202)
for _trial in range(30):
    _m = 1 if _trial % 6 == 0 else int(_rng.integers(2, 40))
    _A = _rng.random((1, _m))
    if _trial % 5 == 2:
        _A[_rng.random((1, _m)) < 0.3] = 1.0
    _Y = (_rng.random((1, _m)) < 0.5).astype(np.float64)
    _want = np.array([[_a - _y for _a, _y in zip(_A[0].tolist(), _Y[0].tolist())]])
    check(f"dZ = logistic_dz(A, Y) for A, Y of shape (1, {_m}) (trial {_trial})",
          logistic_dz(_A.copy(), _Y.copy()), _want, hint=_hint)

# %% test_logistic_propagate
import math as _math

def _reference_propagate(W, b, X, Y):
    _n, _m = X.shape
    _dW, _db, _loss = np.zeros((1, _n)), 0.0, 0.0
    for _i in range(_m):
        _z = float(W[0] @ X[:, _i]) + float(b[0, 0])
        _sign = 2.0 * Y[0, _i] - 1.0
        _loss -= _math.log(0.5 * (1.0 + _math.tanh(0.5 * _sign * _z)))  # log sigma(+-z)
        _dz = 0.5 * (1.0 + _math.tanh(0.5 * _z)) - Y[0, _i]
        _dW[0] += _dz * X[:, _i]
        _db += _dz
    return {"dW": _dW / _m, "db": np.array([[_db / _m]])}, _loss / _m

with uses("compute_cost", "logistic_dz"):
    _rng = trial_rng(3303)
    for _trial in range(40):
        _n = 1 if _trial % 7 == 0 else int(_rng.integers(2, 9))
        _m = 1 if _trial % 5 == 0 else int(_rng.integers(2, 30))
        _W = 0.7 * _rng.standard_normal((1, _n))
        _b = _rng.standard_normal((1, 1))
        _X = _rng.standard_normal((_n, _m))
        _Y = (_rng.random((1, _m)) < 0.5).astype(np.float64)
        check(f"logistic_propagate(W, b, X, Y) for n_x = {_n}, m = {_m} (trial {_trial})",
              logistic_propagate(_W.copy(), _b.copy(), _X.copy(), _Y.copy()),
              _reference_propagate(_W, _b, _X, _Y), hint=_hint_all + " " + _hint_dW + " " + _hint_db)

# %% test_train_logistic_regression
import math as _math

def _reference_train(X, Y, rate, steps):
    _n, _m = X.shape
    _Xb = np.vstack([X, np.ones((1, _m))])  # the bias as a feature that is always 1
    _theta = np.zeros(_n + 1)
    _signs = 2.0 * Y[0] - 1.0
    _history = []
    for _step in range(steps):
        _z = _theta @ _Xb
        _history.append(float(-np.mean(np.log(0.5 * (1.0 + np.tanh(0.5 * _signs * _z))))))
        _theta = _theta - rate * (_Xb @ (0.5 * (1.0 + np.tanh(0.5 * _z)) - Y[0])) / _m
    return _theta[:_n].reshape(1, _n), _theta[_n:].reshape(1, 1), _history

with uses("compute_cost", "logistic_dz", "logistic_propagate"):
    _rng = trial_rng(3404)
    for _trial in range(30):
        _n = 1 if _trial % 6 == 0 else int(_rng.integers(2, 6))
        _m = 1 if _trial % 5 == 0 else int(_rng.integers(2, 25))
        _X = _rng.standard_normal((_n, _m))
        _Y = (_rng.random((1, _m)) < 0.5).astype(np.float64)
        _rate = float(_rng.choice([0.05, 0.3, 1.0, 2.0]))
        _steps = 0 if _trial % 10 == 3 else int(_rng.integers(1, 25))
        _result = train_logistic_regression(_X.copy(), _Y.copy(), _rate, _steps)
        _want = _reference_train(_X, _Y, _rate, _steps)
        _call = f"train_logistic_regression(X, Y, {_rate}, {_steps}) for n_x = {_n}, m = {_m}"
        if _steps:
            check(f"costs[:1] of {_call}", list(_result[2][:1]), [_math.log(2.0)], hint=_hint_first)
        check(_call, _result, _want, hint=_hint_start + " " + _hint_step)
