"""Score tricks on 01_notation: the same wrong answers as a control, plus one trick each.

The control hands in two right functions and two wrong ones (`stack_examples` puts examples in
rows, `initialize_parameters` is left unwritten) and scores CONTROL. Every trick runs in a cell
before the tests (or after them, where it says so) and tries to turn the wrong answers into
points or to read the instructor's material; none may score above CONTROL, and no feedback page
may show a line of a hidden check or a reference solution.
"""

import hashlib
import json

import nbformat

from autograder.scoring.judge import hidden_checks
from mistakes.m01_notation import MISTAKES
from notebook_parts import cells_by_id, filled, release

from . import mistake, reference_answers

ID = "01_notation"
CONTROL = 4  # test_layer_shapes 2 + test_count_parameters 2


def wrong_answers():
    answers = dict(reference_answers(ID),
                   stack_examples=mistake(MISTAKES, "stack_examples", "examples-as-rows"))
    del answers["initialize_parameters"]
    return answers


def with_trick(code):
    """The control's notebook with `code` in a new cell right after the first code cell."""
    nb = filled(release(ID), wrong_answers())
    first = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    nb.cells.insert(first + 1, nbformat.v4.new_code_cell(code))
    return nb


# Wraps stack_examples after every cell (it is defined later): the wrapper's result lies. (A wrapper
# that transposed the wrong result would be a right stack_examples, not a trick: "reads-frames"
# returns what it finds in the stack, or the wrong value unchanged.)
WRAP = '''
def _wrap_after_each_cell(*_):
    ns = get_ipython().user_ns
    f = ns.get("stack_examples")
    if f is not None and not getattr(f, "wrapped", False):
        def lying(*args, **kwargs):
            return MAKE(f(*args, **kwargs))
        lying.wrapped = True
        ns["stack_examples"] = lying
get_ipython().events.register("post_run_cell", _wrap_after_each_cell)
'''


# Emits a result display before every cell runs: stock nbgrader takes a test cell's first result
# as its score, and a non-numeric one as full marks.
RESULT_DISPLAY = '''
def _claim_full_marks(*_):
    get_ipython().displayhook("full marks")
get_ipython().events.register("pre_run_cell", _claim_full_marks)
'''

# Both wrong functions become callers of any reference solution a test leaves in the kernel.
CALLS_REFERENCE = '''
import sys
def _borrowed(name, fallback):
    def function(*args, **kwargs):
        for key, value in list(vars(sys.modules["__main__"]).items()):
            if key.startswith("_reference") and name in key and callable(value):
                return value(*args, **kwargs)
        return fallback(*args, **kwargs)
    return function
def _borrow_after_each_cell(*_):
    ns = get_ipython().user_ns
    for name in ("stack_examples", "initialize_parameters"):
        f = ns.get(name)
        if f is not None and not getattr(f, "borrowed", False):
            ns[name] = _borrowed(name.split("_")[0], f)
            ns[name].borrowed = True
get_ipython().events.register("post_run_cell", _borrow_after_each_cell)
'''

# Prints everything the kernel remembers of the cells it ran, last of all.
PRINTS_HISTORY = '''
import linecache
ip = get_ipython()
print("In:", In)
print("_ih:", _ih)
print("history:", list(ip.history_manager.get_range(raw=True, output=False)))
print("linecache:", {name: "".join(entry[2]) for name, entry in linecache.cache.items()
                     if isinstance(entry, tuple) and len(entry) > 2})
print("globals:", {k: repr(v)[:200] for k, v in ip.user_ns.items() if not k.startswith("__")})
'''


# Replaces the kernel side of the grader's calls with one that answers every call with `REPLY`
# (where the grader takes its replies from), and prints the same lines, as replies once travelled.
FORGED_REPLY = '''
import json, utils.probe
def _forged(namespace, requests):
    lines = [f"{utils.probe.MARK} {index} " + REPLY for index, _ in enumerate(json.loads(requests))]
    print("\\n".join(lines))
    utils.probe._REPLIES[:] = lines
utils.probe.answer_all = _forged
'''
# An array declared as 40000 x 40000 float64 (12.8 GB), holding one number.
HUGE_ARRAY = '\'{"value": {"array": "AAAAAAAAAAA=", "dtype": "<f8", "shape": [40000, 40000]}, "changed": [], "after": []}\''
# Nested 15000 levels deep: json.loads raises RecursionError on it.
DEEP_REPLY = '\'{"value": \' + "[" * 15000 + "]" * 15000 + \'}\''


def hidden_check_lines():
    """The lines of 01's hidden checks that no released cell holds."""
    public = {line.strip() for cell in release(ID).cells for line in cell.source.splitlines()}
    return sorted({line.strip() for code in hidden_checks(ID).values() for line in code.splitlines()
                   if len(line.strip()) > 20 and line.strip() not in public})


