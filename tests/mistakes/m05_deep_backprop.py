"""Wrong implementations of the graded functions of 05_deep_backprop."""

from . import Mistake

SIGMOID = "sigmoid_backward"
RELU = "relu_backward"
LINEAR = "linear_backward"
ACTIVATION = "activation_backward"
MODEL = "model_backward"
CHECK = "gradient_check"

_LINEAR_BODY = '''
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = {dW}
    db = {db}
    dA_prev = {dA_prev}
    return dA_prev, dW, db
'''


def _linear(dW="dZ @ A_prev.T / m", db="np.sum(dZ, axis=1, keepdims=True) / m", dA_prev="W.T @ dZ"):
    return _LINEAR_BODY.format(dW=dW, db=db, dA_prev=dA_prev)


_ACTIVATION_BODY = '''
def activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    if activation == "sigmoid":
        dZ = {sigmoid}
    elif activation == "relu":
        dZ = {relu}
    elif activation == "tanh":
        dZ = {tanh}
    else:
        {other}
    return linear_backward(dZ, linear_cache)
'''


def _activation(sigmoid="sigmoid_backward(dA, Z)", relu="relu_backward(dA, Z)",
                tanh="dA * (1 - np.tanh(Z) ** 2)", other='raise ValueError(activation)'):
    return _ACTIVATION_BODY.format(sigmoid=sigmoid, relu=relu, tanh=tanh, other=other)


_MODEL_BODY = '''
def model_backward(AL, Y, caches):
    L = len(caches)
    grads = {{}}
    dA = {dAL}
    for l in range(L, 0, -1):
        activation = {activation}
        dA, dW, db = activation_backward(dA, {cache}, activation)
        grads[f"dA{dA_key}"] = dA
        grads[f"dW{W_key}"] = dW
        grads[f"db{W_key}"] = db
    return grads
'''


def _model(dAL="-(Y / AL - (1 - Y) / (1 - AL))", activation='"sigmoid" if l == L else "relu"',
           cache="caches[l - 1]", dA_key="{l - 1}", W_key="{l}"):
    return _MODEL_BODY.format(dAL=dAL, activation=activation, cache=cache, dA_key=dA_key,
                              W_key=W_key)


_CHECK_BODY = '''
def gradient_check(parameters, X, Y, epsilon=1e-7):
    AL, caches = model_forward(X, parameters)
    grads = model_backward(AL, Y, caches)
    cost = compute_cost(AL, Y)
    g, g_num = [], []
    for name in parameters:
        g.append(grads["d" + name].ravel())
        for index in np.ndindex(parameters[name].shape):
{loop}
    g, g_num = np.concatenate(g), np.array(g_num)
    error = np.linalg.norm(g - g_num) / (np.linalg.norm(g) + np.linalg.norm(g_num))
    return {result}
'''


def _check(loop, result="float(error)"):
    return _CHECK_BODY.format(loop=loop, result=result)


_CENTRED_IN_PLACE = '''\
            theta = parameters[name][index]
            parameters[name][index] = theta + epsilon
            plus = compute_cost(model_forward(X, parameters)[0], Y)
            parameters[name][index] = theta - epsilon
            minus = compute_cost(model_forward(X, parameters)[0], Y)
            parameters[name][index] = theta
            g_num.append({difference})'''

