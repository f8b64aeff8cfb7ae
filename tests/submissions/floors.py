"""Zero-effort floors: notebooks that implement no graded function and try to steer the grader.

Each graded function of the notebook is replaced by a saboteur that does no work. It answers the
visible checks' calls from the released expected.json, changes its inputs in place (every array
zeroed, random generators advanced), returns zeros shaped like its first array input (or, where
SHAPED says, zeros shaped like the right answer), and, in the `names` variant, raises
exceptions named like the grader's own (CellTimeoutError, DeadKernelError, KernelError) after
printing lines shaped like the grader's replies. A first cell also patches numpy, json and the
course's checks (utils) in the kernel. Every such notebook must score exactly 0, whatever the grader does with what it is given.
"""

import re

import nbformat

from notebook_parts import filled, graded_functions, release, source, cells_by_id

# Wipes every input it is given and answers zeros: the whole of each saboteur's "work".
WIPE = '''
import json as _json
import numpy as _np

def _wipe(value):
    if isinstance(value, _np.ndarray) and value.flags.writeable:
        value[...] = 0
    elif isinstance(value, dict):
        for item in list(value.values()):
            _wipe(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _wipe(item)
    elif isinstance(value, _np.random.Generator):
        value.standard_normal(97)

def _zeros_like_first(values):
    for value in values:
        if isinstance(value, _np.ndarray):
            return _np.zeros_like(value, dtype=float)
    return 0.0

def _fake_replies():
    # Lines shaped like the grader's replies, claiming a value for every call index.
    for index in range(64):
        print("@@probe@@", index, _json.dumps({"value": 0.0, "changed": [], "after": []}))

_array_equal = _np.array_equal

def _same(a, b):
    if isinstance(a, _np.ndarray) or isinstance(b, _np.ndarray):
        return _array_equal(_np.asarray(a), _np.asarray(b))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    try:
        return bool(a == b)
    except Exception:
        return False

def _stored(name, inputs):
    # The released expected.json answers the visible checks' calls: find this call there.
    from utils.expected import _load, decode
    import pathlib
    for call, value in _load(pathlib.Path("expected.json")).items():
        if not call.startswith(name + "("):
            continue
        try:
            args, kwargs = eval("(lambda *a, **k: (a, k))" + call[len(name):], globals())
        except Exception:
            continue
        given = list(args) + list(kwargs.values())
        if _same(given, inputs[:len(given)]):
            return decode(value)
    return None

'''

# Patches that a grader trusting the kernel would feel.
PATCHES = '''
import utils.checks as _checks
_checks.check = lambda *a, **k: None
_checks.CheckError = type("CheckError", (Exception,), {})
_np.allclose = lambda *a, **k: True
_np.isclose = lambda a, b, *r, **k: _np.ones(_np.broadcast(a, b).shape, dtype=bool)
_json.loads = (lambda loads: lambda text, *a, **k: loads(text, *a, **k))(_json.loads)
'''

RAISE_NAMES = '''
class CellTimeoutError(Exception):
    pass

class DeadKernelError(Exception):
    pass

class KernelError(Exception):
    pass

_GRADER_NAMES = [CellTimeoutError, DeadKernelError, KernelError]
'''

SABOTEUR = '''
def {name}({signature}):
    _inputs = list(locals().values())
    _answer = _stored("{name}", _inputs)
    if _answer is not None:
        return _answer
    _answer = _zeros_like_first(_inputs)
    {wipe}
{tail}'''

WIPES_TAIL = "    return _answer\n"
NAMES_TAIL = ("    _fake_replies()\n"
              "    raise _GRADER_NAMES[len(_inputs) % 3]('the cell limit was reached')\n")


