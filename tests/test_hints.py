"""Hints name the mistake and the idea, not the solution: the exact messages plausible mistakes get
from 02's sigmoid checks (graded, and the optional stable_sigmoid's) and 05's linear_backward
check; no hint of these nor of 05's sigmoid_backward and 06's update_parameters holds the solution.
Fast: each check cell of the release runs in this process, against its stored expected values."""

import ast
import re

import numpy as np
import pytest

from autograder.course import SOLUTIONS
from autograder.scoring.judge import hidden_checks
from mistakes import m02_forward_propagation, m05_deep_backprop, m06_training
from notebook_parts import cells_by_id, graded_functions, is_solution, is_test, nbgrader_meta, \
    release, solution_code, source
from utils import CheckError

FORWARD, DEEP, TRAINING = "02_forward_propagation", "05_deep_backprop", "06_training"
STABLE_CHECK = 'passed("stable_sigmoid")'  # the optional exercise's check cell, not graded


def check_cell(assignment_id, where):
    """The release's test cell with grade_id `where`, or the code cell holding the text `where`."""
    nb = release(assignment_id)
    if where in cells_by_id(nb):
        return cells_by_id(nb)[where]
    return next(c for c in nb.cells if c.cell_type == "code" and where in c.source)


def failure_of(monkeypatch, assignment_id, where, function, name):
    """The CheckError of the check cell `where` with the catalogue's mistake `function`/`name`."""
    mistakes = {FORWARD: m02_forward_propagation, DEEP: m05_deep_backprop,
                TRAINING: m06_training}[assignment_id].MISTAKES
    monkeypatch.chdir(SOLUTIONS / assignment_id)
    namespace = {"np": np}
    exec(next(m.code for m in mistakes if (m.function, m.name) == (function, name)), namespace)
    with pytest.raises(CheckError) as failure:
        exec(check_cell(assignment_id, where).source, namespace)
    return failure.value


@pytest.mark.parametrize("name", ["sign-of-exponent", "precedence", "the-slope", "tanh"])
def test_sigmoid_names_the_mistake_not_the_formula(monkeypatch, name):
    failure = failure_of(monkeypatch, FORWARD, "test_sigmoid", "sigmoid", name)
    assert failure.problem.startswith("sigmoid(np.array([[0.0, 1.0, -1.0], [2.0, -3.0, 0.5]])) has "
                                      "the right shape (2, 3) and dtype float64, but ")
    assert failure.hint == (
        "sigmoid(z) lies between 0 and 1, is 0.5 at z = 0 and grows with z. Values mirrored around "
        "0.5 (those of sigmoid(-z)) point at the sign of the exponent; values above 1 at the "
        "brackets around the denominator; values of at most 0.25 at the slope sigmoid(z) "
        "(1 - sigmoid(z)) in place of sigmoid(z).")


def test_stable_sigmoid_precision_hint(monkeypatch):
    failure = failure_of(monkeypatch, FORWARD, STABLE_CHECK, "stable_sigmoid", "tanh-identity")
    assert failure.problem.splitlines()[0] == (
        "stable_sigmoid(np.array([[-700.0, -300.0, -40.0, -20.0, 20.0, 40.0]])) has the right "
        "shape (1, 6) and dtype float64, but 3 of 6 entries differ (rtol=1e-07, atol=0).")
    assert failure.hint == (
        "Small values must keep their relative precision: sigmoid(-40) is about 4.2e-18, not 0. "
        "Clipping Z changes such values, and 0.5 * (1 + tanh(Z / 2)) or 1 - sigmoid(-Z) rounds "
        "them to 0 by cancellation. A tiny result must come out of a quotient whose numerator is "
        "itself tiny, as in the second form above, not out of a difference of two numbers close "
        "to 1.")


def test_stable_sigmoid_overflow_hint(monkeypatch):
    failure = failure_of(monkeypatch, FORWARD, STABLE_CHECK, "stable_sigmoid",
                         "where-evaluates-both-forms")
    assert failure.problem == (
        'stable_sigmoid(np.array([[-1000.0, -720.0, 0.0, 720.0, 1000.0]])) under '
        'np.errstate(over="raise") is a FloatingPointError (FloatingPointError(\'overflow '
        "encountered in exp')); expected a numpy array of shape (1, 5).")
    assert failure.hint == (
        "np.exp overflowed (or the overflow was silenced, and sigmoid(-720) ~ 2e-313 became 0): "
        "exp of a number above 709.78 is beyond the largest float64. Each of the two forms is "
        "safe on one side of 0 only: no call of np.exp may ever see a large positive number. "
        "A choice made entry by entry between two formulas still computes both formulas for "
        "every entry before choosing, so a form meant for one side still runs on the other.")


