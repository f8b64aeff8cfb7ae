"""Independently written bodies of the graded functions of notebook 06, in different styles.

Notebook 06 has two graded functions, too few for thirty honest students to differ by whole
bodies, so `train_model` is made of two parts written independently: the He initialisation
(which leaves the dict in `parameters`) and the training loop (which starts from `parameters` and
returns). A student's `train_model` joins one of each. Each entry is (helpers defined before the
function, the code).
"""

UPDATE_PARAMETERS = [
    ("", """\
    new = {}
    L = len(parameters) // 2
    for l in range(1, L + 1):
        new["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        new["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return new
"""),
    ("", """\
    return {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}
"""),
    ("import copy\n\n", """\
    result = copy.deepcopy(parameters)
    for name in result:
        result[name] = result[name] - learning_rate * grads[f"d{name}"]
    return result
"""),
    ("", """\
    updated = dict()
    for key in parameters.keys():
        step = np.multiply(learning_rate, grads["d%s" % key])
        updated[key] = np.subtract(parameters[key], step)
    return updated
"""),
    ("", """\
    result = {}
    for key in list(parameters):
        gradient = grads.get("d" + key)
        result[key] = parameters[key] + (-learning_rate) * gradient
    return result
"""),
    ("""\
def _descend(value, gradient, rate):
    return value - rate * gradient

""", """\
    layers = len(parameters) // 2
    stepped = {}
    for l in range(1, layers + 1):
        for kind in ("W", "b"):
            name = kind + str(l)
            stepped[name] = _descend(parameters[name], grads["d" + name], learning_rate)
    return stepped
"""),
    ("", """\
    fresh = {name: np.copy(array) for name, array in parameters.items()}
    for name in fresh:
        fresh[name] -= learning_rate * grads["d" + name]
    return fresh
"""),
    ("", """\
    count = len(parameters) // 2
    return {f"{kind}{l}": parameters[f"{kind}{l}"] - learning_rate * grads[f"d{kind}{l}"]
            for l in range(1, count + 1) for kind in "Wb"}
"""),
    ("", """\
    names = list(parameters)
    moved = map(lambda n: parameters[n] - grads["d" + n] * learning_rate, names)
    return dict(zip(names, moved))
"""),
]

# He initialisation: W[l] drawn for l = 1..L in order, nothing else drawn; the dict in `parameters`.
TRAIN_INIT = [
    ("", """\
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * np.sqrt(2.0 / layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
"""),
    ("""\
def _he_init(layer_dims, rng):
    p = {}
    for l, (n_in, n_out) in enumerate(zip(layer_dims[:-1], layer_dims[1:]), start=1):
        p[f"W{l}"] = rng.standard_normal((n_out, n_in)) * (2 / n_in) ** 0.5
        p[f"b{l}"] = np.zeros((n_out, 1))
    return p

""", """\
    parameters = _he_init(layer_dims, rng)
"""),
    ("", """\
    parameters = dict()
    L = len(layer_dims) - 1
    for layer in range(1, L + 1):
        fan_in = layer_dims[layer - 1]
        weights = rng.standard_normal(size=(layer_dims[layer], fan_in))
        parameters["W%d" % layer] = weights * np.sqrt(2 / fan_in)
        parameters["b%d" % layer] = np.zeros(shape=(layer_dims[layer], 1))
"""),
    ("", """\
    shapes = [(layer_dims[i], layer_dims[i - 1]) for i in range(1, len(layer_dims))]
    parameters = {}
    for i, shape in enumerate(shapes, start=1):
        parameters["W{}".format(i)] = np.sqrt(2 / shape[1]) * rng.standard_normal(shape)
        parameters["b{}".format(i)] = np.zeros((shape[0], 1))
"""),
    ("", """\
    depth = len(layer_dims) - 1
    drawn = [rng.standard_normal((layer_dims[k], layer_dims[k - 1])) * np.sqrt(2 / layer_dims[k - 1])
             for k in range(1, depth + 1)]
    parameters = {}
    for k, W in enumerate(drawn, start=1):
        parameters[f"W{k}"] = W
        parameters[f"b{k}"] = np.zeros((W.shape[0], 1))
"""),
    ("", """\
    parameters = {}
    n_layers = len(layer_dims) - 1
    idx = 0
    while idx < n_layers:
        idx += 1
        cols = layer_dims[idx - 1]
        parameters["W" + str(idx)] = rng.normal(0.0, np.sqrt(2.0 / cols), size=(layer_dims[idx], cols))
        parameters["b" + str(idx)] = np.zeros((layer_dims[idx], 1))
"""),
    ("""\
def _he_layer(rng, n_out, n_in):
    W = rng.standard_normal((n_out, n_in))
    W *= np.sqrt(2.0 / n_in)
    return W, np.zeros((n_out, 1))

""", """\
    parameters = {}
    for j in range(len(layer_dims) - 1):
        parameters["W%d" % (j + 1)], parameters["b%d" % (j + 1)] = _he_layer(
            rng, layer_dims[j + 1], layer_dims[j])
"""),
    ("", """\
    dims = list(layer_dims)
    spreads = [np.sqrt(2.0 / n) for n in dims[:-1]]
    parameters = {}
    position = 1
    for n_prev, n_here, spread in zip(dims, dims[1:], spreads):
        parameters["W" + str(position)] = spread * rng.standard_normal(size=(n_here, n_prev))
        parameters["b" + str(position)] = np.zeros(n_here).reshape(n_here, 1)
        position += 1
"""),
]

