"""Wrong implementations of the graded functions of 02_forward_propagation."""

from . import Mistake

SIGMOID = "sigmoid"
RELU = "relu"
LINEAR = "linear_forward"
ACTIVATION = "activation_forward"
MODEL = "model_forward"
PREDICT = "predict"
STABLE = "stable_sigmoid"  # the optional exercise of Going further, checked but not graded

MISTAKES = [
    Mistake(SIGMOID, "sign-of-exponent", '''
def sigmoid(Z):
    return 1.0 / (1.0 + np.exp(Z))
''', "Values mirrored around 0.5 (those of sigmoid(-z)) point at the sign of the exponent"),
    Mistake(SIGMOID, "precedence", '''
def sigmoid(Z):
    return 1.0 / 1.0 + np.exp(-Z)
''', "values above 1 at the brackets around the denominator"),
    Mistake(SIGMOID, "the-slope", '''
def sigmoid(Z):
    s = 1.0 / (1.0 + np.exp(-Z))
    return s * (1.0 - s)
''', "values of at most 0.25 at the slope sigmoid(z) (1 - sigmoid(z))"),
    Mistake(SIGMOID, "tanh", '''
def sigmoid(Z):
    return np.tanh(Z)
''', "sigmoid(z) lies between 0 and 1, is 0.5 at z = 0"),
    Mistake(SIGMOID, "writes-into-z", '''
def sigmoid(Z):
    Z[:] = 1.0 / (1.0 + np.exp(-Z))
    return Z
''', 'sigmoid changed its argument Z in place'),

    Mistake(RELU, "writes-into-z", '''
def relu(Z):
    Z[Z < 0] = 0.0
    return Z
''', 'relu changed its argument Z in place'),
    Mistake(RELU, "leaky", '''
def relu(Z):
    return np.maximum(Z, 0.01 * Z)
''', "Not a leaky ReLU"),
    Mistake(RELU, "derivative", '''
def relu(Z):
    return (Z > 0) * 1.0
''', "not its 0/1 derivative"),
    Mistake(RELU, "vectorized-python-max", '''
def relu(Z):
    return np.vectorize(lambda z: max(0, z))(Z)
''', "has dtype int64, expected float64"),

    Mistake(LINEAR, "w-transposed", '''
def linear_forward(A_prev, W, b):
    Z = W.T @ A_prev + b
    return Z, (A_prev, W, b)
''', "cannot tell W @ A_prev from W.T @ A_prev"),
    Mistake(LINEAR, "examples-as-rows", '''
def linear_forward(A_prev, W, b):
    Z = A_prev.T @ W.T + b.T
    return Z, (A_prev, W, b)
''', "The shape is transposed. Z has shape (n[l], m)"),
    Mistake(LINEAR, "flat-bias", '''
def linear_forward(A_prev, W, b):
    Z = W @ A_prev + b.ravel()
    return Z, (A_prev, W, b)
''', "It is square where a column was expected"),
    Mistake(LINEAR, "loop-reuses-first-example", '''
def linear_forward(A_prev, W, b):
    m = A_prev.shape[1]
    Z = np.zeros((W.shape[0], m))
    for i in range(m):
        Z[:, [i]] = W @ A_prev[:, [0]] + b
    return Z, (A_prev, W, b)
''', "Code that is right for m = 1 only"),
    Mistake(LINEAR, "loop-keeps-last-example", '''
def linear_forward(A_prev, W, b):
    for i in range(A_prev.shape[1]):
        Z = W @ A_prev[:, [i]] + b
    return Z, (A_prev, W, b)
''', "has shape (3, 1), expected (3, 4)"),
    Mistake(LINEAR, "cache-order", '''
def linear_forward(A_prev, W, b):
    Z = W @ A_prev + b
    return Z, (W, A_prev, b)
''', "in this order; the backward pass unpacks it by position"),
    Mistake(LINEAR, "cache-copies", '''
def linear_forward(A_prev, W, b):
    Z = W @ A_prev + b
    return Z, (A_prev.copy(), W.copy(), b.copy())
''', "Store the arrays you were given, not copies"),

    # An exception inside the student's function (issue 29, item 12): named with its line.
    Mistake(LINEAR, "operands-swapped", '''
def linear_forward(A_prev, W, b):
    Z = A_prev @ W + b
    return Z, (A_prev, W, b)
''', ("linear_forward(np.array([[1.0], [-2.0], [0.5]]), np.array([[1.0, 2.0, 0.0], "
             "[-1.0, 0.5, 3.0], [2.0, 0.0, -1.0]]), np.array([[0.1], [0.2], [0.3]]))[0] "
             "raised ValueError: matmul: Input operand 1 has a mismatch in its core dimension "
             "0, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size 3 is different from 1)\n"
             "  In your code (line numbers count from the top of the function's cell):\n"
             "    linear_forward, line 2: Z = A_prev @ W + b\n"
             "  The arguments: A_prev is a numpy array of shape (3, 1) and dtype float64; W "
             "is a numpy array of shape (3, 3) and dtype float64; b is a numpy array of shape "
             "(3, 1) and dtype float64.\n"
             "  Hint: A matrix product (n, k) @ (k, m) needs as many columns on the left as "
             "rows on the right, and gives (n, m). Write the shape of each operand next to "
             "that line: one of them is transposed, or the two are in the wrong order."), exact=True),
    Mistake(ACTIVATION, "cache-swapped", '''
def activation_forward(A_prev, W, b, activation):
    functions = {"sigmoid": sigmoid, "relu": relu, "tanh": np.tanh}
    if activation not in functions:
        raise ValueError(activation)
    Z, linear_cache = linear_forward(A_prev, W, b)
    return functions[activation](Z), (Z, linear_cache)
''', "expected a tuple of length 3"),
    Mistake(ACTIVATION, "cache-holds-a", '''
def activation_forward(A_prev, W, b, activation):
    functions = {"sigmoid": sigmoid, "relu": relu, "tanh": np.tanh}
    if activation not in functions:
        raise ValueError(activation)
    Z, linear_cache = linear_forward(A_prev, W, b)
    A = functions[activation](Z)
    return A, (linear_cache, A)
''', '"relu")[1][1] has the right shape'),
    Mistake(ACTIVATION, "flat-cache", '''
def activation_forward(A_prev, W, b, activation):
    functions = {"sigmoid": sigmoid, "relu": relu, "tanh": np.tanh}
    if activation not in functions:
        raise ValueError(activation)
    Z, linear_cache = linear_forward(A_prev, W, b)
    return functions[activation](Z), (A_prev, W, b, Z)
''', "has length 4, expected 2"),
    Mistake(ACTIVATION, "activations-swapped", '''
def activation_forward(A_prev, W, b, activation):
    functions = {"sigmoid": relu, "relu": sigmoid, "tanh": np.tanh}
    if activation not in functions:
        raise ValueError(activation)
    Z, linear_cache = linear_forward(A_prev, W, b)
    return functions[activation](Z), (linear_cache, Z)
''', '"relu")[0] has the right shape'),
    Mistake(ACTIVATION, "unknown-falls-back-to-relu", '''
def activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A = sigmoid(Z)
    elif activation == "tanh":
        A = np.tanh(Z)
    else:
        A = relu(Z)
    return A, (linear_cache, Z)
''', 'returned normally; expected it to raise ValueError'),
    Mistake(ACTIVATION, "unknown-returns-none", '''
def activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        return sigmoid(Z), (linear_cache, Z)
    if activation == "relu":
        return relu(Z), (linear_cache, Z)
    if activation == "tanh":
        return np.tanh(Z), (linear_cache, Z)
''', "not fall back to another activation or return None"),
    Mistake(ACTIVATION, "unknown-raises-key-error", '''
def activation_forward(A_prev, W, b, activation):
    g = {"sigmoid": sigmoid, "relu": relu, "tanh": np.tanh}[activation]
    Z, linear_cache = linear_forward(A_prev, W, b)
    return g(Z), (linear_cache, Z)
''', "raised KeyError ('softmax'); expected ValueError"),

    Mistake(MODEL, "sigmoid-in-hidden-layers", '''
def model_forward(X, parameters):
    L = len(parameters) // 2
    A, caches = X, []
    for l in range(1, L + 1):
        A, cache = activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], "sigmoid")
        caches.append(cache)
    return A, caches
''', "caches[1][0][0] has the right shape"),
    Mistake(MODEL, "relu-at-output", '''
def model_forward(X, parameters):
    L = len(parameters) // 2
    A, caches = X, []
    for l in range(1, L + 1):
        A, cache = activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], "relu")
        caches.append(cache)
    return A, caches
''', "The output layer uses sigmoid, not ReLU"),
    Mistake(MODEL, "skips-output-layer", '''
def model_forward(X, parameters):
    L = len(parameters) // 2
    A, caches = X, []
    for l in range(1, L):
        A, cache = activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], "relu")
        caches.append(cache)
    return A, caches
''', "is 2, expected 3 (off by -1)"),
    Mistake(MODEL, "output-layer-twice", '''
def model_forward(X, parameters):
    L = len(parameters) // 2
    A, caches = X, []
    for l in range(1, L + 1):
        A, cache = activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], "relu")
        caches.append(cache)
    AL, cache = activation_forward(A, parameters[f"W{L}"], parameters[f"b{L}"], "sigmoid")
    caches.append(cache)
    return AL, caches
''', "is 4, expected 3 (off by +1)"),
    Mistake(MODEL, "caches-reversed", '''
def model_forward(X, parameters):
    L = len(parameters) // 2
    A, caches = X, []
    for l in range(1, L + 1):
        activation = "sigmoid" if l == L else "relu"
        A, cache = activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], activation)
        caches.insert(0, cache)
    return A, caches
''', "caches[0][0][0] has shape (2, 5), expected (3, 5)"),
    Mistake(MODEL, "cache-holds-output-as-a-prev", '''
def model_forward(X, parameters):
    L = len(parameters) // 2
    A, caches = X, []
    for l in range(1, L + 1):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        Z, _ = linear_forward(A, W, b)
        A = sigmoid(Z) if l == L else relu(Z)
        caches.append(((A, W, b), Z))
    return A, caches
''', "caches[0][0][0] has shape (4, 5), expected (3, 5)"),
    Mistake(MODEL, "pops-parameters", '''
def model_forward(X, parameters):
    L = len(parameters) // 2
    A, caches = X, []
    for l in range(1, L + 1):
        activation = "sigmoid" if l == L else "relu"
        W, b = parameters.pop(f"W{l}"), parameters.pop(f"b{l}")
        A, cache = activation_forward(A, W, b, activation)
        caches.append(cache)
    return A, caches
''', 'model_forward changed its argument parameters in place'),

    # An exception inside the student's function (issue 29, item 12): named with its line.
    Mistake(MODEL, "L-counts-every-entry", '''
def model_forward(X, parameters):
    L = len(parameters)
    caches = []
    A = X
    for l in range(1, L):
        A, cache = activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], "relu")
        caches.append(cache)
    AL, cache = activation_forward(A, parameters[f"W{L}"], parameters[f"b{L}"], "sigmoid")
    caches.append(cache)
    return AL, caches
''', ("model_forward(X, parameters) raised KeyError: 'W4'\n"
             "  In your code (line numbers count from the top of the function's cell):\n"
             "    model_forward, line 6: A, cache = activation_forward(A, "
             "parameters[f\"W{l}\"], parameters[f\"b{l}\"], \"relu\")\n"
             "  The arguments: X is a numpy array of shape (2, 4) and dtype float64; "
             "parameters is a dict with keys ['W1', 'b1', 'W2', 'b2', 'W3', 'b3'].\n"
             "  Hint: A dict was asked for the key 'W4', which it does not hold. parameters "
             "holds ['W1', 'b1', 'W2', 'b2', 'W3', 'b3']. There is no layer 4: the layers run "
             "from 1 to 3, so the loop, or the number of layers L it counts to, goes past the "
             "last one. L is the number of layers, and each layer has one W and one b."), exact=True,
            grader=("model_forward(X, parameters) raised NotTheExercisesInputs: model_forward called "
             "activation_forward with inputs that the exercise's model_forward never passes "
             "it here; check what model_forward gives activation_forward (its own test cell "
             "checks activation_forward).\n"
             "  In your code (line numbers count from the top of the function's cell):\n"
             "    model_forward, line 6: A, cache = activation_forward(A, "
             "parameters[f\"W{l}\"], parameters[f\"b{l}\"], \"relu\")\n"
             "  The arguments: X is a numpy array of shape (2, 4) and dtype float64; "
             "parameters is a dict with keys ['W1', 'b1', 'W2', 'b2', 'W3', 'b3'].")),
    Mistake(PREDICT, "returns-booleans", '''
def predict(X, parameters):
    AL, _ = model_forward(X, parameters)
    return AL > 0.5
''', "Expected integers 0/1, not True/False"),
    Mistake(PREDICT, "returns-floats", '''
def predict(X, parameters):
    AL, _ = model_forward(X, parameters)
    return np.round(AL)
''', "Expected integers: convert with .astype(int)"),
    Mistake(PREDICT, "wrong-side", '''
def predict(X, parameters):
    AL, _ = model_forward(X, parameters)
    return (AL < 0.5).astype(np.int64)
''', "8 of 8 entries differ"),
    Mistake(PREDICT, "tie-goes-to-one", '''
def predict(X, parameters):
    AL, _ = model_forward(X, parameters)
    return (AL >= 0.5).astype(np.int64)
''', "which is not > 0.5: predict 0"),
    Mistake(PREDICT, "flattened", '''
def predict(X, parameters):
    AL, _ = model_forward(X, parameters)
    return (AL > 0.5).astype(np.int64).ravel()
''', "has shape (8,), expected (1, 8)"),
]


