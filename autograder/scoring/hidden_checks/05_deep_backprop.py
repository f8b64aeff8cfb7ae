"""Hidden checks of 05_deep_backprop: one section per graded test cell, run by the grader.

Never released and never sent to a kernel: `autograder.scoring.judge` runs each section in the
grader's process after the cell's visible checks, in the same namespace, where each function
the student writes is computed in the student's kernel on the inputs given here. Every value a
check compares with is computed from the inputs with reference code only (`reference.<name>` is
the reference solution of a graded function), never with a student's function.
"""

# %% test_sigmoid_backward
def _sigmoid_slope(Z):
    _e = np.exp(-np.abs(Z))
    return _e / (1.0 + _e) ** 2

_rng = trial_rng(5101)
for _trial in range(30):
    _shape = (int(_rng.integers(1, 7)) if _trial % 3 else 1, int(_rng.integers(1, 9)) if _trial % 4 else 1)
    _Z = 4.0 * _rng.standard_normal(_shape)
    _dA = _rng.standard_normal(_shape)
    check(f"dZ = sigmoid_backward(dA, Z) with Z of shape {_shape}",
          sigmoid_backward(_dA.copy(), _Z.copy()), _dA * _sigmoid_slope(_Z),
          hint="dZ is dA times the sigmoid's slope, entry by entry, evaluated at Z (the input).")

# %% test_relu_backward
_rng = trial_rng(5202)
for _trial in range(30):
    _shape = (int(_rng.integers(1, 7)) if _trial % 3 else 1, int(_rng.integers(1, 9)) if _trial % 4 else 1)
    _Z = _rng.standard_normal(_shape)
    _Z[_rng.random(_shape) < 0.25] = 0.0
    _dA = _rng.standard_normal(_shape)
    _dA_before, _Z_before = _dA.copy(), _Z.copy()
    _got = relu_backward(_dA, _Z)
    check(f"dZ = relu_backward(dA, Z) with Z of shape {_shape}", _got, np.where(_Z_before > 0, _dA_before, 0.0),
          hint="dZ = dA where Z > 0 and 0 where Z <= 0 (relu'(0) = 0).")
    check("dA after relu_backward(dA, Z)", _dA, _dA_before, hint="relu_backward must leave dA unchanged.")
    check("Z after relu_backward(dA, Z)", _Z, _Z_before, hint="relu_backward must leave Z unchanged.")

# %% test_linear_backward
def _linear_backward_reference(dZ, A_prev, W):
    _count = A_prev.shape[1]
    _dW = np.einsum("ki,ji->kj", dZ, A_prev) / _count
    _db = dZ.mean(axis=1).reshape(-1, 1)
    _dA_prev = np.einsum("kj,ki->ji", W, dZ)
    return (_dA_prev, _dW, _db)

_rng = trial_rng(5303)
for _trial in range(40):
    _n_prev = int(_rng.integers(1, 9))
    _n = _n_prev if _trial % 4 == 0 else int(_rng.integers(1, 9))
    _m = [1, _n_prev, int(_rng.integers(2, 12))][_trial % 3]
    if _trial % 10 == 9:
        _n, _n_prev = 48, 33
    _dZ = _rng.standard_normal((_n, _m))
    _A_prev = _rng.standard_normal((_n_prev, _m))
    _W = _rng.standard_normal((_n, _n_prev))
    _b = _rng.standard_normal((_n, 1))
    _want = _linear_backward_reference(_dZ, _A_prev, _W)
    check(f"(dA_prev, dW, db) = linear_backward(dZ, cache) with n = {_n}, n_prev = {_n_prev}, m = {_m}",
          linear_backward(_dZ, (_A_prev, _W, _b)), _want, hint=_hint)

# %% test_activation_backward
def _layer_backward_reference(dA, A_prev, W, Z, kind):
    if kind == "sigmoid":
        _e = np.exp(-np.abs(Z))
        _slope = _e / (1.0 + _e) ** 2
    elif kind == "relu":
        _slope = (Z > 0).astype(float)
    else:
        _slope = 1.0 / np.cosh(Z) ** 2
    _dZ = dA * _slope
    return (W.T.dot(_dZ), _dZ.dot(A_prev.T) / A_prev.shape[1], _dZ.mean(axis=1, keepdims=True))

