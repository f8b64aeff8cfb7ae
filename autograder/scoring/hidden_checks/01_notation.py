"""Hidden checks of 01_notation: one section per graded test cell, run by the grader.

Never released and never sent to a kernel: `autograder.scoring.judge` runs each section in the
grader's process after the cell's visible checks, in the same namespace, where each function
the student writes is computed in the student's kernel on the inputs given here.
"""

# %% test_layer_shapes
def _reference_layer_shapes(dims):
    shapes = {}
    for l, (n_prev, n) in enumerate(zip(dims[:-1], dims[1:]), start=1):
        shapes["W%d" % l] = (n, n_prev)
        shapes["b%d" % l] = (n, 1)
    return shapes

_rng = trial_rng(1001)
_cases = [[1, 1], [1, 1, 1], [9, 1], [1, 9], [784, 128, 64, 10]]
_cases += [[int(n) for n in _rng.integers(1, 12, size=int(_rng.integers(2, 9)))] for _ in range(30)]
for _dims in _cases:
    check(f"layer_shapes({_dims})", layer_shapes(list(_dims)), _reference_layer_shapes(_dims))

# %% test_stack_examples
def _reference_stack_examples(examples):
    X = np.empty((np.size(examples[0]), len(examples)))
    for i, example in enumerate(examples):
        X[:, i] = np.ravel(example)
    return X

_rng = trial_rng(2002)
for _trial in range(40):
    _n0 = int(_rng.integers(1, 9)) if _trial % 4 else 1
    _m = int(_rng.integers(1, 9)) if _trial % 3 else 1
    _examples = []
    for _i in range(_m):
        _example = _rng.standard_normal(_n0) if _trial % 5 else _rng.integers(-9, 10, _n0)
        _examples.append(_example.reshape(-1, 1) if _rng.random() < 0.5 else _example)
    _copies = [e.copy() for e in _examples]
    check(f"X = stack_examples(<{_m} examples of {_n0} features>)", stack_examples(_examples),
          _reference_stack_examples(_copies))
    for _i, (_example, _copy) in enumerate(zip(_examples, _copies)):
        check(f"examples[{_i}] after stack_examples(examples)", _example, _copy)

# %% test_count_parameters
with uses("layer_shapes"):
    _rng = trial_rng(3003)
    _cases = [[1, 1], [784, 128, 10], [3, 1, 3]]
    _cases += [[int(n) for n in _rng.integers(1, 50, size=int(_rng.integers(2, 8)))] for _ in range(30)]
    for _dims in _cases:
        _want = 0
        for _l in range(1, len(_dims)):
            _want += _dims[_l] * (_dims[_l - 1] + 1)
        check(f"count_parameters({_dims})", count_parameters(list(_dims)), _want, hint=_hint)

# %% test_initialize_parameters
def _reference_initialize(dims, rng, scale=0.01):
    parameters = {}
    for l in range(1, len(dims)):
        parameters["W%d" % l] = scale * rng.standard_normal((dims[l], dims[l - 1]))
        parameters["b%d" % l] = np.zeros((dims[l], 1))
    return parameters

with uses("layer_shapes"):
    _cases = trial_rng(4004)
    for _trial in range(30):
        _dims = [int(n) for n in _cases.integers(1, 9, size=int(_cases.integers(2, 7)))]
        _seed = int(_cases.integers(0, 2**31))
        _scale = [0.01, 0.1, 1.0, 2.5][_trial % 4]
        _want_rng, _got_rng = np.random.default_rng(_seed), np.random.default_rng(_seed)
        if _scale == 0.01:
            _want = _reference_initialize(_dims, _want_rng)
            _got = initialize_parameters(list(_dims), _got_rng)
        else:
            _want = _reference_initialize(_dims, _want_rng, _scale)
            _got = initialize_parameters(list(_dims), _got_rng, scale=_scale)
        _call = f"initialize_parameters({_dims}, np.random.default_rng({_seed}), scale={_scale})"
        check(_call, _got, _want, hint=_hint)
        check(f"the next number drawn after {_call}", float(_got_rng.standard_normal()),
              float(_want_rng.standard_normal()),
              hint="initialize_parameters must draw exactly the weights from rng, nothing else.")
