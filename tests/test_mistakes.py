"""Each plausible mistake fails its visible check with the message meant for it, and the grader's
verdict (visible and hidden checks judged outside the kernel, autograder/judge.py)."""

import importlib

import pytest

from autograder.course import SOLUTIONS, assignment_ids
from autograder.judge import judge_cell
from kernels import Kernel, kernel_link
from notebook_parts import cells_by_id, graded_functions, is_solution, release, solution_code, \
    source

pytestmark = pytest.mark.slow


def mistakes_of(assignment_id):
    return importlib.import_module(f"mistakes.m{assignment_id}").MISTAKES


CASES = [(a, m) for a in assignment_ids() for m in mistakes_of(a)]


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
    covered = {m.function for m in mistakes_of(assignment_id)}
    assert covered == set(graded_functions(source(assignment_id)))


@pytest.mark.parametrize("assignment, mistake", CASES, ids=[f"{a}-{m}" for a, m in CASES])
def test_mistake_is_caught_with_its_message(kernels, assignment, mistake):
    assignment_id = assignment
    kernel = kernels(assignment_id)
    test_id = graded_functions(source(assignment_id))[mistake.checked_in or mistake.function]
    visible = cells_by_id(release(assignment_id))[test_id].source
    reference = solution_code(cells_by_id(source(assignment_id))[mistake.function])
    try:
        assert kernel.run(visible).ok, "the reference fails its own visible check"
        assert kernel.run(mistake.code).ok
        run = kernel.run(visible)
        assert not run.ok, "the visible check passed a wrong implementation"
        assert run.error.startswith("CheckError"), run.error
        assert mistake.message in run.error, run.error
        assert "checks.py" not in run.traceback, "the student sees the check library's frames"
        passed, message = judge_cell(assignment_id, test_id, kernel_link(kernel))
        assert not passed, "the grader passed a wrong implementation"
        assert message
    finally:
        assert kernel.run(reference).ok
