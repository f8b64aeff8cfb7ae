"""Functions from earlier notebooks that 06_training builds on.

Generated from the reference solutions by `python -m autograder release`; do not edit.
"""

import numpy as np


# 02_forward_propagation: sigmoid
def sigmoid(Z):
    """Logistic sigmoid, entry by entry.

    Z: array of any shape, float64.
    Returns a new float64 array of Z's shape: 1 / (1 + exp(-Z)).
    """
    return 1.0 / (1.0 + np.exp(-Z))


# 02_forward_propagation: relu
def relu(Z):
    """Rectified linear unit, entry by entry.

    Z: array of any shape, float64.
    Returns a new float64 array of Z's shape: Z where Z > 0, 0 elsewhere.
    """
    return np.maximum(Z, 0.0)


# 02_forward_propagation: linear_forward
def linear_forward(A_prev, W, b):
    """The linear step of one layer, for m examples at once.

    A_prev: (n_prev, m) activations of the previous layer, one column per example.
    W: (n, n_prev) weights.  b: (n, 1) biases.
    Returns (Z, cache): Z (n, m) = W A_prev + b; cache = (A_prev, W, b), the arrays given.
    """
    Z = W @ A_prev + b
    return Z, (A_prev, W, b)


# 02_forward_propagation: activation_forward
def activation_forward(A_prev, W, b, activation):
    """One layer: linear step, then activation.

    A_prev: (n_prev, m).  W: (n, n_prev).  b: (n, 1).
    activation: "sigmoid", "relu" or "tanh"; anything else raises ValueError.
    Returns (A, cache): A (n, m) = g(W A_prev + b); cache = ((A_prev, W, b), Z) with Z (n, m).
    """
    if activation == "sigmoid":
        g = sigmoid
    elif activation == "relu":
        g = relu
    elif activation == "tanh":
        g = np.tanh
    else:
        raise ValueError(f"unknown activation {activation!r}: use 'sigmoid', 'relu' or 'tanh'")
    Z, linear_cache = linear_forward(A_prev, W, b)
    return g(Z), (linear_cache, Z)


# 02_forward_propagation: model_forward
def model_forward(X, parameters):
    """Forward pass of an L-layer network: ReLU layers 1..L-1, sigmoid layer L.

    X: (n0, m) inputs, one column per example.
    parameters: dict {"W1": (n1, n0), "b1": (n1, 1), ..., "WL": (nL, nL-1), "bL": (nL, 1)}.
    Returns (AL, caches): AL (nL, m); caches, a list of L caches ((A_prev, W, b), Z), layer 1 first.
    """
    L = len(parameters) // 2
    caches = []
    A = X
    for l in range(1, L):
        A, cache = activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], "relu")
        caches.append(cache)
    AL, cache = activation_forward(A, parameters[f"W{L}"], parameters[f"b{L}"], "sigmoid")
    caches.append(cache)
    return AL, caches


# 02_forward_propagation: predict
def predict(X, parameters):
    """0/1 predictions of an L-layer network with one output unit.

    X: (n0, m) inputs.  parameters: dict {"W1", "b1", ..., "WL", "bL"} with nL = 1.
    Returns an int64 array (1, m): 1 where AL > 0.5, 0 elsewhere.
    """
    AL, _ = model_forward(X, parameters)
    return (AL > 0.5).astype(np.int64)


# 03_logistic_regression: compute_cost
def compute_cost(AL, Y):
    """Cross-entropy cost of the predictions AL for the 0/1 labels Y.

    AL: (1, m) predicted probabilities that y = 1, each in [0, 1].
    Y: (1, m) labels, each 0.0 or 1.0.
    Returns J = -(1/m) sum_i [y log a + (1 - y) log(1 - a)] as a Python float; only the term of the
    observed label is evaluated, so a right prediction of exactly 0 or 1 costs 0.0 and a label
    predicted to be impossible costs inf. Never nan; writes no warning.
    """
    p_observed = np.where(Y == 1, AL, 1 - AL)  # the probability given to the label that occurred
    with np.errstate(divide="ignore"):  # log(0) = -inf is the honest cost of a certain mistake
        log_likelihood = np.log(p_observed)
    return float(-np.mean(log_likelihood))


