"""Hidden checks of 06_training: one section per graded test cell, run by the grader.

Never released and never sent to a kernel: `autograder.scoring.judge` runs each section in the
grader's process after the cell's visible checks, in the same namespace, where each function
the student writes is computed in the student's kernel on the inputs given here. Every value a
check compares with is computed from the inputs with reference code only (`reference.<name>` is
the reference solution of a graded function), never with a student's function.
"""

# %% test_update_parameters
_rng = trial_rng(5707)
for _trial in range(25):
    _dims = [int(n) for n in _rng.integers(1, 9, size=int(_rng.integers(2, 8)))]
    _rate = float(_rng.choice([0.001, 0.01, 0.5, 1.0, 3.0]))
    _params, _gradients = {}, {}
    for _l in range(1, len(_dims)):
        _params["W%d" % _l] = _rng.standard_normal((_dims[_l], _dims[_l - 1]))
        _params["b%d" % _l] = _rng.standard_normal((_dims[_l], 1))
        _gradients["dW%d" % _l] = _rng.standard_normal((_dims[_l], _dims[_l - 1]))
        _gradients["db%d" % _l] = _rng.standard_normal((_dims[_l], 1))
        _gradients["dA%d" % (_l - 1)] = _rng.standard_normal((_dims[_l - 1], 3))
    _params_copy = {k: v.copy() for k, v in _params.items()}
    _gradients_copy = {k: v.copy() for k, v in _gradients.items()}
    _want = {k: _params_copy[k] + (-_rate) * _gradients_copy["d" + k] for k in _params_copy}
    _got = update_parameters(_params, _gradients, _rate)
    check(f"update_parameters(parameters, grads, {_rate}) for layer sizes {_dims}", _got, _want, hint=_hint)
    check("update_parameters(parameters, grads, learning_rate) is parameters", _got is _params, False)
    check("parameters after update_parameters(parameters, grads, learning_rate)", _params, _params_copy)
    check("grads after update_parameters(parameters, grads, learning_rate)", _gradients, _gradients_copy)

# %% test_train_model
def _train_reference(X, Y, dims, rate, steps, rng):
    _weights = [rng.standard_normal((dims[i], dims[i - 1])) * (2.0 / dims[i - 1]) ** 0.5
                for i in range(1, len(dims))]
    _biases = [np.zeros((n, 1)) for n in dims[1:]]
    _history = []
    for _ in range(steps):
        _outs = [X]
        for _i, (_W, _b) in enumerate(zip(_weights, _biases)):
            _Z = _W.dot(_outs[-1]) + _b
            _outs.append(1.0 / (1.0 + np.exp(-_Z)) if _i == len(_weights) - 1 else np.maximum(_Z, 0.0))
        _P = _outs[-1]
        _history.append(float(-np.mean(Y * np.log(_P) + (1 - Y) * np.log(1 - _P))))
        _dZ = _P - Y
        _new_weights, _new_biases = list(_weights), list(_biases)
        for _i in range(len(_weights) - 1, -1, -1):
            _new_weights[_i] = _weights[_i] - rate * _dZ.dot(_outs[_i].T) / X.shape[1]
            _new_biases[_i] = _biases[_i] - rate * _dZ.mean(axis=1, keepdims=True)
            if _i > 0:
                _dZ = _weights[_i].T.dot(_dZ) * (_outs[_i] > 0)
        _weights, _biases = _new_weights, _new_biases
    _result = {}
    for _i in range(len(_weights)):
        _result["W%d" % (_i + 1)] = _weights[_i]
        _result["b%d" % (_i + 1)] = _biases[_i]
    return _result, _history

with uses("update_parameters"):
    _cases = trial_rng(5808)
    for _trial in range(12):
        _dims = [int(n) for n in _cases.integers(1, 7, size=int(_cases.integers(2, 5)))] + [1]
        _m = 1 if _trial % 4 == 0 else int(_cases.integers(2, 9))
        _X = _cases.standard_normal((_dims[0], _m))
        _Y = (_cases.random((1, _m)) < 0.5).astype(float)
        _rate = float(_cases.choice([0.05, 0.3, 1.0]))
        _steps = int(_cases.integers(0, 6))
        _seed = int(_cases.integers(0, 2**31))
        _got_rng, _want_rng = np.random.default_rng(_seed), np.random.default_rng(_seed)
        _label = f"train_model(X, Y, {_dims}, {_rate}, {_steps}, np.random.default_rng({_seed})) with m = {_m}"
        check(_label, train_model(_X, _Y, list(_dims), _rate, _steps, _got_rng),
              _train_reference(_X, _Y, _dims, _rate, _steps, _want_rng), rtol=1e-6, atol=1e-9)
        check("the next number drawn after " + _label, float(_got_rng.standard_normal()),
              float(_want_rng.standard_normal()), hint="Draw exactly the weights from rng, nothing else.")