def _knock_on(function, name, caller, detail=""):
    """The mistake `function`/`name` of the list above, seen from a correct `caller`'s test cell."""
    code = next(m.code for m in MISTAKES if (m.function, m.name) == (function, name))
    message = (f"{function} is wrong, and the function checked here uses it: fix {function} first"
               + detail)
    return Mistake(function, name, code, message, checked_in=caller)


# A correct caller of a wrong function: the forward steps build on each other.
MISTAKES += [
    _knock_on(RELU, "leaky", ACTIVATION),
    _knock_on(LINEAR, "w-transposed", ACTIVATION),
    _knock_on(ACTIVATION, "activations-swapped", MODEL),
    _knock_on(MODEL, "relu-at-output", PREDICT),
]


def _stable(name, code, message):
    """A wrong stable_sigmoid, caught by the optional exercise's (ungraded) check cell."""
    return Mistake(STABLE, name, code, message, caught_by=STABLE)


# Forms that Exercise 1 accepts on its ordinary inputs, and the optional exercise does not.
MISTAKES += [
    _stable("textbook-formula-overflows", '''
def stable_sigmoid(Z):
    return 1.0 / (1.0 + np.exp(-Z))
''', "is a FloatingPointError"),
    _stable("overflow-silenced", '''
def stable_sigmoid(Z):
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-Z))
''', "the overflow was silenced, and sigmoid(-720) ~ 2e-313 became 0"),
    _stable("where-evaluates-both-forms", '''
def stable_sigmoid(Z):
    return np.where(Z >= 0, 1.0 / (1.0 + np.exp(-Z)), np.exp(Z) / (1.0 + np.exp(Z)))
''', "still computes both formulas for every entry before choosing"),
    _stable("tanh-identity", '''
def stable_sigmoid(Z):
    return 0.5 * (1.0 + np.tanh(Z / 2.0))
''', "rounds them to 0 by cancellation"),
    _stable("one-minus-symmetry", '''
def stable_sigmoid(Z):
    s = 1.0 / (1.0 + np.exp(-np.abs(Z)))
    return np.where(Z >= 0, s, 1.0 - s)
''', "1 - sigmoid(-Z) rounds them to 0 by cancellation"),
    _stable("clips-z", '''
def stable_sigmoid(Z):
    return 1.0 / (1.0 + np.exp(-np.clip(Z, -500.0, 500.0)))
''', "Clipping Z changes such values"),
    _stable("writes-into-z", '''
def stable_sigmoid(Z):
    positive = Z >= 0
    Z[positive] = 1.0 / (1.0 + np.exp(-Z[positive]))
    e = np.exp(Z[~positive])
    Z[~positive] = e / (1.0 + e)
    return Z
''', 'stable_sigmoid changed its argument Z in place'),
]


