"""Each plausible mistake fails its visible check with the message meant for it, and the grader's
verdict (visible and hidden checks judged outside the kernel, autograder/scoring/judge.py); a mistake meant
for an ungraded check (an optional exercise's, the per-layer check) fails that check."""

import importlib

import pytest

from autograder.course import SOLUTIONS, assignment_ids
from autograder.scoring.judge import judge_cell
from kernels import Kernel, kernel_link
from mistakes import writes_into_an_input
from notebook_parts import cells_by_id, graded_functions, is_solution, nbgrader_meta, release, \
    solution_code, source

pytestmark = pytest.mark.slow


# Graded functions that receive no array, dict or list: nothing of their inputs can be changed.
NO_CONTAINER_INPUTS = {"numerical_derivative", "multivariate_chain"}


def mistakes_of(assignment_id):
    """The module's catalogue, and for every graded function that receives arrays, dicts or
    lists a generated case that writes into one of them (caught by its own visible check)."""
    nb = source(assignment_id)
    generated = [writes_into_an_input(f, solution_code(cells_by_id(nb)[f]))
                 for f in graded_functions(nb) if f not in NO_CONTAINER_INPUTS]
    return importlib.import_module(f"mistakes.m{assignment_id}").MISTAKES + generated


CASES = [(a, m) for a in assignment_ids() for m in mistakes_of(a)]
GRADED = [(a, m) for a, m in CASES if not m.caught_by]
UNGRADED = [(a, m) for a, m in CASES if m.caught_by]


def test_knock_on_cases_blame_the_callee():
    """A correct caller of a wrong function fails, and its message names the wrong function."""
    for assignment_id, mistake in CASES:
        if mistake.checked_in:
            assert mistake.message.startswith(f"{mistake.function} is wrong, and the function "
                                              f"checked here uses it"), mistake


@pytest.fixture(scope="module")
def kernels():
    """One kernel per assignment, started in its source folder, with the reference solutions defined."""
    started = {}
    yield lambda assignment_id: started.get(assignment_id) or started.setdefault(
        assignment_id, _start(assignment_id))
    for kernel in started.values():
        kernel.__exit__(None, None, None)


def _start(assignment_id):
    kernel = Kernel(SOLUTIONS / assignment_id).__enter__()
    setup = cells_by_id(source(assignment_id))["setup"]
    assert kernel.run(setup.source).ok
    for cell in source(assignment_id).cells:
        if is_solution(cell):
            assert kernel.run(solution_code(cell)).ok
    return kernel


def test_every_graded_function_has_mistakes(assignment_id):
    covered = {m.function for m in mistakes_of(assignment_id) if not m.caught_by}
    assert covered == set(graded_functions(source(assignment_id)))


def test_every_optional_exercise_has_mistakes_its_check_catches(assignment_id):
    """A solution cell with no graded test cell (an optional exercise) has mistakes, all of them
    caught by its ungraded check."""
    nb = source(assignment_id)
    optional = {nbgrader_meta(c)["grade_id"] for c in nb.cells if is_solution(c)} - set(
        graded_functions(nb))
    for function in optional:
        cases = [m for m in mistakes_of(assignment_id) if m.function == function]
        assert cases and all(m.caught_by for m in cases), function


def check_cell(assignment_id, caught_by):
    """The one ungraded code cell of the release that ends its checks with passed(caught_by)."""
    found = [c for c in release(assignment_id).cells if c.cell_type == "code"
             and not nbgrader_meta(c) and f'passed("{caught_by}")' in c.source]
    assert len(found) == 1, (assignment_id, caught_by)
    return found[0]


def fails_with_its_message(kernel, visible, mistake):
    """The check cell `visible` passes the reference defined in `kernel`, then fails once
    `mistake` is defined, with the mistake's message and without the check library's frames."""
    assert kernel.run(visible).ok, "the reference fails the check"
    assert kernel.run(mistake.code).ok
    run = kernel.run(visible)
    assert not run.ok, "the check passed a wrong implementation"
    assert run.error.startswith("CheckError"), run.error
    if mistake.exact:
        assert run.error == f"CheckError: {mistake.message}", run.error
    assert mistake.message in run.error, run.error
    assert "checks.py" not in run.traceback, "the student sees the check library's frames"


