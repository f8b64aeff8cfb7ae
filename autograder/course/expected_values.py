"""Generate each assignment's expected.json from its reference solutions.

The visible checks of a notebook call `check_expected("<call>")` or `expected("<call>")`. This module
finds those call texts in the source notebook's test cells (outside the hidden-test region), runs
the source's solution cells to define the reference functions, evaluates each call and stores the
results next to the source notebook, from where nbgrader releases them with the assignment.
"""

import ast
import json
import math

import nbformat
import numpy as np

from utils.codec import decode, encode
from utils.expected import EXPECTED_FILE, parse

from autograder.course import provided
from autograder.course import CourseError, source_notebook
from autograder.course.nbgrader_cells import is_solution, is_solution_code

LOOKUPS = ("check_expected", "expected")

# A stored float is current if it is within this relative distance of the value computed now.
# numpy chooses its SIMD kernels by CPU (AVX2, AVX-512, NEON, ...), and two CPUs can differ in the
# last bits of exp, tanh or a sum: a few units in the last place, about 1e-15 relative. The visible
# checks compare with rtol 1e-7 (utils.checks.RTOL), so a value this close checks the same way.
STORED_RTOL = 1e-12


def reference_namespace(nb, provided_code=""):
    """Run the solution cells of a source notebook; return the namespace they define.

    nb: the source NotebookNode.
    provided_code: the text of the assignment's course_functions.py, run first, if it has one.
    The namespace starts with numpy as `np`: a call stored in expected.json may use it, the
    provided functions, the graded functions and literals.
    """
    namespace = {"np": np, "__name__": "reference"}
    exec(compile(provided_code, provided.FILE_NAME, "exec"), namespace)
    for cell in nb.cells:
        if is_solution_code(cell):
            exec(compile(cell.source, "<solution cell>", "exec"), namespace)
    return namespace


def visible_calls(nb):
    """The call texts looked up in expected.json by the test cells, in order."""
    calls = []
    for cell in nb.cells:
        if cell.cell_type != "code" or is_solution(cell):
            continue
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in LOOKUPS and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                    and node.args[0].value not in calls):
                calls.append(node.args[0].value)
    return calls


def render(assignment_id):
    """The text expected.json of `assignment_id` must have."""
    nb = nbformat.read(source_notebook(assignment_id), as_version=4)
    provided_code = provided.render(assignment_id) if assignment_id in provided.PROVIDED else ""
    namespace = reference_namespace(nb, provided_code)
    values = {}
    for call in visible_calls(nb):
        try:
            values[call] = encode(eval(call, dict(namespace)))
        except Exception as error:
            raise CourseError(f"{assignment_id}: the reference cannot evaluate {call!r}: "
                              f"{type(error).__name__}: {error}") from error
    document = {
        "about": "Expected values for the visible checks, generated from the reference solutions "
                 "by `python -m autograder expected`. Do not edit.",
        "values": values,
    }
    return json.dumps(document, indent=1, sort_keys=True) + "\n"


def path_of(assignment_id):
    return source_notebook(assignment_id).parent / EXPECTED_FILE


def write(assignment_id):
    """Regenerate expected.json of `assignment_id` unless it is current; return its path if written.

    A file whose values are all within STORED_RTOL of the reference's is left as it is, so that a
    release made on another CPU changes no byte.
    """
    path = path_of(assignment_id)
    text = render(assignment_id)
    if path.is_file() and same_values(path.read_text(), text):
        return None
    path.write_text(text)
    return path


def is_current(assignment_id):
    """True if the stored expected.json holds what the reference computes now, on this CPU."""
    path = path_of(assignment_id)
    return path.is_file() and same_values(path.read_text(), render(assignment_id))


def same_values(stored, fresh):
    """True if two expected.json texts store the same calls, shapes, types and values.

    Compared as numbers, not as bytes (arrays are stored as their bytes, which another CPU may
    round differently): floats may differ by STORED_RTOL relative (NaN equals NaN); dtypes,
    shapes, types and everything else must be equal. A stored file that cannot be read is not
    current.
    """
    try:
        stored, fresh = parse(stored), parse(fresh)
        return (stored.keys() == fresh.keys() and stored["values"].keys() == fresh["values"].keys()
                and all(_same(decode(stored["values"][call]), decode(fresh["values"][call]))
                        for call in fresh["values"]))
    except (ValueError, KeyError, TypeError, AttributeError):
        return False


def _same(a, b):
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        return (a.dtype == b.dtype and a.shape == b.shape
                and (a.dtype.kind not in "fc" and np.array_equal(a, b)
                     or a.dtype.kind in "fc" and bool(np.allclose(a, b, rtol=STORED_RTOL, atol=0.0,
                                                                  equal_nan=True))))
    if isinstance(a, (float, np.floating)) and isinstance(b, (float, np.floating)):
        return type(a) is type(b) and ((math.isnan(a) and math.isnan(b)) or math.isclose(
            a, b, rel_tol=STORED_RTOL, abs_tol=0.0))
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b
