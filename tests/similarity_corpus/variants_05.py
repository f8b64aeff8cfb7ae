"""Independently written bodies of the graded functions of notebook 05, in different styles.
Each entry is (helpers defined before the function, the body). Notebook 06's: variants_06.py."""

VARIANTS = {
    "sigmoid_backward": [
        ("", """\
    s = 1 / (1 + np.exp(-Z))
    dZ = dA * s * (1 - s)
    return dZ
"""),
        ("", """\
    sig = sigmoid(Z)
    return np.multiply(dA, np.multiply(sig, 1.0 - sig))
"""),
        ("", """\
    e = np.exp(-Z)
    return dA * e / (1 + e) ** 2
"""),
        ("", """\
    a = 0.5 * (1 + np.tanh(Z / 2))
    derivative = a - a ** 2
    return dA * derivative
"""),
    ],
    "relu_backward": [
        ("", """\
    dZ = np.array(dA, copy=True)
    dZ[Z <= 0] = 0
    return dZ
"""),
        ("", """\
    return np.where(Z > 0, dA, 0.0)
"""),
        ("", """\
    mask = (Z > 0).astype(float)
    return dA * mask
"""),
        ("", """\
    return np.multiply(dA, np.heaviside(Z, 0.0))
"""),
    ],
    "linear_backward": [
        ("", """\
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.dot(dZ, A_prev.T) / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db
"""),
        ("", """\
    A_prev, W, _ = cache
    n_examples = dZ.shape[1]
    return W.T @ dZ, dZ @ A_prev.T / n_examples, dZ.mean(axis=1, keepdims=True)
"""),
        ("", """\
    A_prev = cache[0]
    W = cache[1]
    m = A_prev.shape[1]
    dW = (1.0 / m) * np.matmul(dZ, np.transpose(A_prev))
    db = (1.0 / m) * np.sum(dZ, axis=1).reshape(-1, 1)
    dA_prev = np.matmul(np.transpose(W), dZ)
    return dA_prev, dW, db
"""),
        ("", """\
    A_prev, W, b = cache
    dW = np.zeros_like(W)
    m = dZ.shape[1]
    for i in range(m):
        dW += np.outer(dZ[:, i], A_prev[:, i])
    dW /= m
    db = np.mean(dZ, axis=1, keepdims=True)
    return W.T.dot(dZ), dW, db
"""),
    ],
    "activation_backward": [
        ("", """\
    linear_cache, Z = cache
    if activation == "relu":
        dZ = relu_backward(dA, Z)
    elif activation == "sigmoid":
        dZ = sigmoid_backward(dA, Z)
    elif activation == "tanh":
        dZ = dA * (1 - np.tanh(Z) ** 2)
    else:
        raise ValueError("unknown activation " + activation)
    return linear_backward(dZ, linear_cache)
"""),
        ("""\
def _tanh_backward(dA, Z):
    t = np.tanh(Z)
    return dA * (1.0 - t * t)

""", """\
    backward = {"sigmoid": sigmoid_backward, "relu": relu_backward, "tanh": _tanh_backward}
    if activation not in backward:
        raise ValueError(f"no such activation: {activation}")
    lin, Z = cache
    return linear_backward(backward[activation](dA, Z), lin)
"""),
        ("", """\
    (A_prev, W, b), Z = cache
    if activation not in ["sigmoid", "relu", "tanh"]:
        raise ValueError("activation %s is not supported" % activation)
    if activation == "tanh":
        dZ = dA * (1.0 - np.square(np.tanh(Z)))
    else:
        dZ = sigmoid_backward(dA, Z) if activation == "sigmoid" else relu_backward(dA, Z)
    dA_prev, dW, db = linear_backward(dZ, (A_prev, W, b))
    return dA_prev, dW, db
"""),
        ("", """\
    lc, z = cache
    try:
        f = {"sigmoid": sigmoid_backward, "relu": relu_backward}[activation]
        dz = f(dA, z)
    except KeyError:
        if activation != "tanh":
            raise ValueError(activation) from None
        dz = dA * (1 - np.tanh(z) ** 2)
    return linear_backward(dz, lc)
"""),
    ],
    "model_backward": [
        ("", """\
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    current = caches[L - 1]
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = \\
        activation_backward(dAL, current, "sigmoid")
    for l in reversed(range(L - 1)):
        dA_prev, dW, db = activation_backward(grads["dA" + str(l + 1)], caches[l], "relu")
        grads["dA" + str(l)] = dA_prev
        grads["dW" + str(l + 1)] = dW
        grads["db" + str(l + 1)] = db
    return grads
"""),
        ("", """\
    n = len(caches)
    out = dict()
    d = -(Y / AL) + (1 - Y) / (1 - AL)
    for layer in range(n, 0, -1):
        kind = "sigmoid" if layer == n else "relu"
        d, out[f"dW{layer}"], out[f"db{layer}"] = activation_backward(d, caches[layer - 1], kind)
        out[f"dA{layer - 1}"] = d
    return out
"""),
        ("""\
def _store(grads, l, dA_prev, dW, db):
    grads["dA%d" % (l - 1)] = dA_prev
    grads["dW%d" % l] = dW
    grads["db%d" % l] = db

""", """\
    grads = {}
    L = len(caches)
    dA = (AL - Y) / (AL * (1 - AL))
    activations = ["relu"] * (L - 1) + ["sigmoid"]
    l = L
    while l >= 1:
        dA_prev, dW, db = activation_backward(dA, caches[l - 1], activations[l - 1])
        _store(grads, l, dA_prev, dW, db)
        dA = dA_prev
        l -= 1
    return grads
"""),
        ("", """\
    L = len(caches)
    gradients = {}
    upstream = np.divide(1 - Y, 1 - AL) - np.divide(Y, AL)
    for index, cache in reversed(list(enumerate(caches))):
        layer = index + 1
        activation = "relu"
        if layer == L:
            activation = "sigmoid"
        results = activation_backward(upstream, cache, activation)
        gradients["dA{}".format(layer - 1)] = results[0]
        gradients["dW{}".format(layer)] = results[1]
        gradients["db{}".format(layer)] = results[2]
        upstream = results[0]
    return gradients
"""),
        ("", """\
    layers = len(caches)
    kinds = ["sigmoid"] + ["relu"] * (layers - 1)
    dA = (1 - Y) / (1 - AL) - Y / AL
    results = []
    for kind, cache in zip(kinds, reversed(caches)):
        dA_prev, dW, db = activation_backward(dA, cache, kind)
        results.append((dA_prev, dW, db))
        dA = dA_prev
    grads = {}
    for depth, (dA_prev, dW, db) in zip(range(layers, 0, -1), results):
        grads["dA" + str(depth - 1)] = dA_prev
        grads["dW" + str(depth)] = dW
        grads["db" + str(depth)] = db
    return grads
"""),
        ("""\
def _backward_from(l, dA, caches, grads):
    if l == 0:
        return grads
    kind = "sigmoid" if l == len(caches) else "relu"
    dA_prev, grads["dW%d" % l], grads["db%d" % l] = activation_backward(dA, caches[l - 1], kind)
    grads["dA%d" % (l - 1)] = dA_prev
    return _backward_from(l - 1, dA_prev, caches, grads)

""", """\
    start = -np.divide(Y, AL) + np.divide(1 - Y, 1 - AL)
    return _backward_from(len(caches), start, caches, {})
"""),
    ],
    "gradient_check": [
        ("", """\
    AL, caches = model_forward(X, parameters)
    grads = model_backward(AL, Y, caches)
    analytic, numeric = [], []
    for key in parameters:
        P = parameters[key].copy()
        for idx in np.ndindex(P.shape):
            plus = {k: v.copy() for k, v in parameters.items()}
            minus = {k: v.copy() for k, v in parameters.items()}
            plus[key][idx] += epsilon
            minus[key][idx] -= epsilon
            J_plus = compute_cost(model_forward(X, plus)[0], Y)
            J_minus = compute_cost(model_forward(X, minus)[0], Y)
            numeric.append((J_plus - J_minus) / (2 * epsilon))
            analytic.append(grads["d" + key][idx])
    analytic = np.array(analytic)
    numeric = np.array(numeric)
    diff = np.linalg.norm(analytic - numeric)
    return float(diff / (np.linalg.norm(analytic) + np.linalg.norm(numeric)))
"""),
        ("""\
def _cost_at(parameters, X, Y):
    return compute_cost(model_forward(X, parameters)[0], Y)

""", """\
    grads = model_backward(*model_forward(X, parameters)[:1], Y, model_forward(X, parameters)[1])
    g = np.concatenate([grads["d" + k].flatten() for k in parameters])
    approx = []
    work = {k: np.array(v, dtype=float) for k, v in parameters.items()}
    for k in work:
        flat = work[k].reshape(-1)
        for i in range(flat.size):
            old = flat[i]
            flat[i] = old + epsilon
            up = _cost_at(work, X, Y)
            flat[i] = old - epsilon
            down = _cost_at(work, X, Y)
            flat[i] = old
            approx.append((up - down) / (2 * epsilon))
    approx = np.asarray(approx)
    return float(np.linalg.norm(g - approx) / (np.linalg.norm(g) + np.linalg.norm(approx)))
"""),
        ("", """\
    AL, caches = model_forward(X, parameters)
    backprop = model_backward(AL, Y, caches)
    numerator = 0.0
    norm_g = 0.0
    norm_n = 0.0
    for name, value in parameters.items():
        for index in np.ndindex(value.shape):
            shifted = dict(parameters)
            shifted[name] = value.copy()
            shifted[name][index] = value[index] + epsilon
            high = compute_cost(model_forward(X, shifted)[0], Y)
            shifted[name][index] = value[index] - epsilon
            low = compute_cost(model_forward(X, shifted)[0], Y)
            estimate = (high - low) / (2 * epsilon)
            exact = backprop["d" + name][index]
            numerator += (exact - estimate) ** 2
            norm_g += exact ** 2
            norm_n += estimate ** 2
    return float(np.sqrt(numerator) / (np.sqrt(norm_g) + np.sqrt(norm_n)))
"""),
        ("", """\
    keys = list(parameters.keys())
    vector = np.concatenate([parameters[k].ravel() for k in keys])
    shapes = [parameters[k].shape for k in keys]

    def unpack(v):
        out, start = {}, 0
        for k, shape in zip(keys, shapes):
            size = int(np.prod(shape))
            out[k] = v[start:start + size].reshape(shape)
            start += size
        return out

    AL, caches = model_forward(X, parameters)
    grads = model_backward(AL, Y, caches)
    grad_vec = np.concatenate([grads["d" + k].ravel() for k in keys])
    approx = np.zeros_like(vector)
    for i in range(vector.size):
        e = np.zeros_like(vector)
        e[i] = epsilon
        approx[i] = (compute_cost(model_forward(X, unpack(vector + e))[0], Y)
                     - compute_cost(model_forward(X, unpack(vector - e))[0], Y)) / (2 * epsilon)
    return float(np.linalg.norm(grad_vec - approx)
                 / (np.linalg.norm(grad_vec) + np.linalg.norm(approx)))
"""),
        ("", """\
    AL, caches = model_forward(X, parameters)
    grads = model_backward(AL, Y, caches)
    exact, approx = [], []
    for key, value in parameters.items():
        def cost_of(array, key=key):
            trial = dict(parameters)
            trial[key] = array
            return compute_cost(model_forward(X, trial)[0], Y)
        approx.append(numerical_gradient(cost_of, value.copy(), epsilon).ravel())
        exact.append(grads["d" + key].ravel())
    exact, approx = np.concatenate(exact), np.concatenate(approx)
    return float(np.linalg.norm(exact - approx) / (np.linalg.norm(exact) + np.linalg.norm(approx)))
"""),
        ("", """\
    forward = model_forward(X, parameters)
    backward = model_backward(forward[0], Y, forward[1])
    differences, exact_sq, approx_sq = [], 0.0, 0.0
    for name in sorted(parameters):
        shape = parameters[name].shape
        for flat in range(parameters[name].size):
            pos = np.unravel_index(flat, shape)
            costs = []
            for sign in (1, -1):
                nudged = {k: np.array(v, copy=True) for k, v in parameters.items()}
                nudged[name][pos] += sign * epsilon
                costs.append(compute_cost(model_forward(X, nudged)[0], Y))
            estimate = (costs[0] - costs[1]) / (2 * epsilon)
            analytic = backward["d" + name][pos]
            differences.append(analytic - estimate)
            exact_sq += analytic ** 2
            approx_sq += estimate ** 2
    return float(np.linalg.norm(differences) / (np.sqrt(exact_sq) + np.sqrt(approx_sq)))
"""),
    ],
}