with uses("sigmoid_backward", "relu_backward", "linear_backward"):
    _rng = trial_rng(5404)
    for _trial in range(36):
        _kind = ["relu", "sigmoid", "tanh"][_trial % 3]
        _n_prev = int(_rng.integers(1, 8))
        _n = _n_prev if _trial % 4 == 1 else int(_rng.integers(1, 8))
        _m = 1 if _trial % 5 == 0 else int(_rng.integers(1, 10))
        _A_prev = _rng.standard_normal((_n_prev, _m))
        _W = _rng.standard_normal((_n, _n_prev))
        _b = _rng.standard_normal((_n, 1))
        _Z = _W @ _A_prev + _b
        _dA = _rng.standard_normal((_n, _m))
        check(f"(dA_prev, dW, db) = activation_backward(dA, cache, {_kind!r}) with n = {_n}, n_prev = {_n_prev}, m = {_m}",
              activation_backward(_dA, ((_A_prev, _W, _b), _Z), _kind),
              _layer_backward_reference(_dA, _A_prev, _W, _Z, _kind), hint=_hint)
    for _kind in ["softmax", "Sigmoid", "", "leaky_relu"]:
        check_raises(f"activation_backward(dA, cache, {_kind!r})",
                     lambda: activation_backward(np.ones((2, 1)), ((np.ones((2, 1)), np.eye(2), np.zeros((2, 1))),
                                                                   np.ones((2, 1))), _kind),
                     ValueError)

# %% test_model_backward
def _net_forward(X, layers):
    _out, _kept = X, []
    for _depth, (_W, _b) in enumerate(layers, start=1):
        _Z = _W.dot(_out) + _b
        _kept.append(((_out, _W, _b), _Z))
        _out = 1.0 / (1.0 + np.exp(-_Z)) if _depth == len(layers) else np.where(_Z > 0, _Z, 0.0)
    return _out, _kept

def _net_backward(AL, Y, kept):
    _want, _dZ, _depth = {}, AL - Y, len(kept)
    for (_A_prev, _W, _b), _Z in reversed(kept):
        _want["dW%d" % _depth] = _dZ.dot(_A_prev.T) / Y.shape[1]
        _want["db%d" % _depth] = _dZ.mean(axis=1, keepdims=True)
        _want["dA%d" % (_depth - 1)] = _W.T.dot(_dZ)
        if _depth > 1:
            _dZ = _want["dA%d" % (_depth - 1)] * (kept[_depth - 2][1] > 0)
        _depth -= 1
    return _want

def _random_net(rng, dims, m):
    _layers = [(rng.standard_normal((dims[i], dims[i - 1])) * np.sqrt(2.0 / dims[i - 1]),
                0.1 * rng.standard_normal((dims[i], 1))) for i in range(1, len(dims))]
    _X = rng.standard_normal((dims[0], m))
    _Y = (rng.random((dims[-1], m)) < 0.5).astype(float)
    return _layers, _X, _Y

with uses("sigmoid_backward", "relu_backward", "linear_backward", "activation_backward"):
    _rng = trial_rng(5505)
    for _trial in range(30):
        _depth_count = int(_rng.integers(1, 7))
        _dims = [int(n) for n in _rng.integers(1, 9, size=_depth_count + 1)]
        if _trial % 5 == 1:
            _dims = [_dims[0]] * _depth_count + [1]
        if _trial % 5 == 2:
            _dims = [int(_rng.integers(20, 65)) for _ in range(_depth_count)] + [1]
        _dims[-1] = 1
        _m = 1 if _trial % 4 == 0 else int(_rng.integers(2, 12))
        _layers, _X, _Y = _random_net(_rng, _dims, _m)
        _AL, _kept = _net_forward(_X, _layers)
        check(f"grads = model_backward(AL, Y, caches) for layer sizes {_dims}, m = {_m}",
              model_backward(_AL, _Y, _kept), _net_backward(_AL, _Y, _kept), hint=_hint)

    # The numerical check: centred differences of the cost agree with model_backward itself.
    def _cost_of(layers, X, Y):
        _AL = _net_forward(X, layers)[0]
        return float(-np.mean(Y * np.log(_AL) + (1 - Y) * np.log(1 - _AL)))

    _step = 1e-6
    for _dims, _m in [([3, 4, 1], 5), ([2, 3, 3, 2, 1], 4), ([4, 1], 1)]:
        _layers, _X, _Y = _random_net(_rng, _dims, _m)
        _AL, _kept = _net_forward(_X, _layers)
        _got = model_backward(_AL, _Y, _kept)
        for _index, (_W, _b) in enumerate(_layers, start=1):
            for _name, _array in (("dW%d" % _index, _W), ("db%d" % _index, _b)):
                _numeric = np.zeros_like(_array)
                for _entry in np.ndindex(*_array.shape):
                    _kept_value = _array[_entry]
                    _array[_entry] = _kept_value + _step
                    _up = _cost_of(_layers, _X, _Y)
                    _array[_entry] = _kept_value - _step
                    _down = _cost_of(_layers, _X, _Y)
                    _array[_entry] = _kept_value
                    _numeric[_entry] = (_up - _down) / (2 * _step)
                check(f"grads[{_name!r}] against centred differences of the cost, layer sizes {_dims}",
                      _got[_name], _numeric, rtol=1e-5, atol=1e-8, hint=_hint)
        # dA0 holds each example's own loss gradient: m times the derivative of the mean cost.
        _numeric = np.zeros_like(_X)
        for _entry in np.ndindex(*_X.shape):
            _kept_value = _X[_entry]
            _X[_entry] = _kept_value + _step
            _up = _cost_of(_layers, _X, _Y)
            _X[_entry] = _kept_value - _step
            _down = _cost_of(_layers, _X, _Y)
            _X[_entry] = _kept_value
            _numeric[_entry] = _m * (_up - _down) / (2 * _step)
        check(f"grads['dA0'] against m times centred differences of the cost in X, layer sizes {_dims}",
              _got["dA0"], _numeric, rtol=1e-5, atol=1e-8, hint=_hint)

