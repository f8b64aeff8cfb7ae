"""Hidden checks of 02_forward_propagation: one section per graded test cell, run by the grader.

Never released and never sent to a kernel: `autograder.scoring.judge` runs each section in the
grader's process after the cell's visible checks, in the same namespace, where each function
the student writes is computed in the student's kernel on the inputs given here.
"""

# %% test_sigmoid
def _reference_sigmoid(Z):
    return np.exp(-np.logaddexp(0.0, -Z))

# Values of ordinary size only: the float64 limits are the optional stable_sigmoid's, not graded.
_rng = trial_rng(2101)
_shapes = [(1, 1), (1, 7), (5, 1), (4, 9), (30, 40), (6,), (2, 3, 4)]
for _trial in range(21):
    _shape = _shapes[_trial % len(_shapes)]
    _scale = [1.0, 4.0, 20.0][_trial % 3]
    _Z = np.clip(_scale * _rng.standard_normal(_shape), -50.0, 50.0)
    _Z_kept = _Z.copy()
    check(f"sigmoid(Z) for Z of shape {_shape} with entries up to {np.abs(_Z).max():.1f} in size",
          sigmoid(_Z), _reference_sigmoid(_Z_kept), hint=_hint)
    check(f"Z of shape {_shape} after sigmoid(Z)", _Z, _Z_kept)
_Z = np.linspace(-50.0, 50.0, 201).reshape(1, -1)
check("sigmoid(Z) for Z = -50, -49.5, ..., 50", sigmoid(_Z), _reference_sigmoid(_Z), hint=_hint)
check("sigmoid(np.zeros((2, 2)))", sigmoid(np.zeros((2, 2))), np.full((2, 2), 0.5), hint=_hint)

# %% test_relu
_rng = trial_rng(2202)
for _shape in [(1, 1), (1, 6), (7, 1), (5, 8), (40, 30), (9,)]:
    _Z = _rng.standard_normal(_shape)
    _Z.flat[0] = 0.0
    _Z_kept = _Z.copy()
    check(f"relu(Z) for Z of shape {_shape}", relu(_Z), np.clip(_Z_kept, 0.0, None) + 0.0,
          hint=_hint)
    check(f"Z of shape {_shape} after relu(Z)", _Z, _Z_kept)

# %% test_linear_forward
def _reference_linear(A_prev, W, b):
    n, m = W.shape[0], A_prev.shape[1]
    return np.einsum("kj,ji->ki", W, A_prev) + np.repeat(b, m, axis=1)

_rng = trial_rng(2303)
_cases = [(1, 1, 1), (3, 3, 1), (1, 4, 1), (4, 1, 1), (5, 5, 5), (6, 6, 3), (2, 7, 7)]
_cases += [tuple(int(v) for v in _rng.integers(1, 12, size=3)) for _ in range(12)] + [(64, 48, 32)]
for _n, _n_prev, _m in _cases:
    _A_prev = _rng.standard_normal((_n_prev, _m))
    _W = _rng.standard_normal((_n, _n_prev))
    _b = _rng.standard_normal((_n, 1))
    _copies = (_A_prev.copy(), _W.copy(), _b.copy())
    _call = f"linear_forward(A_prev, W, b) with n = {_n}, n_prev = {_n_prev}, m = {_m}"
    _got_Z, _got_cache = linear_forward(_A_prev, _W, _b)
    check(f"Z from {_call}", _got_Z, _reference_linear(*_copies))
    check(f"cache from {_call}", _got_cache, _copies)
    check(f"cache from {_call} holds A_prev, W and b themselves",
          _got_cache[0] is _A_prev and _got_cache[1] is _W and _got_cache[2] is _b, True)

# %% test_activation_forward
with uses("sigmoid", "relu", "linear_forward"):
    _functions = {"sigmoid": lambda Z: np.exp(-np.logaddexp(0.0, -Z)),
                  "relu": lambda Z: np.where(Z > 0.0, Z, 0.0),
                  "tanh": lambda Z: (1.0 - np.exp(-2.0 * Z)) / (1.0 + np.exp(-2.0 * Z))}
    _rng = trial_rng(2404)
    _cases = [(1, 1, 1), (4, 4, 1), (1, 5, 3), (3, 3, 3), (20, 30, 10)]
    _cases += [tuple(int(v) for v in _rng.integers(1, 9, size=3)) for _ in range(6)]
    for _n, _n_prev, _m in _cases:
        for _activation in ["sigmoid", "relu", "tanh"]:
            _A_prev = 2.0 * _rng.standard_normal((_n_prev, _m))
            _W = _rng.standard_normal((_n, _n_prev))
            _b = _rng.standard_normal((_n, 1))
            _copies = (_A_prev.copy(), _W.copy(), _b.copy())
            _Z = _W @ _A_prev + _b
            _call = (f'activation_forward(A_prev, W, b, "{_activation}") with n = {_n}, '
                     f"n_prev = {_n_prev}, m = {_m}")
            check(_call, activation_forward(_A_prev, _W, _b, _activation),
                  (_functions[_activation](_Z), (_copies, _Z)), hint=_hint)
            check(f"(A_prev, W, b) after {_call}", (_A_prev, _W, _b), _copies)
    for _name in ["softmax", "linear", "identity", "leaky_relu", "sigmoid "]:
        check_raises(f'activation_forward(A_prev, W, b, "{_name}")',
                     lambda: activation_forward(_A_prev, _W, _b, _name), ValueError)