# 05_deep_backprop: sigmoid_backward
def sigmoid_backward(dA, Z):
    """Backward step of the sigmoid activation.

    dA: (n, m) gradient of the loss with respect to A = sigmoid(Z).
    Z: (n, m) the pre-activation, as stored in the forward cache.
    Returns dZ: (n, m) float64, the gradient with respect to Z.
    """
    s = 1 / (1 + np.exp(-Z))
    return dA * s * (1 - s)


# 05_deep_backprop: relu_backward
def relu_backward(dA, Z):
    """Backward step of the ReLU activation, with relu'(0) = 0.

    dA: (n, m) gradient of the loss with respect to A = relu(Z); left unchanged.
    Z: (n, m) the pre-activation, as stored in the forward cache.
    Returns dZ: (n, m) float64, equal to dA where Z > 0 and to 0 where Z <= 0.
    """
    return dA * (Z > 0)


# 05_deep_backprop: linear_backward
def linear_backward(dZ, cache):
    """Backward step of the linear step Z = W A_prev + b.

    dZ: (n, m) gradient of the loss with respect to Z, one column per example.
    cache: (A_prev, W, b) from linear_forward, with A_prev (n_prev, m), W (n, n_prev), b (n, 1).
    Returns (dA_prev, dW, db): dA_prev (n_prev, m) = W.T dZ; dW (n, n_prev) = (1/m) dZ A_prev.T;
    db (n, 1) = the mean of dZ over the m examples.
    """
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = (dZ @ A_prev.T) / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = W.T @ dZ
    return dA_prev, dW, db


# 05_deep_backprop: activation_backward
def activation_backward(dA, cache, activation):
    """Backward step of one layer: the activation's backward step, then the linear one.

    dA: (n, m) gradient of the loss with respect to the layer's output A.
    cache: ((A_prev, W, b), Z) from activation_forward; A_prev (n_prev, m), W (n, n_prev),
        b (n, 1), Z (n, m).
    activation: "sigmoid", "relu" or "tanh"; anything else raises ValueError.
    Returns (dA_prev, dW, db) with the shapes of A_prev, W and b.
    """
    linear_cache, Z = cache
    match activation:
        case "sigmoid":
            dZ = sigmoid_backward(dA, Z)
        case "relu":
            dZ = relu_backward(dA, Z)
        case "tanh":
            dZ = dA * (1 - np.tanh(Z) ** 2)
        case _:
            raise ValueError(f"unknown activation {activation!r}: expected 'sigmoid', 'relu' or 'tanh'")
    return linear_backward(dZ, linear_cache)


# 05_deep_backprop: model_backward
def model_backward(AL, Y, caches):
    """Backward pass of an L-layer network: ReLU layers 1..L-1, sigmoid layer L, cross-entropy cost.

    AL: (n_L, m) output of model_forward.  Y: (n_L, m) labels, 0 or 1.
    caches: list of L caches from model_forward; caches[l - 1] = ((A_prev, W, b), Z) of layer l.
    Returns grads: dict with exactly the keys "dA0".."dA{L-1}" (shapes of A0..A{L-1}),
    "dW1".."dWL" and "db1".."dbL" (shapes of W1..WL and b1..bL).
    """
    L = len(caches)
    grads = {}
    dA = -(Y / AL - (1 - Y) / (1 - AL))
    for l in range(L, 0, -1):
        activation = "sigmoid" if l == L else "relu"
        dA, dW, db = activation_backward(dA, caches[l - 1], activation)
        grads[f"dA{l - 1}"] = dA
        grads[f"dW{l}"] = dW
        grads[f"db{l}"] = db
    return grads
