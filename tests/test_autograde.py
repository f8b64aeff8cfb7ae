"""Real nbgrader autograde, with a real gradebook, gives each fixture submission its exact score."""

import importlib

import pytest

from nbgrader.api import Gradebook

from autograder.course import assignment_ids
from grading import TempCourse
from notebook_parts import hidden_code, nbgrader_meta, source

pytestmark = pytest.mark.slow


def fixtures(assignment_id):
    return importlib.import_module(f"submissions.s{assignment_id}").submissions()


CASES = [(a, s.student) for a in assignment_ids() for s in fixtures(a)]


@pytest.fixture(scope="session")
def courses(tmp_path_factory):
    """A course graded with the course configuration and one graded with nbgrader's defaults."""
    return {"course": TempCourse(tmp_path_factory.mktemp("course")),
            "stock": TempCourse(tmp_path_factory.mktemp("stock"), stock=True)}


@pytest.mark.parametrize("assignment, student", CASES, ids=[f"{a}-{s}" for a, s in CASES])
def test_fixture_gets_its_exact_score(courses, assignment, student):
    submission = next(s for s in fixtures(assignment) if s.student == student)
    course = courses["course"]
    course.submit(student, assignment, submission.notebook)
    assert course.autograde(student, assignment) == submission.scores

    feedback = course.feedback_text(student, assignment)
    cells = source(assignment).cells
    elsewhere = {line.strip() for cell in cells
                 for line in cell.source.replace(hidden_code(cell), "").splitlines()}
    hidden_lines = {line.strip() for cell in cells for line in hidden_code(cell).splitlines()
                    if len(line.strip()) > 12 and line.strip() not in elsewhere}
    assert not [line for line in hidden_lines if line in feedback], "hidden checks in feedback"
    assert "answer_all(globals()" not in feedback, "the grader's calls in feedback"
    for message in submission.feedback_messages:
        assert message in feedback


@pytest.mark.parametrize("assignment, student",
                         [(a, s.student) for a in assignment_ids() for s in fixtures(a)
                          if s.stock_scores is not None])
def test_stock_nbgrader_settings(courses, assignment, student):
    """The reference scores full marks under nbgrader's defaults (no stderr, no timeout), and the
    warning fixture shows what the course configuration changes: stock nbgrader zeroes a cell
    that writes a warning to stderr."""
    submission = next(s for s in fixtures(assignment) if s.student == student)
    course = courses["stock"]
    course.submit(student, assignment, submission.notebook)
    assert course.autograde(student, assignment) == submission.stock_scores


def is_written_answer(cell):
    meta = nbgrader_meta(cell)
    return cell.cell_type == "markdown" and meta.get("grade", False) and meta.get("solution", False)


WRITTEN = [(a, nbgrader_meta(c)["grade_id"], nbgrader_meta(c)["points"])
           for a in assignment_ids() for c in source(a).cells if is_written_answer(c)]


@pytest.mark.parametrize("assignment, cell_id, points", WRITTEN,
                         ids=[f"{a}-{c}" for a, c, _ in WRITTEN])
def test_written_answer_is_left_for_manual_grading(tmp_path, assignment, cell_id, points):
    complete = next(s for s in fixtures(assignment) if s.student == "complete")
    course = TempCourse(tmp_path)
    course.submit("manual", assignment, complete.notebook)
    course.autograde("manual", assignment)
    with Gradebook(course.db_url) as gradebook:
        notebook = gradebook.find_submission_notebook(assignment, assignment, "manual")
        grade = next(g for g in notebook.grades if g.name == cell_id)
        assert grade.cell.cell_type == "markdown"
        assert grade.auto_score is None and grade.needs_manual_grade
        assert grade.max_score == points
        assert notebook.needs_manual_grade
