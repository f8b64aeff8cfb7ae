"""Score tricks on 01_notation: the same wrong answers as a control, plus one trick each.

The control hands in two right functions and two wrong ones (`stack_examples` puts examples in
rows, `initialize_parameters` is left unwritten) and scores CONTROL. Every trick runs in a cell
before the tests and tries to turn the wrong answers into points; none may score above CONTROL.
"""

import nbformat

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


# Wraps stack_examples after every cell (it is defined later): the wrapper's result lies.
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
            "    return value.T\n" + WRAP)),
        ("retypes-test", retyped),
        ("fakes-output", with_trick(
            "print('All checks passed.')\nprint('test_stack_examples: 2 / 2 points')\n"
            "print('Score: 10.0 / 10.0')\n")),
    ]