MISTAKES = [
    Mistake(SIGMOID, "slope-at-Z-not-at-sigmoid", '''
def sigmoid_backward(dA, Z):
    return dA * Z * (1 - Z)
''', "dA times the sigmoid's slope, entry by entry"),
    Mistake(SIGMOID, "forgets-dA", '''
def sigmoid_backward(dA, Z):
    s = 1 / (1 + np.exp(-Z))
    return s * (1 - s)
''', "dA times the sigmoid's slope, entry by entry"),

    Mistake(RELU, "relu-prime-of-zero-is-one", '''
def relu_backward(dA, Z):
    return dA * (Z >= 0)
''', "relu'(0) = 0 in this course"),
    Mistake(RELU, "mask-from-dA", '''
def relu_backward(dA, Z):
    return dA * (dA > 0)
''', "the mask comes from Z"),
    Mistake(RELU, "times-A-instead-of-mask", '''
def relu_backward(dA, Z):
    return dA * np.maximum(0, Z)
''', "the mask comes from Z"),
    Mistake(RELU, "zeros-dA-in-place", '''
def relu_backward(dA, Z):
    dA[Z <= 0] = 0
    return dA
''', 'relu_backward changed its argument dA in place'),

    Mistake(LINEAR, "dW-without-transpose", _linear(dW="dZ @ A_prev / m"),
            "a missing transpose keeps every shape right"),
    Mistake(LINEAR, "dW-transposed", _linear(dW="A_prev @ dZ.T / m"),
            "It equals the transpose of the expected matrix"),
    Mistake(LINEAR, "dA_prev-without-transpose", _linear(dA_prev="W @ dZ"),
            "a missing transpose keeps every shape right"),
    Mistake(LINEAR, "dW-without-1/m", _linear(dW="dZ @ A_prev.T"),
            "Every entry is 2 times the expected one"),
    Mistake(LINEAR, "dW-with-1/m-twice", _linear(dW="dZ @ A_prev.T / m / m"),
            "Every entry is 1/2 times the expected one"),
    Mistake(LINEAR, "db-sum-not-mean", _linear(db="np.sum(dZ, axis=1, keepdims=True)"),
            "Every entry is 2 times the expected one"),
    Mistake(LINEAR, "db-1-D", _linear(db="np.sum(dZ, axis=1) / m"),
            "It is 1-D; expected a column"),
    Mistake(LINEAR, "db-over-units", _linear(db="np.sum(dZ, axis=0, keepdims=True) / m"),
            "The shape is transposed"),
    Mistake(LINEAR, "db-one-example", _linear(db="dZ[:, :1]"),
            "db holds one number per unit, averaged over the examples, as a column"),
    Mistake(LINEAR, "m-from-rows", _linear(dW="dZ @ A_prev.T / A_prev.shape[0]",
                                           db="np.sum(dZ, axis=1, keepdims=True) / A_prev.shape[0]"),
            "Every entry is 1.33333 times the expected one"),

    # Named by its detector (issue 29, item 13), not as a missing transpose.
    Mistake(LINEAR, "entrywise-dA_prev", _linear(dA_prev="W.T * dZ"), ("dA_prev = linear_backward(np.array([[1.0, -2.0], [0.5, 3.0]]), (np.array([[2.0, "
             "-1.0], [0.5, 4.0]]), np.array([[1.0, 2.0], [-3.0, 0.5]]), np.array([[0.5], "
             "[-1.0]])))[0] has the right shape (2, 2) and dtype float64, but 4 of 4 entries "
             "differ (rtol=1e-07, atol=1e-10).\n"
             "    at [0, 0]: got 1.0, expected -0.5\n"
             "    at [0, 1]: got 6.0, expected -11.0\n"
             "    at [1, 0]: got 1.0, expected 2.25\n"
             "    at [1, 1]: got 1.5, expected -2.5\n"
             "  Hint: dA_prev here is W.T * dZ: * multiplies entries one by one, while entry "
             "(j, i) of dA_prev adds W[k, j] dZ[k, i] over every unit k of the layer, the sum "
             "over the paths from unit j: a matrix product. The transpose is right; the "
             "product is not."), exact=True),

    Mistake(ACTIVATION, "swaps-sigmoid-and-relu",
            _activation(sigmoid="relu_backward(dA, Z)", relu="sigmoid_backward(dA, Z)"),
            "the slope of the activation named taken at the cached Z"),
    Mistake(ACTIVATION, "forgets-the-slope", _activation(sigmoid="dA", relu="dA", tanh="dA"),
            "the slope of the activation named taken at the cached Z"),
    Mistake(ACTIVATION, "tanh-slope-at-Z", _activation(tanh="dA * (1 - Z ** 2)"),
            "the form 1 - A² needs A = tanh(Z), not Z"),
    Mistake(ACTIVATION, "unknown-activation-taken-as-relu", _activation(other="dZ = relu_backward(dA, Z)"),
            "returned normally; expected it to raise ValueError"),

    Mistake(MODEL, "notes-sign-error", _model(dAL="-(Y / AL + (1 - Y) / (1 - AL))"),
            "the notes' erratum 2"),
    Mistake(MODEL, "dAL-negated", _model(dAL="Y / AL - (1 - Y) / (1 - AL)"),
            "Every entry has the opposite sign of the expected one"),
    Mistake(MODEL, "W-keys-one-layer-down", _model(W_key="{l - 1}"),
            "missing: ['dW3', 'db3']"),
    Mistake(MODEL, "dA-keys-one-layer-up", _model(dA_key="{l}"),
            "missing: ['dA0']"),
    Mistake(MODEL, "caches-in-forward-order", _model(cache="caches[L - l]"),
            "list positions count from 0, layers from 1"),
    Mistake(MODEL, "relu-in-the-output-layer", _model(activation='"relu"'),
            "the activation that layer used forward"),

    # Exceptions inside the student's function (issue 29, item 12): named with their line.
    Mistake(MODEL, "reads-dA-one-layer-up", '''
def model_backward(AL, Y, caches):
    L = len(caches)
    grads = {f"dA{L}": -(Y / AL - (1 - Y) / (1 - AL))}
    for l in range(L, 0, -1):
        activation = "sigmoid" if l == L else "relu"
        dA_prev, dW, db = activation_backward(grads[f"dA{l + 1}"], caches[l - 1], activation)
        grads[f"dA{l - 1}"], grads[f"dW{l}"], grads[f"db{l}"] = dA_prev, dW, db
    return grads
''', ("model_backward(1 / (1 + np.exp(-np.array([[-0.75, 0.25, -0.25]]))), "
             "np.array([[1.0, 0.0, 0.0]]), [((np.array([[1.0, -2.0, 0.5]]), "
             "np.array([[1.0]]), np.array([[0.5]])), np.array([[1.5, -1.5, 1.0]])), "
             "((np.array([[1.5, 0.0, 1.0]]), np.array([[2.0]]), np.array([[-1.0]])), "
             "np.array([[2.0, -1.0, 1.0]])), ((np.array([[2.0, 0.0, 1.0]]), "
             "np.array([[-0.5]]), np.array([[0.25]])), np.array([[-0.75, 0.25, -0.25]]))]) "
             "raised KeyError: 'dA4'\n"
             "  In your code (line numbers count from the top of the function's cell):\n"
             "    model_backward, line 6: dA_prev, dW, db = activation_backward(grads[f\"dA{l "
             "+ 1}\"], caches[l - 1], activation)\n"
             "  The arguments: AL is a numpy array of shape (1, 3) and dtype float64; Y is a "
             "numpy array of shape (1, 3) and dtype float64; caches is a list of 3 tuples.\n"
             "  Hint: A dict was asked for the key 'dA4', which it does not hold. A dict "
             "built inside the function holds only the keys stored in it so far: a key is "
             "read before the line that stores it, or under another number."), exact=True),
    Mistake(MODEL, "caches-indexed-by-layer", _model(cache="caches[l]"), ("model_backward(1 / (1 + np.exp(-np.array([[-0.75, 0.25, -0.25]]))), "
             "np.array([[1.0, 0.0, 0.0]]), [((np.array([[1.0, -2.0, 0.5]]), "
             "np.array([[1.0]]), np.array([[0.5]])), np.array([[1.5, -1.5, 1.0]])), "
             "((np.array([[1.5, 0.0, 1.0]]), np.array([[2.0]]), np.array([[-1.0]])), "
             "np.array([[2.0, -1.0, 1.0]])), ((np.array([[2.0, 0.0, 1.0]]), "
             "np.array([[-0.5]]), np.array([[0.25]])), np.array([[-0.75, 0.25, -0.25]]))]) "
             "raised IndexError: list index out of range\n"
             "  In your code (line numbers count from the top of the function's cell):\n"
             "    model_backward, line 7: dA, dW, db = activation_backward(dA, caches[l], "
             "activation)\n"
             "  The arguments: AL is a numpy array of shape (1, 3) and dtype float64; Y is a "
             "numpy array of shape (1, 3) and dtype float64; caches is a list of 3 tuples.\n"
             "  Hint: Positions count from 0: an axis (or a list) of length n has the indices "
             "0, ..., n - 1. Compare the index on that line with the length of what it "
             "indexes (the shapes are given above). Layers count from 1, list positions from "
             "0."), exact=True),
    Mistake(CHECK, "one-sided-differences", _check('''\
            moved = {key: value.copy() for key, value in parameters.items()}
            moved[name][index] += epsilon
            plus = compute_cost(model_forward(X, moved)[0], Y)
            g_num.append((plus - cost) / epsilon)'''),
            "Perturb in both directions"),
    Mistake(CHECK, "forgets-to-restore", _check('''\
            parameters[name][index] += epsilon
            plus = compute_cost(model_forward(X, parameters)[0], Y)
            parameters[name][index] -= 2 * epsilon
            minus = compute_cost(model_forward(X, parameters)[0], Y)
            g_num.append((plus - minus) / (2 * epsilon))'''),
            'gradient_check changed its argument parameters in place'),
    Mistake(CHECK, "divides-by-epsilon-not-2-epsilon",
            _check(_CENTRED_IN_PLACE.format(difference="(plus - minus) / epsilon")),
            "above the tolerance 1e-7"),
    Mistake(CHECK, "numpy-float", _check(_CENTRED_IN_PLACE.format(
        difference="(plus - minus) / (2 * epsilon)"), result="error"),
            "expected 'float'"),

    # Named by the visible check (issue 29, item 13): right where a parameter's entries have
    # only one order, wrong with a matrix.
    Mistake(CHECK, "g-and-g_num-in-other-orders", _CHECK_BODY.replace(
        'grads["d" + name].ravel()', 'grads["d" + name].T.ravel()').format(
        loop=_CENTRED_IN_PLACE.format(difference="(plus - minus) / (2 * epsilon)"), result="float(error)"),
            ("gradient_check(parameters, X, Y) < 1e-7 is a bool (False), expected True.\n"
             "  Hint: The relative error is 0.216, but 1.76e-09 for a network whose "
             "parameters are single rows, where a parameter's entries have only one order: g "
             "and g_num list the entries of a matrix in different orders (row by row in one, "
             "column by column in the other). Both must take each parameter's entries in one "
             "and the same order."), exact=True),
]