@pytest.mark.parametrize("assignment, mistake", UNGRADED, ids=[f"{a}-{m}" for a, m in UNGRADED])
def test_ungraded_check_catches_its_mistakes(kernels, assignment, mistake):
    """An optional exercise's check and the per-layer check: no grade, the same kind of message."""
    kernel = kernels(assignment)
    visible = check_cell(assignment, mistake.caught_by).source
    reference = solution_code(cells_by_id(source(assignment))[mistake.function])
    try:
        fails_with_its_message(kernel, visible, mistake)
    finally:
        assert kernel.run(reference).ok


@pytest.mark.parametrize("assignment, mistake", GRADED, ids=[f"{a}-{m}" for a, m in GRADED])
def test_mistake_is_caught_with_its_message(kernels, assignment, mistake):
    assignment_id = assignment
    kernel = kernels(assignment_id)
    test_id = graded_functions(source(assignment_id))[mistake.checked_in or mistake.function]
    visible = cells_by_id(release(assignment_id))[test_id].source
    reference = solution_code(cells_by_id(source(assignment_id))[mistake.function])
    try:
        fails_with_its_message(kernel, visible, mistake)
        own_id = graded_functions(source(assignment_id))[mistake.function]
        passed, message = judge_cell(assignment_id, own_id, kernel_link(kernel))
        assert not passed, "the grader passed a wrong implementation"
        assert message
        if mistake.exact and not mistake.checked_in:
            # The grader words it as the page does (utils.raised, utils.checks).
            assert message == f"CheckError: {mistake.grader or mistake.message}", message
        if mistake.checked_in:
            # The notebook's own run names the wrong callee in its caller's cell (above); the
            # grader judges the caller with the reference in the callee's place: the mistake
            # costs its own cell only.
            passed, message = judge_cell(assignment_id, test_id, kernel_link(kernel))
            assert passed, f"a wrong {mistake.function} cost its caller's cell: {message}"
    finally:
        assert kernel.run(reference).ok


HIDDEN_ONLY = [(a, m) for a in assignment_ids()
               for m in getattr(importlib.import_module(f"mistakes.m{a}"), "HIDDEN_ONLY", [])]


@pytest.mark.parametrize("assignment, mistake", HIDDEN_ONLY, ids=[f"{a}-{m}" for a, m in HIDDEN_ONLY])
def test_hidden_checks_name_the_mistake(kernels, assignment, mistake):
    """A mistake the visible checks pass: the grader's hidden checks fail it with its exact
    message."""
    kernel = kernels(assignment)
    test_id = graded_functions(source(assignment))[mistake.function]
    visible = cells_by_id(release(assignment))[test_id].source
    reference = solution_code(cells_by_id(source(assignment))[mistake.function])
    try:
        assert kernel.run(mistake.code).ok
        assert kernel.run(visible).ok, "the visible checks were meant to pass it"
        passed, message = judge_cell(assignment, test_id, kernel_link(kernel))
        assert not passed, "the grader passed a wrong implementation"
        assert message == f"CheckError: {mistake.message}", message
    finally:
        assert kernel.run(reference).ok


def test_a_check_cell_names_an_error_raised_in_a_direct_call(tmp_path):
    """A check cell (it starts with `from utils import`) that calls a notebook function itself,
    outside check_expected and uses: an exception raised inside the function is the teaching
    message, traceback cut to the student's cell. Other cells show Python's own traceback."""
    with Kernel(tmp_path) as kernel:
        assert kernel.run("import utils").ok
        assert kernel.run('def halve(values, scale=2.0):\n    return values["x"] / scale\n').ok
        run = kernel.run('from utils import check\n\nhalve({"y": 1.0}, 4.0)')
        assert run.error == (
            "CheckError: halve(values, scale) raised KeyError: 'x'\n"
            "  In your code (line numbers count from the top of the function's cell):\n"
            "    halve, line 2: return values[\"x\"] / scale\n"
            "  The arguments: values is a dict with keys ['y']; scale is the float 4.0.\n"
            "  Hint: A dict was asked for the key 'x', which it does not hold. values holds "
            "['y'].")
        assert kernel.run('halve({"y": 1.0})').error == "KeyError: 'x'"
        assert kernel.run("halve").stdout == ""  # the function itself is back in place
        assert kernel.run("assert halve.__name__ == 'halve' and not hasattr(halve, '__wrapped__')").ok