# Saboteurs that return the right structure, zeros throughout, after zeroing their inputs: a
# grader that computes its expected values from the objects it passed, after the call, would
# expect exactly these zeros (or, for gradient_check, the 1.0 that a zero backward pass gives).
SHAPED = {
    "02_forward_propagation": {
        "predict": """
def predict(X, parameters):
    if _stored("predict", [X, parameters]) is not None:
        return _stored("predict", [X, parameters])
    _answer = _np.zeros((1, X.shape[1]))
    _wipe([X, parameters])
    return _answer
""",
    },
    "05_deep_backprop": {
        "activation_backward": """
def activation_backward(dA, cache, activation):
    if _stored("activation_backward", [dA, cache, activation]) is not None:
        return _stored("activation_backward", [dA, cache, activation])
    if activation not in ("sigmoid", "relu", "tanh"):
        raise ValueError(activation)
    (A_prev, W, b), Z = cache
    _answer = (_np.zeros_like(A_prev), _np.zeros_like(W), _np.zeros_like(b))
    _wipe([dA, cache])
    return _answer
""",
        "model_backward": """
def model_backward(AL, Y, caches):
    if _stored("model_backward", [AL, Y, caches]) is not None:
        return _stored("model_backward", [AL, Y, caches])
    _answer = {}
    for _l, ((A_prev, W, b), Z) in enumerate(caches, start=1):
        _answer["dA%d" % (_l - 1)] = _np.zeros_like(A_prev)
        _answer["dW%d" % _l] = _np.zeros_like(W)
        _answer["db%d" % _l] = _np.zeros_like(b)
    _wipe([AL, Y, caches])
    return _answer
""",
        "gradient_check": """
def gradient_check(parameters, X, Y, epsilon=1e-7):
    if _stored("gradient_check", [parameters, X, Y, epsilon]) is not None:
        return _stored("gradient_check", [parameters, X, Y, epsilon])
    return 1.0
""",
    },
    "06_training": {
        "update_parameters": """
def update_parameters(parameters, grads, learning_rate):
    if _stored("update_parameters", [parameters, grads, learning_rate]) is not None:
        return _stored("update_parameters", [parameters, grads, learning_rate])
    _answer = {k: _np.array(v, dtype=float) for k, v in parameters.items()}
    _wipe([grads])
    return _answer
""",
    },
}


# A cost that answers the visible calls and a guess of the right type elsewhere.
FISHING_COST = """
def compute_cost(AL, Y):
    if _stored("compute_cost", [AL, Y]) is not None:
        return _stored("compute_cost", [AL, Y])
    if _np.any((AL == 0) & (Y == 1)) or _np.any((AL == 1) & (Y == 0)):
        return float("inf")
    return 0.25
"""


def signatures(assignment_id):
    """{solution cell grade_id: (function name, its parameter list as written)}."""
    found = {}
    for grade_id in graded_functions(source(assignment_id)):
        code = cells_by_id(source(assignment_id))[grade_id].source
        for name, signature in re.findall(r"^def (\w+)\((.*?)\):", code, re.M | re.S):
            if name == grade_id:
                found[grade_id] = (name, signature)
    return found


def floor(assignment_id, variant):
    """The floor notebook of `assignment_id`: variant "wipes" or "names", or "fishes" (answers
    the visible calls and returns zeros elsewhere, touching nothing: a hidden check then shows
    the value it expected)."""
    tail = NAMES_TAIL if variant == "names" else WIPES_TAIL
    wipe = "_wipe(_inputs)" if variant != "fishes" else "pass"
    answers = {grade_id: SABOTEUR.format(name=name, signature=signature, tail=tail, wipe=wipe)
               for grade_id, (name, signature) in signatures(assignment_id).items()}
    if variant == "wipes":
        answers.update(SHAPED.get(assignment_id, {}))
    if variant == "fishes" and assignment_id == "03_logistic_regression":
        answers["compute_cost"] = FISHING_COST
    nb = filled(release(assignment_id), answers)
    first = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    nb.cells.insert(first + 1, nbformat.v4.new_code_cell(
        WIPE + ("" if variant == "fishes" else PATCHES)
        + (RAISE_NAMES if variant == "names" else "")))
    return nb


VARIANTS = ("wipes", "names")
