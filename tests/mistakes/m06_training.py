"""Wrong implementations of the graded functions of 06_training."""

from . import Mistake

UPDATE = "update_parameters"
TRAIN = "train_model"

_TRAIN_BODY = '''
def train_model(X, Y, layer_dims, learning_rate, num_iterations, rng):
    parameters = {{}}
    for l in {layers}:
        parameters[f"W{{l}}"] = {W}
        parameters[f"b{{l}}"] = {b}
    costs = []
    for _ in range(num_iterations):
        AL, caches = model_forward(X, parameters)
{step}
    return parameters, {costs}
'''

_HE = "rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * np.sqrt(2 / layer_dims[l - 1])"
_STEP = '''\
        costs.append(compute_cost(AL, Y))
        grads = model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)'''


def _train(layers="range(1, len(layer_dims))", W=_HE, b="np.zeros((layer_dims[l], 1))", step=_STEP,
           costs="costs"):
    return _TRAIN_BODY.format(layers=layers, W=W, b=b, step=step, costs=costs)


MISTAKES = [
    Mistake(UPDATE, "in-place", '''
def update_parameters(parameters, grads, learning_rate):
    for name in parameters:
        parameters[name] -= learning_rate * grads["d" + name]
    return parameters
''', 'update_parameters changed its argument parameters in place'),
    Mistake(UPDATE, "in-place-in-a-copied-dict", '''
def update_parameters(parameters, grads, learning_rate):
    updated = dict(parameters)
    for name in updated:
        updated[name] -= learning_rate * grads["d" + name]
    return updated
''', 'update_parameters changed its argument parameters in place'),
    Mistake(UPDATE, "plus-instead-of-minus", '''
def update_parameters(parameters, grads, learning_rate):
    return {name: value + learning_rate * grads["d" + name] for name, value in parameters.items()}
''', "minus: a step against the gradient"),
    Mistake(UPDATE, "ignores-learning-rate", '''
def update_parameters(parameters, grads, learning_rate):
    return {name: value - grads["d" + name] for name, value in parameters.items()}
''', "a step of learning_rate times its own gradient"),

    Mistake(TRAIN, "notebook-01-scale", _train(
        W="0.01 * rng.standard_normal((layer_dims[l], layer_dims[l - 1]))"),
            "times the expected one"),
    Mistake(TRAIN, "variance-1-over-n", _train(
        W="rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * np.sqrt(1 / layer_dims[l - 1])"),
            "Every entry is 0.707107 times the expected one"),
    Mistake(TRAIN, "transposed-draws", _train(
        W="rng.standard_normal((layer_dims[l - 1], layer_dims[l])).T * np.sqrt(2 / layer_dims[l - 1])"),
            "expected numbers in a different order"),
    Mistake(TRAIN, "draws-biases-too", _train(b="0 * rng.standard_normal((layer_dims[l], 1))"),
            "draw nothing else from rng"),
    Mistake(TRAIN, "cost-after-update", _train(step='''\
        grads = model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)
        costs.append(compute_cost(model_forward(X, parameters)[0], Y))'''),
            "computed before that iteration's update"),
    Mistake(TRAIN, "never-updates", _train(step='''\
        costs.append(compute_cost(AL, Y))
        grads = model_backward(AL, Y, caches)
        update_parameters(parameters, grads, learning_rate)'''),
            "whose result is the parameters of the next iteration"),
    Mistake(TRAIN, "costs-as-array", _train(costs="np.array(costs)"),
            "expected a list of length 0"),
]


def _knock_on(function, name, caller, detail=""):
    """The mistake `function`/`name` of the list above, seen from a correct `caller`'s test cell."""
    code = next(m.code for m in MISTAKES if (m.function, m.name) == (function, name))
    message = (f"{function} is wrong, and the function checked here uses it: fix {function} first"
               + detail)
    return Mistake(function, name, code, message, checked_in=caller)


# A correct train_model of a wrong update_parameters: train_model's check compares with stored
# values, not with what the student's own update_parameters computes, so these fail it and are
# named. (The backward pass is given in 06's course_functions.py: no mistake of it is possible.)
MISTAKES += [
    _knock_on(UPDATE, "plus-instead-of-minus", TRAIN),
    _knock_on(UPDATE, "ignores-learning-rate", TRAIN),
]


# Named by its detector (issue 29, item 13), not as a missing factor.
MISTAKES += [
    Mistake(UPDATE, "leaves-b-behind", '''
def update_parameters(parameters, grads, learning_rate):
    updated = dict(parameters)
    for l in range(1, len(parameters) // 2 + 1):
        updated[f"W{l}"] = parameters[f"W{l}"] - learning_rate * grads[f"dW{l}"]
    return updated
''', ("parameters = update_parameters({'W1': np.array([[1.0, -2.0, 0.5]]), 'b1': "
             "np.array([[0.25]])}, {'dA0': np.array([[0.5], [-1.0], [0.5]]), 'dW1': "
             "np.array([[0.5, 1.0, -1.5]]), 'db1': np.array([[2.0]])}, 0.1)['b1'] has the "
             "right shape (1, 1) and dtype float64, but 1 of 1 entries differ (rtol=1e-07, "
             "atol=1e-10).\n"
             "    at [0, 0]: got 0.25, expected 0.04999999999999999\n"
             "  Hint: b1 is still what it was before the update, while W1 took its step. "
             "Every parameter, each W and each b, takes a step against its own gradient."), exact=True),
]