def _knock_on(function, name, caller, detail=""):
    """The mistake `function`/`name` of the list above, seen from a correct `caller`'s test cell."""
    code = next(m.code for m in MISTAKES if (m.function, m.name) == (function, name))
    message = (f"{function} is wrong, and the function checked here uses it: fix {function} first"
               + detail)
    return Mistake(function, name, code, message, checked_in=caller)


# A correct caller of a wrong function: activation_backward of a wrong linear_backward or
# relu_backward, model_backward of a wrong activation_backward, and so on down to gradient_check.
MISTAKES += [
    _knock_on(LINEAR, "m-from-rows", ACTIVATION),
    _knock_on(LINEAR, "dW-without-1/m", ACTIVATION),
    _knock_on(RELU, "times-A-instead-of-mask", ACTIVATION),
    _knock_on(SIGMOID, "forgets-dA", MODEL),
    _knock_on(ACTIVATION, "swaps-sigmoid-and-relu", MODEL),
    _knock_on(MODEL, "notes-sign-error", CHECK),
]

# The per-layer check of section 4 (ungraded): each backward step against centred differences of
# J_probe for an upstream gradient, on a layer with n_prev = 3, n = 4, m = 5. It names the wrong
# gradient; the linear step is checked first, so a wrong linear_backward is named there.
LAYER_CHECK = "per-layer check"


