"""Scores that a student's code cannot steer: the truth is fixed before the student's code runs.

One class, graded once through `python -m autograder grade`: for every notebook, two floor
notebooks that implement no graded function (tests/submissions/floors.py: inputs zeroed in place
with answers shaped to match, visible calls answered from expected.json, numpy patched, replies
printed, exceptions named like the grader's) must score exactly 0. A notebook that fishes for
hidden values (03: answers the visible calls, zeros elsewhere) is shown one; its copy under another
name must get the same messages (a regrade is the same grade), and the same notebook with one
comment more must be shown other hidden values (a value shown once does not come back).
"""

import nbformat
import pytest

from autograder.course import assignment_ids
from autograder.scoring.judge import submission_salt
from autograder.course.nbgrader_cells import is_solution_code as is_solution
from autograder.course.nbgrader_cells import is_test_code
from grading import grade_cli, hand_in, read_csv
from submissions import Submission
from submissions.floors import VARIANTS, floor

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("steering")]

FISHED = "03_logistic_regression"  # its floor fails a hidden check that shows the expected value


def commented(nb):
    """`nb` with one comment more in its first solution cell: the same work, other content."""
    nb = nbformat.from_dict(nb)
    first = next(c for c in nb.cells if is_solution(c))
    first.source += "\n# checked again"
    return nb


@pytest.fixture(scope="module")
def steering_class(tmp_path_factory):
    root = tmp_path_factory.mktemp("steering")
    for assignment_id in assignment_ids():
        fixtures = [Submission(f"{variant}-{assignment_id[:2]}", floor(assignment_id, variant), {})
                    for variant in VARIANTS]
        if assignment_id == FISHED:
            fixtures += [Submission(name, nb, {}) for name, nb in (
                ("fishes-03", floor(FISHED, "fishes")), ("fishes-03-copy", floor(FISHED, "fishes")),
                ("fishes-03-comment", commented(floor(FISHED, "fishes"))))]
        hand_in(root / "submissions", assignment_id, fixtures)
    run = grade_cli(root / "submissions", root / "work")
    assert run.returncode == 0, run.stderr[-3000:]
    return root / "work"


def test_a_notebook_that_implements_nothing_scores_exactly_zero(steering_class):
    grades = read_csv(steering_class / "grades.csv")
    assert len(grades) == len(assignment_ids()) * len(VARIANTS) + 3
    assert {(r["student_id"], float(r["score"])) for r in grades} == {
        (r["student_id"], 0.0) for r in grades}


def test_changing_an_input_is_named_as_the_mistake(steering_class):
    messages = {(r["student_id"], r["cell"]): r["message"]
                for r in read_csv(steering_class / "cells.csv")}
    assert messages[("wipes-05", "test_model_backward")].startswith(
        "CheckError: model_backward changed its argument AL in place; it must leave its inputs "
        "as they were, to the last bit."), messages[("wipes-05", "test_model_backward")]
    assert "changed its argument" in messages[("wipes-05", "test_activation_backward")]


def test_an_exception_named_like_the_graders_is_not_a_grader_status(steering_class):
    problems = read_csv(steering_class / "problems.csv")
    said = [p for p in problems if p["student_id"].startswith("names-")]
    assert not [p for p in said if "cell limit" in p["problem"] or "died" in p["problem"]], said


def test_a_value_shown_once_does_not_come_back(steering_class):
    cells = {(r["student_id"], r["cell"]): r["message"]
             for r in read_csv(steering_class / "cells.csv")}
    shown = {student: cells[(student, "test_compute_cost")]
             for student in ("fishes-03", "fishes-03-copy", "fishes-03-comment")}
    assert "expected" in shown["fishes-03"], shown
    assert shown["fishes-03-copy"] == shown["fishes-03"]  # the same notebook: the same trials
    assert shown["fishes-03-comment"] != shown["fishes-03"]  # another notebook: other trials


def test_the_salt_follows_the_students_code_only():
    nb = floor(FISHED, "fishes")
    assert submission_salt(FISHED, nb) == submission_salt(FISHED, nbformat.from_dict(nb))
    assert submission_salt(FISHED, commented(nb)) != submission_salt(FISHED, nb)
    tests_edited = nbformat.from_dict(nb)
    for cell in tests_edited.cells:
        if is_test_code(cell):
            cell.source = "pass"  # test cells are restored by grading: they change nothing
    assert submission_salt(FISHED, tests_edited) == submission_salt(FISHED, nb)
