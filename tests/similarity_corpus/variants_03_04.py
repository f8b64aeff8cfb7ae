"""Independently written bodies of the graded functions of notebooks 03 and 04, in different
styles. Each entry is (helpers defined before the function, the function's body)."""

VARIANTS = {
    "compute_cost": [
        ("", """\
    m = Y.shape[1]
    cost = -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m
    return float(cost)
"""),
        ("", """\
    losses = -(Y * np.log(AL) + (1.0 - Y) * np.log(1.0 - AL))
    return float(np.mean(losses))
"""),
        ("", """\
    total = 0.0
    m = AL.shape[1]
    for i in range(m):
        if Y[0, i] == 1:
            total -= np.log(AL[0, i])
        else:
            total -= np.log(1 - AL[0, i])
    return float(total / m)
"""),
        ("", """\
    m = Y.shape[1]
    log_probs = np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T)
    return float(np.squeeze(-log_probs / m))
"""),
    ],
    "logistic_dz": [
        ("", """\
    return A - Y
"""),
        ("", """\
    dZ = A - Y
    return dZ
"""),
        ("", """\
    return np.subtract(A, Y)
"""),
        ("", """\
    difference = A.copy()
    difference -= Y
    return difference
"""),
    ],
    "logistic_propagate": [
        ("", """\
    m = X.shape[1]
    A = sigmoid(np.dot(W, X) + b)
    cost = compute_cost(A, Y)
    dZ = A - Y
    dW = np.dot(dZ, X.T) / m
    db = np.sum(dZ) / m
    grads = {"dW": dW, "db": np.array([[db]])}
    return grads, cost
"""),
        ("""\
def _forward(W, b, X):
    return 1.0 / (1.0 + np.exp(-(W @ X + b)))

""", """\
    A = _forward(W, b, X)
    n_examples = X.shape[1]
    dz = logistic_dz(A, Y)
    grads = {"dW": dz @ X.T / n_examples, "db": dz.sum(axis=1, keepdims=True) / n_examples}
    return grads, compute_cost(A, Y)
"""),
        ("", """\
    Z = np.matmul(W, X) + b
    A = 1 / (1 + np.exp(-Z))
    J = compute_cost(A, Y)
    error = logistic_dz(A, Y)
    dW = np.matmul(error, X.T) / X.shape[1]
    db = np.mean(error, axis=1, keepdims=True)
    return {"dW": dW, "db": db}, J
"""),
        ("", """\
    m = X.shape[1]
    A = sigmoid(W.dot(X) + b)
    dZ = logistic_dz(A, Y)
    grads = dict(dW=(1 / m) * dZ.dot(X.T), db=(1 / m) * np.sum(dZ, axis=1, keepdims=True))
    cost = float(compute_cost(A, Y))
    return grads, cost
"""),
    ],
    "train_logistic_regression": [
        ("", """\
    n = X.shape[0]
    W = np.zeros((1, n))
    b = np.zeros((1, 1))
    costs = []
    for i in range(num_iterations):
        grads, cost = logistic_propagate(W, b, X, Y)
        W -= learning_rate * grads["dW"]
        b -= learning_rate * grads["db"]
        costs.append(float(cost))
    return W, b, costs
"""),
        ("", """\
    W, b = np.zeros((1, X.shape[0])), np.zeros((1, 1))
    history = []
    iteration = 0
    while iteration < num_iterations:
        g, c = logistic_propagate(W, b, X, Y)
        history.append(c)
        W = W - learning_rate * g["dW"]
        b = b - learning_rate * g["db"]
        iteration += 1
    return W, b, history
"""),
        ("""\
def _step(W, b, grads, learning_rate):
    return W - learning_rate * grads["dW"], b - learning_rate * grads["db"]

""", """\
    W = np.zeros(shape=(1, X.shape[0]), dtype=np.float64)
    b = np.zeros(shape=(1, 1), dtype=np.float64)
    costs = list()
    for _ in range(num_iterations):
        grads, cost = logistic_propagate(W, b, X, Y)
        costs += [cost]
        W, b = _step(W, b, grads, learning_rate)
    return W, b, costs
"""),
        ("", """\
    params = {"W": np.zeros((1, X.shape[0])), "b": np.zeros((1, 1))}
    costs = []
    for step in range(num_iterations):
        grads, cost = logistic_propagate(params["W"], params["b"], X, Y)
        costs.append(cost)
        for name in ("W", "b"):
            params[name] = params[name] - learning_rate * grads["d" + name]
    return params["W"], params["b"], costs
"""),
    ],
    "numerical_derivative": [
        ("", """\
    return float((f(x + eps) - f(x - eps)) / (2 * eps))
"""),
        ("", """\
    upper = f(x + eps)
    lower = f(x - eps)
    slope = (upper - lower) / (2.0 * eps)
    return float(slope)
"""),
        ("", """\
    h = eps
    return float(f(x + h) - f(x - h)) / (h + h)
"""),
        ("", """\
    values = [f(x + step) for step in (eps, -eps)]
    return float(np.diff(values[::-1])[0] / (2 * eps))
"""),
    ],
    "numerical_gradient": [
        ("", """\
    grad = np.zeros_like(X, dtype=float)
    it = np.nditer(X, flags=["multi_index"])
    while not it.finished:
        i = it.multi_index
        old = X[i]
        X[i] = old + eps
        fp = f(X)
        X[i] = old - eps
        fm = f(X)
        X[i] = old
        grad[i] = (fp - fm) / (2 * eps)
        it.iternext()
    return grad
"""),
        ("", """\
    G = np.zeros(X.shape)
    Xc = X.copy()
    flat = Xc.reshape(-1)
    for k in range(flat.size):
        keep = flat[k]
        flat[k] = keep + eps
        up = f(Xc)
        flat[k] = keep - eps
        down = f(Xc)
        flat[k] = keep
        G.reshape(-1)[k] = (up - down) / (2 * eps)
    return G
"""),
        ("""\
def _shifted(X, index, delta):
    Y = X.copy()
    Y[index] += delta
    return Y

""", """\
    gradient = np.empty(X.shape, dtype=np.float64)
    for index in np.ndindex(*X.shape):
        gradient[index] = (f(_shifted(X, index, eps)) - f(_shifted(X, index, -eps))) / (2 * eps)
    return gradient
"""),
        ("", """\
    result = np.zeros(X.shape)
    rows, cols = X.shape
    for r in range(rows):
        for c in range(cols):
            Xp = np.array(X, copy=True)
            Xm = np.array(X, copy=True)
            Xp[r, c] += eps
            Xm[r, c] -= eps
            result[r, c] = (f(Xp) - f(Xm)) / (2 * eps)
    return result
"""),
    ],
    "multivariate_chain": [
        ("", """\
    return float(np.dot(df_dg, dg_dx))
"""),
        ("", """\
    s = 0
    for k in range(len(df_dg)):
        s += df_dg[k] * dg_dx[k]
    return float(s)
"""),
        ("", """\
    return float(sum(a * b for a, b in zip(df_dg, dg_dx)))
"""),
        ("", """\
    products = np.asarray(df_dg, dtype=float) * np.asarray(dg_dx, dtype=float)
    return float(products.sum())
"""),
    ],
    "dcost_da_unit": [
        ("", """\
    total = 0.0
    for k in range(W.shape[0]):
        total += W[k, j] * dz[k, 0]
    return float(total)
"""),
        ("", """\
    return float(np.sum(W[:, j] * dz[:, 0]))
"""),
        ("", """\
    column = W[:, j].reshape(-1, 1)
    return float((column * dz).sum())
"""),
        ("", """\
    return float(np.dot(W.T, dz)[j, 0])
"""),
    ],
    "dcost_dA": [
        ("", """\
    return np.dot(W.T, dZ)
"""),
        ("", """\
    n_prev, m = W.shape[1], dZ.shape[1]
    dA = np.zeros((n_prev, m))
    for i in range(m):
        for j in range(n_prev):
            dA[j, i] = dcost_da_unit(W, dZ[:, i:i + 1], j)
    return dA
"""),
        ("", """\
    return np.matmul(np.transpose(W), dZ)
"""),
        ("", """\
    columns = [W.T @ dZ[:, [i]] for i in range(dZ.shape[1])]
    return np.hstack(columns)
"""),
    ],
}
