"""Independently written bodies of the graded functions of notebooks 01 and 02, in different
styles. Each entry is (helpers defined before the function, the function's body)."""

VARIANTS = {
    "layer_shapes": [
        ("", """\
    result = {}
    for i in range(1, len(layer_dims)):
        result["W" + str(i)] = (int(layer_dims[i]), int(layer_dims[i - 1]))
        result["b" + str(i)] = (int(layer_dims[i]), 1)
    return result
"""),
        ("", """\
    dims = [int(n) for n in layer_dims]
    return {key: shape
            for l in range(1, len(dims))
            for key, shape in ((f"W{l}", (dims[l], dims[l - 1])), (f"b{l}", (dims[l], 1)))}
"""),
        ("""\
def _pair_shapes(n_out, n_in):
    return (n_out, n_in), (n_out, 1)

""", """\
    shapes = dict()
    for idx, (n_in, n_out) in enumerate(zip(layer_dims, layer_dims[1:]), start=1):
        w_shape, b_shape = _pair_shapes(int(n_out), int(n_in))
        shapes["W%d" % idx] = w_shape
        shapes["b%d" % idx] = b_shape
    return shapes
"""),
        ("", """\
    out = {}
    L = len(layer_dims) - 1
    l = 1
    while l <= L:
        rows = int(layer_dims[l])
        cols = int(layer_dims[l - 1])
        out["W{}".format(l)] = tuple([rows, cols])
        out["b{}".format(l)] = tuple([rows, 1])
        l += 1
    return out
"""),
    ],
    "stack_examples": [
        ("", """\
    X = np.zeros((np.size(examples[0]), len(examples)))
    for i, x in enumerate(examples):
        X[:, i] = np.ravel(x)
    return X
"""),
        ("", """\
    return np.column_stack([np.array(e, dtype=float).flatten() for e in examples])
"""),
        ("", """\
    flat = []
    for example in examples:
        flat.append(np.reshape(np.asarray(example, dtype=np.float64), (-1,)))
    return np.stack(flat, axis=1)
"""),
        ("", """\
    n0 = np.asarray(examples[0]).size
    m = len(examples)
    X = np.empty((n0, m), dtype=np.float64)
    j = 0
    while j < m:
        X[:, j:j + 1] = np.asarray(examples[j], dtype=np.float64).reshape(n0, 1)
        j = j + 1
    return X
"""),
    ],
    "count_parameters": [
        ("", """\
    n = 0
    for l in range(1, len(layer_dims)):
        n = n + layer_dims[l] * layer_dims[l - 1]
        n = n + layer_dims[l]
    return int(n)
"""),
        ("", """\
    return int(sum(b * (a + 1) for a, b in zip(layer_dims[:-1], layer_dims[1:])))
"""),
        ("", """\
    shapes = layer_shapes(layer_dims)
    count = 0
    for shape in shapes.values():
        count += int(np.prod(shape))
    return count
"""),
        ("", """\
    dims = np.array(layer_dims, dtype=np.int64)
    weights = np.sum(dims[1:] * dims[:-1])
    biases = np.sum(dims[1:])
    return int(weights + biases)
"""),
    ],
    "initialize_parameters": [
        ("", """\
    params = {}
    for l in range(1, len(layer_dims)):
        W = rng.standard_normal((layer_dims[l], layer_dims[l - 1]))
        params["W" + str(l)] = W * scale
        params["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return params
"""),
        ("", """\
    shapes = layer_shapes(layer_dims)
    result = {}
    for l in range(1, len(layer_dims)):
        result[f"W{l}"] = scale * rng.standard_normal(shapes[f"W{l}"])
        result[f"b{l}"] = np.zeros(shapes[f"b{l}"], dtype=np.float64)
    return result
"""),
        ("""\
def _random_layer(rng, n_out, n_in, scale):
    weights = rng.standard_normal(size=(n_out, n_in)) * scale
    return weights, np.zeros(shape=(n_out, 1))

""", """\
    p = {}
    for i, (n_in, n_out) in enumerate(zip(layer_dims[:-1], layer_dims[1:])):
        p["W%d" % (i + 1)], p["b%d" % (i + 1)] = _random_layer(rng, n_out, n_in, scale)
    return p
"""),
        ("", """\
    parameters = dict()
    L = len(layer_dims)
    for layer in range(1, L):
        n_now, n_before = layer_dims[layer], layer_dims[layer - 1]
        parameters["W{}".format(layer)] = np.multiply(scale, rng.standard_normal([n_now, n_before]))
        parameters["b{}".format(layer)] = np.zeros([n_now, 1])
    return parameters
"""),
    ],
    "sigmoid": [
        ("", """\
    return 1 / (1 + np.exp(-Z))
"""),
        ("", """\
    s = np.exp(Z) / (1.0 + np.exp(Z))
    return s
"""),
        ("", """\
    denominator = 1.0 + np.exp(np.negative(Z))
    return np.reciprocal(denominator)
"""),
        ("", """\
    return 0.5 * (1 + np.tanh(Z / 2))
"""),
    ],
    "relu": [
        ("", """\
    return np.maximum(0, Z)
"""),
        ("", """\
    return np.where(Z > 0, Z, 0.0)
"""),
        ("", """\
    out = np.array(Z, dtype=float, copy=True)
    out[out < 0] = 0
    return out
"""),
        ("", """\
    return Z * (Z > 0)
"""),
    ],
    "linear_forward": [
        ("", """\
    Z = np.dot(W, A_prev) + b
    cache = (A_prev, W, b)
    return Z, cache
"""),
        ("", """\
    return np.matmul(W, A_prev) + b, (A_prev, W, b)
"""),
        ("", """\
    product = W @ A_prev
    Z = product + b
    assert Z.shape == (W.shape[0], A_prev.shape[1])
    return Z, (A_prev, W, b)
"""),
        ("", """\
    Z = W.dot(A_prev)
    Z = Z + b
    return Z, tuple([A_prev, W, b])
"""),
    ],
    "activation_forward": [
        ("", """\
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A = sigmoid(Z)
    elif activation == "relu":
        A = relu(Z)
    elif activation == "tanh":
        A = np.tanh(Z)
    else:
        raise ValueError("unknown activation: " + str(activation))
    cache = (linear_cache, Z)
    return A, cache
"""),
        ("""\
ACTIVATIONS = {"sigmoid": sigmoid, "relu": relu, "tanh": np.tanh}

""", """\
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, not {activation}")
    Z, lin = linear_forward(A_prev, W, b)
    return ACTIVATIONS[activation](Z), (lin, Z)
"""),
        ("", """\
    functions = {"sigmoid": sigmoid, "relu": relu, "tanh": np.tanh}
    try:
        g = functions[activation]
    except KeyError:
        raise ValueError("bad activation %r" % activation) from None
    Z = linear_forward(A_prev, W, b)[0]
    return g(Z), ((A_prev, W, b), Z)
"""),
        ("", """\
    if activation not in ("sigmoid", "relu", "tanh"):
        raise ValueError(activation)
    Z, cache_lin = linear_forward(A_prev, W, b)
    A = sigmoid(Z) if activation == "sigmoid" else relu(Z) if activation == "relu" else np.tanh(Z)
    return A, (cache_lin, Z)
"""),
    ],
    "model_forward": [
        ("", """\
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L + 1):
        act = "relu" if l < L else "sigmoid"
        A, cache = activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], act)
        caches.append(cache)
    return A, caches
"""),
        ("", """\
    n_layers = len([k for k in parameters if k.startswith("W")])
    A, caches = X, []
    for i in range(1, n_layers):
        A, c = activation_forward(A, parameters[f"W{i}"], parameters[f"b{i}"], activation="relu")
        caches += [c]
    AL, c = activation_forward(A, parameters[f"W{n_layers}"], parameters[f"b{n_layers}"],
                               activation="sigmoid")
    caches += [c]
    return AL, caches
"""),
        ("""\
def _layer(A, parameters, l, activation):
    return activation_forward(A, parameters["W%d" % l], parameters["b%d" % l], activation)

""", """\
    L = len(parameters) // 2
    caches = list()
    current = X
    l = 1
    while l < L:
        current, cache = _layer(current, parameters, l, "relu")
        caches.append(cache)
        l += 1
    output, cache = _layer(current, parameters, L, "sigmoid")
    caches.append(cache)
    return output, caches
"""),
        ("", """\
    depth = len(parameters) // 2
    activations = ["relu"] * (depth - 1) + ["sigmoid"]
    A = X
    caches = []
    for layer, name in enumerate(activations, start=1):
        W, b = parameters["W{}".format(layer)], parameters["b{}".format(layer)]
        A, cache = activation_forward(A, W, b, name)
        caches.append(cache)
    return A, caches
"""),
    ],
    "predict": [
        ("", """\
    probabilities, _ = model_forward(X, parameters)
    return (probabilities > 0.5).astype(int)
"""),
        ("", """\
    AL = model_forward(X, parameters)[0]
    predictions = np.zeros(AL.shape, dtype=np.int64)
    predictions[AL > 0.5] = 1
    return predictions
"""),
        ("", """\
    out, caches = model_forward(X, parameters)
    return np.where(out > 0.5, 1, 0)
"""),
        ("", """\
    A, _ = model_forward(X, parameters)
    labels = np.array([[1 if a > 0.5 else 0 for a in A[0]]], dtype=np.int64)
    return labels
"""),
    ],
    "stable_sigmoid": [
        ("", """\
    out = np.empty_like(Z, dtype=float)
    pos = Z >= 0
    out[pos] = 1 / (1 + np.exp(-Z[pos]))
    ez = np.exp(Z[~pos])
    out[~pos] = ez / (1 + ez)
    return out
"""),
        ("", """\
    return 0.5 * (1.0 + np.tanh(0.5 * Z))
"""),
        ("", """\
    return np.exp(-np.logaddexp(0, -Z))
"""),
        ("", """\
    Z = np.asarray(Z, dtype=np.float64)
    result = np.where(Z >= 0, 1 / (1 + np.exp(-np.abs(Z))), np.exp(-np.abs(Z)) / (1 + np.exp(-np.abs(Z))))
    return result
"""),
    ],
}
