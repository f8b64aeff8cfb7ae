"""Every notebook's fixtures graded through `python -m autograder grade`, in the sandbox.

The same fixtures get these exact scores from nbgrader's API one at a time (tests/test_autograde.py),
so this is the side-by-side check: the parallel, sandboxed grader gives what nbgrader gives.
"""

import importlib

import pytest

from autograder.course import assignment_ids
from grading import grade_cli, hand_in, read_csv

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("test_grade_course")]


def fixtures():
    for assignment_id in assignment_ids():
        module = importlib.import_module(f"submissions.s{assignment_id}")
        for fixture in module.submissions():
            if fixture.student in ("complete", "partial"):
                yield assignment_id, fixture


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    expected = {}
    for assignment_id, fixture in fixtures():
        for student, score in hand_in(root / "submissions", assignment_id, [fixture]).items():
            expected[(student, assignment_id)] = score
    run = grade_cli(root / "submissions", root / "work")
    return run, root / "work", expected


def test_every_notebook_scores_as_nbgrader_scores_it(graded):
    run, workdir, expected = graded
    assert run.returncode == 0, run.stderr[-3000:]
    rows = read_csv(workdir / "grades.csv")
    assert {(r["student_id"], r["assignment"]): float(r["score"]) for r in rows} == expected


def test_no_problems_for_honest_work(graded):
    _, workdir, _ = graded
    assert read_csv(workdir / "problems.csv") == []
