"""Functions from earlier notebooks that 05_deep_backprop builds on.

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


# 04_chain_rule: numerical_gradient
def numerical_gradient(f, X, eps=1e-5):
    """Centred finite-difference gradient of a scalar function of an array.

    f: function taking an array of X's shape and returning a float.
    X: float64 array of any shape, the point; left exactly as it was.
    eps: float, the step given to one entry at a time.
    Returns grad: float64 array of X's shape; grad[idx] estimates the partial derivative of f
        with respect to X[idx].
    """
    grad = np.zeros(X.shape, dtype=np.float64)
    for idx in np.ndindex(X.shape):
        saved = X[idx]
        try:
            X[idx] = saved + eps
            f_plus = f(X)
            X[idx] = saved - eps
            f_minus = f(X)
        finally:
            X[idx] = saved
        grad[idx] = (f_plus - f_minus) / (2 * eps)
    return grad
