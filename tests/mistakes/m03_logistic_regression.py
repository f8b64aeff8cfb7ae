"""Wrong implementations of the graded functions of 03_logistic_regression."""

from . import Mistake

COST = "compute_cost"
DZ = "logistic_dz"
PROPAGATE = "logistic_propagate"
TRAIN = "train_logistic_regression"

MISTAKES = [
    Mistake(COST, "sign-flip", '''
def compute_cost(AL, Y):
    with np.errstate(divide="ignore"):
        return float(np.mean(np.log(np.where(Y == 1, AL, 1 - AL))))
''', "It has the expected size but the opposite sign"),
    Mistake(COST, "seed-bracket", '''
def compute_cost(AL, Y):
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.mean(-Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))
''', "as the seed notes do, flips the sign of every y = 0 term"),
    Mistake(COST, "missing-1/m", '''
def compute_cost(AL, Y):
    with np.errstate(divide="ignore"):
        return float(-np.sum(np.log(np.where(Y == 1, AL, 1 - AL))))
''', "It is 3 times the expected value"),
    Mistake(COST, "doubled-1/m", '''
def compute_cost(AL, Y):
    m = AL.shape[1]
    with np.errstate(divide="ignore"):
        return float(-np.mean(np.log(np.where(Y == 1, AL, 1 - AL))) / m)
''', "It is 1/3 times the expected value"),
    Mistake(COST, "numpy-scalar", '''
def compute_cost(AL, Y):
    with np.errstate(divide="ignore"):
        return -np.mean(np.log(np.where(Y == 1, AL, 1 - AL)))
''', "is a numpy scalar of type numpy.float64"),
    Mistake(COST, "zero-d-array", '''
def compute_cost(AL, Y):
    m = AL.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        cost = -(np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T)) / m
    return np.squeeze(cost)
''', "is a 0-d numpy array"),
    Mistake(COST, "array-1x1", '''
def compute_cost(AL, Y):
    m = AL.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        return -(np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T)) / m
''', "expected a single Python float"),
    Mistake(COST, "nan-when-saturated", '''
def compute_cost(AL, Y):
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(-np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))
''', "computes 0 * log(0) = 0 * (-inf) = nan"),
    Mistake(COST, "warns", '''
def compute_cost(AL, Y):
    return float(-np.mean(np.where(Y == 1, np.log(AL), np.log(1 - AL))))
''', "writes a RuntimeWarning, 'divide by zero encountered in log': the exercise asks for none"),
    Mistake(COST, "clips", '''
def compute_cost(AL, Y):
    AL = np.clip(AL, 1e-15, 1 - 1e-15)
    return float(-np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))
''', "Do not clip"),

    Mistake(DZ, "sign-flip", '''
def logistic_dz(A, Y):
    return Y - A
''', "Every entry has the opposite sign of the expected one"),
    Mistake(DZ, "seed-da", '''
def logistic_dz(A, Y):
    dA = -(Y / A + (1 - Y) / (1 - A))
    return dA * A * (1 - A)
''', "The seed notes' dA = -(y/a + (1 - y)/(1 - a)) gives dZ = -A here"),
    Mistake(DZ, "divides-by-m", '''
def logistic_dz(A, Y):
    return (A - Y) / A.shape[1]
''', "Every entry is 1/3 times the expected one"),

    Mistake(PROPAGATE, "dW-missing-1/m", '''
def logistic_propagate(W, b, X, Y):
    m = X.shape[1]
    A = sigmoid(W @ X + b)
    dZ = logistic_dz(A, Y)
    return {"dW": dZ @ X.T, "db": np.mean(dZ, axis=1, keepdims=True)}, compute_cost(A, Y)
''', "Every entry is 4 times the expected one"),
    Mistake(PROPAGATE, "doubled-1/m", '''
def logistic_propagate(W, b, X, Y):
    m = X.shape[1]
    A = sigmoid(W @ X + b)
    dZ = logistic_dz(A, Y) / m
    return {"dW": dZ @ X.T / m, "db": np.sum(dZ, axis=1, keepdims=True)}, compute_cost(A, Y)
''', "Every entry is 1/4 times the expected one"),
    Mistake(PROPAGATE, "dW-not-transposed", '''
def logistic_propagate(W, b, X, Y):
    m = X.shape[1]
    A = sigmoid(W @ X + b)
    dZ = logistic_dz(A, Y)
    return {"dW": X @ dZ.T / m, "db": np.mean(dZ, axis=1, keepdims=True)}, compute_cost(A, Y)
''', "The shape is transposed"),
    Mistake(PROPAGATE, "dW-flat", '''
def logistic_propagate(W, b, X, Y):
    m = X.shape[1]
    A = sigmoid(W @ X + b)
    dZ = logistic_dz(A, Y)
    return {"dW": np.sum(dZ * X, axis=1) / m, "db": np.mean(dZ, axis=1, keepdims=True)}, \\
        compute_cost(A, Y)
''', "has shape (3,), expected (1, 3)"),
    Mistake(PROPAGATE, "dZ-sign-flip", '''
def logistic_propagate(W, b, X, Y):
    m = X.shape[1]
    A = sigmoid(W @ X + b)
    dZ = Y - A
    return {"dW": dZ @ X.T / m, "db": np.mean(dZ, axis=1, keepdims=True)}, compute_cost(A, Y)
''', "Every entry has the opposite sign of the expected one"),
    Mistake(PROPAGATE, "db-one-example", '''
def logistic_propagate(W, b, X, Y):
    m = X.shape[1]
    A = sigmoid(W @ X + b)
    dZ = logistic_dz(A, Y)
    return {"dW": dZ @ X.T / m, "db": dZ[:, :1]}, compute_cost(A, Y)
''', "Not one example's value dZ^(i) (the seed notes' db)"),
    Mistake(PROPAGATE, "db-sum", '''
def logistic_propagate(W, b, X, Y):
    m = X.shape[1]
    A = sigmoid(W @ X + b)
    dZ = logistic_dz(A, Y)
    return {"dW": dZ @ X.T / m, "db": np.sum(dZ, axis=1, keepdims=True)}, compute_cost(A, Y)
''', "Every entry is 4 times the expected one"),
    Mistake(PROPAGATE, "db-1d", '''
def logistic_propagate(W, b, X, Y):
    m = X.shape[1]
    A = sigmoid(W @ X + b)
    dZ = logistic_dz(A, Y)
    return {"dW": dZ @ X.T / m, "db": np.mean(dZ, axis=1)}, compute_cost(A, Y)
''', "It is 1-D; expected a column of shape (1, 1)"),
    Mistake(PROPAGATE, "db-float", '''
def logistic_propagate(W, b, X, Y):
    m = X.shape[1]
    A = sigmoid(W @ X + b)
    dZ = logistic_dz(A, Y)
    return {"dW": dZ @ X.T / m, "db": float(np.mean(dZ))}, compute_cost(A, Y)
''', "expected a numpy array of shape (1, 1)"),
    Mistake(PROPAGATE, "cost-numpy-scalar", '''
def logistic_propagate(W, b, X, Y):
    m = X.shape[1]
    A = sigmoid(W @ X + b)
    dZ = logistic_dz(A, Y)
    cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    return {"dW": dZ @ X.T / m, "db": np.mean(dZ, axis=1, keepdims=True)}, cost
''', "is a numpy scalar of type numpy.float64"),

    Mistake(TRAIN, "random-init", '''
def train_logistic_regression(X, Y, learning_rate, num_iterations):
    W = 0.01 * np.random.default_rng(0).standard_normal((1, X.shape[0]))
    b = np.zeros((1, 1))
    costs = []
    for _ in range(num_iterations):
        grads, cost = logistic_propagate(W, b, X, Y)
        costs.append(cost)
        W = W - learning_rate * grads["dW"]
        b = b - learning_rate * grads["db"]
    return W, b, costs
''', "the function returns where it starts"),
    Mistake(TRAIN, "cost-after-update", '''
def train_logistic_regression(X, Y, learning_rate, num_iterations):
    W = np.zeros((1, X.shape[0]))
    b = np.zeros((1, 1))
    costs = []
    for _ in range(num_iterations):
        grads, _ = logistic_propagate(W, b, X, Y)
        W = W - learning_rate * grads["dW"]
        b = b - learning_rate * grads["db"]
        costs.append(compute_cost(sigmoid(W @ X + b), Y))
    return W, b, costs
''', "recorded before that iteration's update"),
    Mistake(TRAIN, "costs-array", '''
def train_logistic_regression(X, Y, learning_rate, num_iterations):
    W = np.zeros((1, X.shape[0]))
    b = np.zeros((1, 1))
    costs = np.zeros(num_iterations)
    for t in range(num_iterations):
        grads, costs[t] = logistic_propagate(W, b, X, Y)
        W = W - learning_rate * grads["dW"]
        b = b - learning_rate * grads["db"]
    return W, b, costs
''', "expected a list of length 0"),
    Mistake(TRAIN, "gradient-ascent", '''
def train_logistic_regression(X, Y, learning_rate, num_iterations):
    W = np.zeros((1, X.shape[0]))
    b = np.zeros((1, 1))
    costs = []
    for _ in range(num_iterations):
        grads, cost = logistic_propagate(W, b, X, Y)
        costs.append(cost)
        W = W + learning_rate * grads["dW"]
        b = b + learning_rate * grads["db"]
    return W, b, costs
''', "takes a step against the gradient"),
    # An exception inside the student's function (issue 29, item 12): named with its line.
    Mistake(TRAIN, "starts-inside-the-loop", '''
def train_logistic_regression(X, Y, learning_rate, num_iterations):
    costs = []
    for t in range(num_iterations):
        if t == 0:
            W = np.zeros((1, X.shape[0]))
            b = np.zeros((1, 1))
        grads, cost = logistic_propagate(W, b, X, Y)
        costs.append(cost)
        W = W - learning_rate * grads["dW"]
        b = b - learning_rate * grads["db"]
    return W, b, costs
''', ("train_logistic_regression(np.random.default_rng(4).standard_normal((3, 6)), "
             "np.array([[1.0, 0.0, 0.0, 1.0, 1.0, 0.0]]), 0.5, 0) raised UnboundLocalError: "
             "cannot access local variable 'W' where it is not associated with a value\n"
             "  In your code (line numbers count from the top of the function's cell):\n"
             "    train_logistic_regression, line 11: return W, b, costs\n"
             "  The arguments: X is a numpy array of shape (3, 6) and dtype float64; Y is a "
             "numpy array of shape (1, 6) and dtype float64; learning_rate is the float 0.5; "
             "num_iterations is the int 0.\n"
             "  Hint: A local variable was read before any line gave it a value on the path "
             "the call took: it is assigned only inside an if branch that did not run, or "
             "inside a loop that ran zero times (here num_iterations is 0, so a loop over "
             "range(num_iterations) runs zero times). Give it a value on every path before "
             "the line that reads it."), exact=True),
]


def _knock_on(function, name, caller, detail=""):
    """The mistake `function`/`name` of the list above, seen from a correct `caller`'s test cell."""
    code = next(m.code for m in MISTAKES if (m.function, m.name) == (function, name))
    message = (f"{function} is wrong, and the function checked here uses it: fix {function} first"
               + detail)
    return Mistake(function, name, code, message, checked_in=caller)


# A correct logistic_propagate or train_logistic_regression fails when compute_cost or logistic_dz is
# wrong; their cells say which function to fix instead of hinting at their own code.
MISTAKES += [
    _knock_on(COST, "seed-bracket", PROPAGATE),
    _knock_on(COST, "seed-bracket", TRAIN),
    _knock_on(DZ, "seed-da", PROPAGATE),
    _knock_on(DZ, "seed-da", TRAIN),
    _knock_on(PROPAGATE, "db-sum", TRAIN),
]