# %% test_gradient_check
def _gradient_check_reference(params, X, Y, eps):
    _AL, _caches = model_forward(X, params)
    _grads = reference.model_backward(_AL, Y, _caches)
    _analytic, _numeric = [], []
    for _name in params:
        _flat = params[_name].copy().reshape(-1)
        _analytic.extend(np.asarray(_grads["d" + _name]).reshape(-1))
        for _i in range(_flat.size):
            _costs = []
            for _sign in (1.0, -1.0):
                _trial_params = dict(params)
                _shifted = _flat.copy()
                _shifted[_i] += _sign * eps
                _trial_params[_name] = _shifted.reshape(params[_name].shape)
                _costs.append(compute_cost(model_forward(X, _trial_params)[0], Y))
            _numeric.append((_costs[0] - _costs[1]) / (2 * eps))
    _analytic, _numeric = np.array(_analytic), np.array(_numeric)
    return float(np.sqrt(np.sum((_analytic - _numeric) ** 2))
                 / (np.sqrt(np.sum(_analytic ** 2)) + np.sqrt(np.sum(_numeric ** 2))))

with uses("sigmoid_backward",
          "relu_backward",
          "linear_backward",
          "activation_backward",
          "model_backward"):
    _rng = trial_rng(5606)
    for _trial in range(8):
        _dims = [int(n) for n in _rng.integers(1, 5, size=int(_rng.integers(2, 5)))] + [1]
        _m = 1 if _trial % 3 == 0 else int(_rng.integers(2, 6))
        _params = {}
        for _l in range(1, len(_dims)):
            _params["W%d" % _l] = _rng.standard_normal((_dims[_l], _dims[_l - 1]))
            _params["b%d" % _l] = 0.5 * _rng.standard_normal((_dims[_l], 1))
        _X = _rng.standard_normal((_dims[0], _m))
        _Y = (_rng.random((1, _m)) < 0.5).astype(float)
        _saved = {k: v.copy() for k, v in _params.items()}
        _got_values = []
        for _eps in (1e-3, 1e-2):
            _got_values.append(gradient_check(_params, _X, _Y, epsilon=_eps))
            check("parameters after gradient_check(parameters, X, Y)", _params, _saved, rtol=1e-12, atol=1e-15)
        _hint = ("Centred differences (J(theta + eps) - J(theta - eps)) / (2 eps) for every entry of every "
                 "parameter, and ||g - g_num|| / (||g|| + ||g_num||) over all of them.")
        if _got_values[0] == _got_values[1]:  # a value that does not move with epsilon
            _hint = (f"gradient_check gives exactly the same relative error, {_got_values[0]!r}, with epsilon = "
                     f"0.001 and with epsilon = 0.01: it does not use the epsilon it is given, but a step of its "
                     f"own. The centred differences must be taken with the epsilon passed in (its default when "
                     f"none is given).")
        for _eps, _got in zip((1e-3, 1e-2), _got_values):
            check(f"gradient_check(parameters, X, Y, epsilon={_eps}) for layer sizes {_dims}, m = {_m}", _got,
                  _gradient_check_reference(_saved, _X, _Y, _eps), rtol=1e-4, atol=1e-13, hint=_hint)