# Mistakes whose value a detector recognises (issue 29, item 13): named for what they are, not for
# what the difference alone suggests (a 1-D array added to a column, a missing keepdims).
MISTAKES += [
    Mistake(LINEAR, "entrywise-product", '''
def linear_forward(A_prev, W, b):
    Z = W * A_prev + b
    return Z, (A_prev, W, b)
''', ("Z = linear_forward(np.array([[1.0], [-2.0], [0.5]]), np.array([[1.0, 2.0, 0.0], "
             "[-1.0, 0.5, 3.0], [2.0, 0.0, -1.0]]), np.array([[0.1], [0.2], [0.3]]))[0] has "
             "shape (3, 3), expected (3, 1).\n"
             "  Hint: Z here is W * A_prev + b: * multiplies entries one by one (numpy "
             "stretched A_prev across W to make the shapes fit), while each z_k adds up, over "
             "the inputs j, the products w_kj a_j of row k of W with the inputs: a matrix "
             "product, which has one column per example."), exact=True),
    Mistake(RELU, "max-over-an-axis", '''
def relu(Z):
    return np.max(Z, 0)
''', ("relu(np.array([[-2.0, -0.5, 0.0, 0.5, 2.0]])) has shape (5,), expected (1, 5).\n"
             "  Hint: This is the largest entry of each column of Z: a reduction along axis "
             "0, which compares the entries of Z with each other (the second argument of a "
             "reduction over an array is the axis). relu compares each entry with 0 on its "
             "own, max(0, z), and keeps the shape of Z."), exact=True),
]