# The training loop: starts from `parameters`; a cost per iteration, computed before its update.
TRAIN_LOOP = [
    ("", """\
    costs = []
    for i in range(num_iterations):
        AL, caches = model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        grads = model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)
        costs.append(float(cost))
    return parameters, costs
"""),
    ("", """\
    history = []
    for _ in range(num_iterations):
        output, caches = model_forward(X, parameters)
        history.append(float(compute_cost(output, Y)))
        parameters = update_parameters(parameters, model_backward(output, Y, caches), learning_rate)
    return parameters, history
"""),
    ("", """\
    costs = []
    iteration = 0
    while iteration < num_iterations:
        AL, caches = model_forward(X, parameters)
        costs.append(float(compute_cost(AL, Y)))
        grads = model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)
        iteration += 1
    return parameters, costs
"""),
    ("", """\
    costs = list()
    for step in range(num_iterations):
        predictions, memory = model_forward(X, parameters)
        costs += [float(compute_cost(predictions, Y))]
        parameters = update_parameters(parameters, model_backward(predictions, Y, memory), learning_rate)
    return parameters, costs
"""),
    ("", """\
    costs = [0.0] * num_iterations
    for t in range(num_iterations):
        A_out, cache_list = model_forward(X, parameters)
        costs[t] = float(compute_cost(A_out, Y))
        gradients = model_backward(A_out, Y, cache_list)
        parameters = update_parameters(parameters, gradients, learning_rate)
    return parameters, costs
"""),
    ("""\
def _gradient_step(parameters, X, Y, learning_rate):
    AL, caches = model_forward(X, parameters)
    cost = float(compute_cost(AL, Y))
    grads = model_backward(AL, Y, caches)
    return update_parameters(parameters, grads, learning_rate), cost

""", """\
    losses = []
    for _ in range(num_iterations):
        parameters, loss = _gradient_step(parameters, X, Y, learning_rate)
        losses.append(loss)
    return parameters, losses
"""),
    ("", """\
    record = np.empty(num_iterations)
    for it in range(num_iterations):
        forward = model_forward(X, parameters)
        record[it] = compute_cost(forward[0], Y)
        parameters = update_parameters(parameters, model_backward(forward[0], Y, forward[1]), learning_rate)
    return parameters, record.tolist()
"""),
    ("", """\
    def evaluate(current):
        prediction, stored = model_forward(X, current)
        return float(compute_cost(prediction, Y)), model_backward(prediction, Y, stored)

    costs = []
    while len(costs) < num_iterations:
        cost, grads = evaluate(parameters)
        costs.append(cost)
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters, costs
"""),
]

VARIANTS = {"update_parameters": UPDATE_PARAMETERS, "train_model": (TRAIN_INIT, TRAIN_LOOP)}