def _per_layer(function, name, message):
    """The mistake `function`/`name` of the list above, caught by the per-layer check."""
    code = next(m.code for m in MISTAKES if (m.function, m.name) == (function, name))
    return Mistake(function, name, code, message, caught_by=LAYER_CHECK)


MISTAKES += [
    _per_layer(LINEAR, "db-sum-not-mean",
               "db = linear_backward(dZ, cache)[2] has the right shape (4, 1) and dtype float64, "
               "but 4 of 4 entries differ"),
    _per_layer(LINEAR, "db-one-example",
               "db = linear_backward(dZ, cache)[2] has the right shape (4, 1)"),
    _per_layer(LINEAR, "dW-without-1/m",
               "dW = linear_backward(dZ, cache)[1] has the right shape (4, 3) and dtype float64, "
               "but 12 of 12 entries differ"),
    _per_layer(LINEAR, "m-from-rows",
               "dW = linear_backward(dZ, cache)[1] has the right shape (4, 3)"),
    _per_layer(LINEAR, "dW-transposed",
               "dW = linear_backward(dZ, cache)[1] has shape (3, 4), expected (4, 3).\n"
               "  The shape is transposed."),
    _per_layer(ACTIVATION, "swaps-sigmoid-and-relu",
               "dA_prev = activation_backward(dA, cache, 'relu')[0] has the right shape (3, 5)"),
    _per_layer(ACTIVATION, "tanh-slope-at-Z",
               "dA_prev = activation_backward(dA, cache, 'tanh')[0] has the right shape (3, 5)"),
]


# Mistakes that pass the visible checks and that the grader's hidden checks name exactly (issue 29,
# item 13): a step of its own in place of the epsilon given (the visible checks use epsilons for
# which a step of 1e-7 passes).
HIDDEN_ONLY = [
    Mistake(CHECK, "a-step-of-its-own", _CHECK_BODY.replace("epsilon=1e-7):", "epsilon=1e-7):\n    h = 1e-7").format(
        loop=_CENTRED_IN_PLACE.replace("epsilon", "h").format(difference="(plus - minus) / (2 * h)"),
        result="float(error)"), ("gradient_check(parameters, X, Y, epsilon=0.001) for layer sizes [2, 2, 1], m = "
             "1 is 9.759424290016938e-10, expected 7.2527979168445585e-09 (difference "
             "-6.28e-09).\n"
             "  Hint: gradient_check gives exactly the same relative error, "
             "9.759424290016938e-10, with epsilon = 0.001 and with epsilon = 0.01: it does "
             "not use the epsilon it is given, but a step of its own. The centred differences "
             "must be taken with the epsilon passed in (its default when none is given)."), exact=True),
]