# %% test_model_forward
def _reference_model_forward(X, parameters):
    L = sum(1 for key in parameters if key.startswith("W"))
    A, caches = X, []
    for l in range(1, L + 1):
        W, b = parameters["W%d" % l], parameters["b%d" % l]
        Z = np.einsum("kj,ji->ki", W, A) + b
        caches.append(((A, W, b), Z))
        A = np.exp(-np.logaddexp(0.0, -Z)) if l == L else np.where(Z > 0.0, Z, 0.0)
    return A, caches

with uses("sigmoid", "relu", "linear_forward", "activation_forward"):
    _rng = trial_rng(2505)
    _architectures = [[1, 1], [3, 1], [2, 1, 1], [4, 4, 4, 1], [5, 3, 3, 3, 2], [2, 50, 40, 1],
                      [3, 8, 8, 8, 8, 8, 1], [6, 1, 1, 1, 1, 1, 1]]
    for _ in range(8):
        _L = int(_rng.integers(1, 7))
        _architectures.append([int(n) for n in _rng.integers(1, 10, size=_L + 1)])
    for _trial, _dims in enumerate(_architectures):
        _m = [1, 1, 5, 3, 7, 64, 1, 4][_trial % 8]
        _parameters = {}
        for _l in range(1, len(_dims)):
            _parameters["W%d" % _l] = _rng.standard_normal((_dims[_l], _dims[_l - 1])) * np.sqrt(2.0 / _dims[_l - 1])
            _parameters["b%d" % _l] = 0.5 * _rng.standard_normal((_dims[_l], 1))
        _X = 2.0 * _rng.standard_normal((_dims[0], _m))
        _X_kept = _X.copy()
        _parameters_kept = dict((_k, _v.copy()) for _k, _v in _parameters.items())
        _want_AL, _want_caches = _reference_model_forward(_X_kept, _parameters_kept)
        _call = f"model_forward(X, parameters) for layer_dims {_dims} and m = {_m}"
        _got_AL, _got_caches = model_forward(_X, _parameters)
        check(f"len(caches) from {_call}", len(_got_caches), len(_dims) - 1)
        check(f"caches from {_call}", _got_caches, _want_caches)
        check(f"AL from {_call}", _got_AL, _want_AL)
        check(f"X after {_call}", _X, _X_kept)
        check(f"parameters after {_call}", _parameters, _parameters_kept)

# %% test_predict
def _reference_predict(X, parameters):
    L = len(parameters) // 2
    A = X
    for l in range(1, L + 1):
        Z = parameters["W%d" % l].dot(A) + parameters["b%d" % l]
        A = Z.clip(0.0) if l < L else Z
    return np.where(A > 0.0, 1, 0).astype(np.int64)

with uses("sigmoid", "relu", "linear_forward", "activation_forward", "model_forward"):
    _rng = trial_rng(2606)
    for _trial in range(16):
        _dims = [int(n) for n in _rng.integers(1, 8, size=int(_rng.integers(1, 6)))] + [1]
        _m = [1, 2, 9, 40][_trial % 4]
        _parameters = {}
        for _l in range(1, len(_dims)):
            _parameters["W%d" % _l] = _rng.standard_normal((_dims[_l], _dims[_l - 1]))
            _parameters["b%d" % _l] = _rng.standard_normal((_dims[_l], 1))
        if _trial % 5 == 4:
            _parameters["W%d" % (len(_dims) - 1)][:] = 0.0
            _parameters["b%d" % (len(_dims) - 1)][:] = 0.0
        _X = _rng.standard_normal((_dims[0], _m))
        _X_kept = _X.copy()
        check(f"predict(X, parameters) for layer_dims {_dims} and m = {_m}",
              predict(_X, _parameters), _reference_predict(_X_kept, _parameters), hint=_hint)
        check(f"X after predict(X, parameters) for layer_dims {_dims}", _X, _X_kept)