def test_linear_backward_names_the_mistake_not_the_formulas(monkeypatch):
    failure = failure_of(monkeypatch, DEEP, "test_linear_backward", "linear_backward",
                         "db-one-example")
    assert str(failure) == (
        "db = linear_backward(np.array([[1.0, -2.0], [0.5, 3.0]]), (np.array([[2.0, -1.0], "
        "[0.5, 4.0]]), np.array([[1.0, 2.0], [-3.0, 0.5]]), np.array([[0.5], [-1.0]])))[2] has the "
        "right shape (2, 1) and dtype float64, but 2 of 2 entries differ "
        "(rtol=1e-07, atol=1e-10).\n"
        "    at [0, 0]: got 1.0, expected -0.5\n"
        "    at [1, 0]: got 0.5, expected 1.75\n"
        "  Hint: Each gradient has the shape of the quantity it belongs to, and the shapes decide "
        "where a transpose goes. The 1/m enters once, where the examples are combined (dW and db), "
        "with m the number of examples: the columns of A_prev, not its rows. dA_prev keeps one "
        "column per example and has no 1/m; db holds one number per unit, averaged over the "
        "examples, as a column. Here W is square, so a missing transpose keeps every shape right "
        "and only the values can tell.")


@pytest.mark.parametrize("assignment, where, code", [
    (FORWARD, "test_sigmoid", ["np.exp(-Z)", "1 + exp(", "-|Z|", "np.abs"]),
    (FORWARD, STABLE_CHECK, ["exp(Z) / (1 + exp(Z))", "-|Z|", "np.abs"]),
    (DEEP, "test_linear_backward", ["W.T", "A_prev.T", "axis=1", "keepdims", "/ m"]),
    (DEEP, "test_sigmoid_backward", ["s * (1 - s)", "1 / (1 + exp", "sigmoid(Z) * (1"]),
    (TRAINING, "test_update_parameters", ["parameters[key] -", "grads['d' + key]",
                                      "- learning_rate *"]),
])
def test_hints_hold_no_code_of_the_solution(assignment, where, code):
    source = check_cell(assignment, where).source
    assert [fragment for fragment in code if fragment in source] == []


# ---- No hint gives the code of its own function's solution -------------------------------------

def _strings(node):
    """The text a hint expression is built of: its string constants, f-string parts included."""
    return "".join(n.value for n in ast.walk(node) if isinstance(n, ast.Constant)
                   and isinstance(n.value, str))


def hints_of(code):
    """The hints a check cell (or a section of hidden checks) can show: `hint=` arguments, values
    given to names with "hint" in them, and the messages of CheckErrors it raises itself."""
    found = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Call):
            found += [_strings(k.value) for k in node.keywords if k.arg == "hint"]
            if isinstance(node.func, ast.Name) and node.func.id == "CheckError":
                found += [_strings(a) for a in node.args]
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and "hint" in t.id
                                                for t in node.targets):
            found.append(_strings(node.value))
    return [" ".join(h.split()) for h in found if h]


def solution_fragments(code):
    """Pieces of a reference solution that a hint must not spell out: every call of a numpy (or
    random generator) function, as `np.name(`, and the whole expression of each value the
    solution assigns or returns (six characters or more; inside float(...) too)."""
    tree = ast.parse(code)
    fragments = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            dotted = ast.unparse(node.func)
            if dotted.split(".")[0] in ("np", "rng") and "." in dotted:
                fragments.add(dotted + "(")
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.Return)) and node.value is not None \
                and any(isinstance(n, (ast.Call, ast.BinOp)) for n in ast.walk(node.value)):
            values = [node.value]
            if isinstance(node.value, ast.Call) and ast.unparse(node.value.func) in ("float", "int") \
                    and len(node.value.args) == 1:
                values.append(node.value.args[0])  # float(<the answer>): the answer itself
            for value in values:
                text = " ".join(ast.get_source_segment(code, value).split())
                if len(text) >= 6:
                    fragments.add(text)
    return fragments


def checks_and_their_functions(assignment_id):
    """[(where, check code, the grade_id of the function it checks)]: each graded test cell with
    its hidden checks, and each ungraded check cell that ends with passed(<function>)."""
    nb = source(assignment_id)
    tests = {test: function for function, test in graded_functions(nb).items()}
    hidden = hidden_checks(assignment_id)
    found = []
    for cell in nb.cells:
        if is_test(cell):
            grade_id = nbgrader_meta(cell)["grade_id"]
            found.append((grade_id, cell.source, tests[grade_id]))
            found.append((f"hidden {grade_id}", hidden.get(grade_id, ""), tests[grade_id]))
        elif cell.cell_type == "code" and not nbgrader_meta(cell):
            named = re.findall(r'passed\("(\w+)"\)', cell.source)
            if named and named[-1] in cells_by_id(nb):
                found.append((named[-1], cell.source, named[-1]))
    return found


def test_no_hint_gives_the_code_of_its_solution(assignment_id):
    """A hint teaches what the result must be, not how to write it: none holds a numpy call the
    solution makes, nor the text of a call or an expression of the solution."""
    solutions = {nbgrader_meta(c)["grade_id"]: solution_code(c)
                 for c in source(assignment_id).cells if is_solution(c)}
    given = []
    for where, code, function in checks_and_their_functions(assignment_id):
        fragments = solution_fragments(solutions[function])
        for hint in hints_of(code):
            given += [(where, fragment, hint) for fragment in sorted(fragments) if fragment in hint]
    assert given == []
