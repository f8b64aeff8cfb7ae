"""Wrong implementations of the graded functions of 01_notation."""

from . import Mistake

LAYER_SHAPES = "layer_shapes"
STACK = "stack_examples"
COUNT = "count_parameters"
INIT = "initialize_parameters"

MISTAKES = [
    Mistake(LAYER_SHAPES, "transposed-W", '''
def layer_shapes(layer_dims):
    shapes = {}
    for l in range(1, len(layer_dims)):
        shapes[f"W{l}"] = (layer_dims[l - 1], layer_dims[l])
        shapes[f"b{l}"] = (layer_dims[l], 1)
    return shapes
''', "The shape is transposed. W1 has shape (n[1], n[0])"),
    Mistake(LAYER_SHAPES, "flat-bias", '''
def layer_shapes(layer_dims):
    shapes = {}
    for l in range(1, len(layer_dims)):
        shapes[f"W{l}"] = (layer_dims[l], layer_dims[l - 1])
        shapes[f"b{l}"] = (layer_dims[l],)
    return shapes
''', "It is 1-D; expected a column"),
    Mistake(LAYER_SHAPES, "keys-from-zero", '''
def layer_shapes(layer_dims):
    shapes = {}
    for l in range(1, len(layer_dims)):
        shapes[f"W{l - 1}"] = (layer_dims[l], layer_dims[l - 1])
        shapes[f"b{l - 1}"] = (layer_dims[l], 1)
    return shapes
''', "shifted by one layer"),
    Mistake(LAYER_SHAPES, "skips-last-layer", '''
def layer_shapes(layer_dims):
    shapes = {}
    for l in range(1, len(layer_dims) - 1):
        shapes[f"W{l}"] = (layer_dims[l], layer_dims[l - 1])
        shapes[f"b{l}"] = (layer_dims[l], 1)
    return shapes
''', "missing: ['W2', 'b2']"),
    Mistake(LAYER_SHAPES, "lists-not-tuples", '''
def layer_shapes(layer_dims):
    shapes = {}
    for l in range(1, len(layer_dims)):
        shapes[f"W{l}"] = [layer_dims[l], layer_dims[l - 1]]
        shapes[f"b{l}"] = [layer_dims[l], 1]
    return shapes
''', "is a list; expected a tuple"),
    Mistake(LAYER_SHAPES, "numpy-ints", '''
def layer_shapes(layer_dims):
    dims = np.array(layer_dims)
    shapes = {}
    for l in range(1, len(dims)):
        shapes[f"W{l}"] = (dims[l], dims[l - 1])
        shapes[f"b{l}"] = (dims[l], 1)
    return shapes
''', "tuple holding numpy integers"),

    Mistake(STACK, "examples-as-rows", '''
def stack_examples(examples):
    return np.array([np.ravel(e) for e in examples], dtype=float)
''', "examples are columns"),
    Mistake(STACK, "extra-axis", '''
def stack_examples(examples):
    return np.array(examples, dtype=float).T
''', "It has an extra axis"),
    Mistake(STACK, "returns-list", '''
def stack_examples(examples):
    return [list(np.ravel(e)) for e in examples]
''', "is a Python list; expected a numpy array"),
    Mistake(STACK, "keeps-int-dtype", '''
def stack_examples(examples):
    return np.column_stack([np.ravel(e) for e in examples])
''', "dtype int64, expected float64"),
    Mistake(STACK, "squeezes-single-example", '''
def stack_examples(examples):
    return np.squeeze(np.column_stack([np.ravel(e) for e in examples]).astype(float))
''', "It is 1-D; expected a column"),
    Mistake(STACK, "reshapes-input-in-place", '''
def stack_examples(examples):
    for example in examples:
        example.shape = (-1, 1)
    return np.hstack(examples).astype(float)
''', 'stack_examples changed its argument examples in place'),

    Mistake(COUNT, "forgets-biases", '''
def count_parameters(layer_dims):
    return sum(n * n_prev for n_prev, n in zip(layer_dims[:-1], layer_dims[1:]))
''', "off by -4"),
    Mistake(COUNT, "bias-for-input-layer", '''
def count_parameters(layer_dims):
    return sum(n * n_prev for n_prev, n in zip(layer_dims[:-1], layer_dims[1:])) + sum(layer_dims)
''', "the input layer (layer 0) has none"),
    Mistake(COUNT, "numpy-int", '''
def count_parameters(layer_dims):
    dims = np.array(layer_dims)
    return np.sum(dims[1:] * (dims[:-1] + 1))
''', "expected a Python int"),
    Mistake(COUNT, "float", '''
def count_parameters(layer_dims):
    return float(sum(n * (n_prev + 1) for n_prev, n in zip(layer_dims[:-1], layer_dims[1:])))
''', "is a float (19.0); expected the Python int 19"),

    Mistake(INIT, "transposed-draw", '''
def initialize_parameters(layer_dims, rng, scale=0.01):
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = scale * rng.standard_normal((layer_dims[l - 1], layer_dims[l])).T
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return parameters
''', "expected numbers in a different order"),
    Mistake(INIT, "draws-biases-too", '''
def initialize_parameters(layer_dims, rng, scale=0.01):
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = scale * rng.standard_normal((layer_dims[l], layer_dims[l - 1]))
        parameters[f"b{l}"] = 0 * rng.standard_normal((layer_dims[l], 1))
    return parameters
''', "draw nothing else"),
    Mistake(INIT, "reverse-layer-order", '''
def initialize_parameters(layer_dims, rng, scale=0.01):
    parameters = {}
    for l in reversed(range(1, len(layer_dims))):
        parameters[f"W{l}"] = scale * rng.standard_normal((layer_dims[l], layer_dims[l - 1]))
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return parameters
''', "For l = 1..L in order"),
    Mistake(INIT, "extra-draw-at-end", '''
def initialize_parameters(layer_dims, rng, scale=0.01):
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = scale * rng.standard_normal((layer_dims[l], layer_dims[l - 1]))
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
    rng.standard_normal()
    return parameters
''', "no draws for the biases and no extra draws"),
    Mistake(INIT, "forgets-scale", '''
def initialize_parameters(layer_dims, rng, scale=0.01):
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = rng.standard_normal((layer_dims[l], layer_dims[l - 1]))
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return parameters
''', "Every entry is 100 times the expected one"),
    Mistake(INIT, "global-random", '''
def initialize_parameters(layer_dims, rng, scale=0.01):
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = scale * np.random.randn(layer_dims[l], layer_dims[l - 1])
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return parameters
''', "Draw from the rng you are given"),
    Mistake(INIT, "flat-bias", '''
def initialize_parameters(layer_dims, rng, scale=0.01):
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = scale * rng.standard_normal((layer_dims[l], layer_dims[l - 1]))
        parameters[f"b{l}"] = np.zeros(layer_dims[l])
    return parameters
''', "It is 1-D; expected a column"),
    Mistake(INIT, "transposed-shape", '''
def initialize_parameters(layer_dims, rng, scale=0.01):
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = scale * rng.standard_normal((layer_dims[l - 1], layer_dims[l]))
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return parameters
''', "The shape is transposed. W1 has shape (n[1], n[0])"),
    Mistake(INIT, "keys-from-zero", '''
def initialize_parameters(layer_dims, rng, scale=0.01):
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l - 1}"] = scale * rng.standard_normal((layer_dims[l], layer_dims[l - 1]))
        parameters[f"b{l - 1}"] = np.zeros((layer_dims[l], 1))
    return parameters
''', "shifted by one layer"),
    # An exception inside the student's function (issue 29, item 12): named with its line.
    Mistake(INIT, "standard-normal-of-two-numbers", '''
def initialize_parameters(layer_dims, rng, scale=0.01):
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = scale * rng.standard_normal(layer_dims[l], layer_dims[l - 1])
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return parameters
''', ("initialize_parameters([3, 2, 1], np.random.default_rng(1)) raised TypeError: "
             "Cannot interpret '3' as a data type\n"
             "  In your code (line numbers count from the top of the function's cell):\n"
             "    initialize_parameters, line 4: parameters[f\"W{l}\"] = scale * "
             "rng.standard_normal(layer_dims[l], layer_dims[l - 1])\n"
             "  The arguments: layer_dims is a list of 3 ints; rng is a numpy random "
             "Generator.\n"
             "  Hint: numpy read a number as a dtype: functions that build an array "
             "(np.zeros, rng.standard_normal, ...) take its shape as one tuple, (n, m), and "
             "their second argument is something else."), exact=True),
]