def secret_detector(secret_lines):
    """Code for a cell that watches its kernel for any of `secret_lines` (hashed, so that the cell
    itself holds none) in any cell run, and for reference or expected values in its globals.
    Once it sees one, every graded function raises and each later cell prints SECRET SEEN."""
    hashes = sorted(hashlib.sha256(line.encode()).hexdigest() for line in secret_lines)
    return f'''
import hashlib, sys
_HASHES = set({json.dumps(hashes)})
_seen = []
def _watch(*_):
    ip = get_ipython()
    for source in list(ip.user_ns.get("In", [])) + list(ip.user_ns.get("_ih", [])):
        for line in str(source).splitlines():
            if hashlib.sha256(line.strip().encode()).hexdigest() in _HASHES:
                _seen.append(line)
    for name in list(ip.user_ns):
        if name.startswith(("_reference", "_want", "_expected", "_gradient_check_reference")):
            _seen.append(name)
    if _seen:
        print("SECRET" + " SEEN")
        for name in ("layer_shapes", "stack_examples", "count_parameters", "initialize_parameters"):
            ip.user_ns[name] = None
get_ipython().events.register("post_run_cell", _watch)
'''


def at_end(nb, code):
    """`nb` with `code` in a new last cell."""
    nb.cells.append(nbformat.v4.new_code_cell(code))
    return nb


def moved(nb, grade_id, before_id):
    """`nb` with the test cell `grade_id` moved to just before the cell `before_id`."""
    cell = cells_by_id(nb)[grade_id]
    nb.cells.remove(cell)
    nb.cells.insert(nb.cells.index(cells_by_id(nb)[before_id]), cell)
    return nb


def tricks():
    """[(name, notebook)]: each must score at most CONTROL (exactly CONTROL, as it happens)."""
    retyped = filled(release(ID), wrong_answers())
    cells_by_id(retyped)["test_stack_examples"].cell_type = "markdown"
    cells_by_id(retyped)["test_stack_examples"].pop("outputs", None)
    cells_by_id(retyped)["test_stack_examples"].pop("execution_count", None)
    return [
        ("control", filled(release(ID), wrong_answers())),
        ("patches-utils", with_trick(
            "import utils, utils.checks, utils.expected\n"
            "utils.check = utils.checks.check = lambda *a, **k: None\n"
            "utils.check_expected = utils.expected.check_expected = lambda *a, **k: None\n"
            "utils.check_raises = utils.checks.check_raises = lambda *a, **k: None\n"
            "utils.passed = utils.checks.passed = lambda *a, **k: print('All checks passed. Score: 10/10')\n"
            "import builtins\nbuiltins.NotImplementedError = type('Fine', (Exception,), {})\n")),
        ("patches-numpy", with_trick(
            "import numpy as np\n"
            "np.allclose = lambda *a, **k: True\nnp.array_equal = lambda *a, **k: True\n"
            "np.isclose = lambda a, b, *r, **k: np.ones(np.broadcast(a, b).shape, bool)\n"
            "np.testing.assert_allclose = lambda *a, **k: None\n"
            "np.testing.assert_array_equal = lambda *a, **k: None\n")),
        ("lying-array", with_trick(
            "import numpy as np\n"
            "class Agreeable(np.ndarray):\n"
            "    def __eq__(self, other): return True\n"
            "    def __ne__(self, other): return False\n"
            "    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):\n"
            "        return np.True_\n"
            "    def __array_function__(self, func, types, args, kwargs):\n"
            "        return True\n"
            "MAKE = lambda value: np.asarray(value).view(Agreeable)\n" + WRAP)),
        ("swallows-errors", with_trick(
            "get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)\n")),
        ("hides-tracebacks", with_trick(
            "ip = get_ipython()\n"
            "ip.showtraceback = lambda *a, **k: None\n"
            "ip._showtraceback = lambda *a, **k: None\n"
            "ip.showsyntaxerror = lambda *a, **k: None\n")),
        ("rewrites-tests", with_trick(
            "def _blank(lines):\n"
            "    text = ''.join(lines)\n"
            "    if 'check' in text or 'probe' in text or 'passed' in text:\n"
            "        return ['pass\\n']\n"
            "    return lines\n"
            "get_ipython().input_transformers_cleanup.append(_blank)\n")),
        ("reads-frames", with_trick(
            "import sys, numpy as np\n"
            "def MAKE(value):\n"
            "    frame = sys._getframe(2)\n"
            "    while frame is not None:\n"
            "        for name, seen in list(frame.f_locals.items()) + list(frame.f_globals.items()):\n"
            "            if name.startswith('_reference') and callable(seen):\n"
            "                try:\n"
            "                    return seen(*frame.f_locals.get('_args', ()))\n"
            "                except Exception:\n"
            "                    pass\n"
            "            if isinstance(seen, np.ndarray) and seen.shape == value.T.shape \\\n"
            "                    and name != 'value':\n"
            "                return seen\n"
            "        frame = frame.f_back\n"
            "    return value\n" + WRAP)),
        ("retypes-test", retyped),
        ("fakes-output", with_trick(
            "print('All checks passed.')\nprint('test_stack_examples: 2 / 2 points')\n"
            "print('Score: 10.0 / 10.0')\n")),
        ("result-display", with_trick(RESULT_DISPLAY)),
        ("calls-reference", moved(with_trick(CALLS_REFERENCE), "test_stack_examples",
                                  "test_initialize_parameters")),
        ("prints-history", at_end(filled(release(ID), wrong_answers()), PRINTS_HISTORY)),
        ("forges-huge-array", with_trick(FORGED_REPLY.replace("REPLY", HUGE_ARRAY))),
        ("forges-deep-reply", with_trick(FORGED_REPLY.replace("REPLY", DEEP_REPLY))),
    ]
