"""Every fixture submission gets its exact score, per grade cell, from real nbgrader.

The whole set of fixtures (every notebook) is graded once through `python -m autograder grade`
(conftest.py's fixture_class, shared with test_grade.py), which runs nbgrader's autograde and
generate_feedback in the sandbox, side by side; the complete work of each notebook (and the partial
work of 03 and 05) is also graded one submission at a time through nbgrader's own API with the
course configuration, which must give the same scores; and the stock settings are checked through
the API as well.
"""

import html
import importlib
import re

import pytest

from nbgrader.api import Gradebook

from autograder.course import assignment_ids
from autograder.course.gradebook_url import gradebook_url
from autograder.course.rubric import hand_graded
from grading import TempCourse, grade_cli, hand_in, read_csv
from notebook_parts import hidden_code, nbgrader_meta, source

pytestmark = pytest.mark.slow


def fixtures(assignment_id):
    return importlib.import_module(f"submissions.s{assignment_id}").submissions()


CASES = [(a, s.student) for a in assignment_ids() for s in fixtures(a)]
# complete work of every notebook, and partial work where most cells fail and pass side by side
SIDE_BY_SIDE = [(a, s) for a, s in CASES
                if s == "complete" or (s == "partial" and a in ("03_logistic_regression",
                                                                 "05_deep_backprop"))]


@pytest.fixture(scope="session")
def graded(fixture_class):
    """Every fixture graded by one `grade` run (conftest.py's fixture_class, which test_grade.py
    reads as well): (work directory, {(student, assignment): {cell: score or None}})."""
    workdir = fixture_class["workdir"]
    cells = {}
    for row in read_csv(workdir / "cells.csv"):
        cells.setdefault((row["student_id"], row["assignment"]), {})[row["cell"]] = (
            None if row["score"] == "" else float(row["score"]))
    return workdir, cells


@pytest.fixture(scope="session")
def courses(tmp_path_factory):
    """A course graded with the course configuration and one graded with nbgrader's defaults."""
    return {"course": TempCourse(tmp_path_factory.mktemp("course")),
            "stock": TempCourse(tmp_path_factory.mktemp("stock"), stock=True)}


def page_text(path):
    """A feedback page reduced to the text it shows."""
    body = re.sub(r"<style.*?</style>|<script.*?</script>", "", path.read_text(), flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", body))


@pytest.mark.xdist_group("all_fixtures")
@pytest.mark.parametrize("assignment, student", CASES, ids=[f"{a}-{s}" for a, s in CASES])
def test_fixture_gets_its_exact_score(graded, assignment, student):
    submission = next(s for s in fixtures(assignment) if s.student == student)
    workdir, cells = graded
    assert cells[(student, assignment)] == submission.scores

    feedback = page_text(workdir / "feedback" / student / assignment / f"{assignment}.html")
    source_cells = source(assignment).cells
    elsewhere = {line.strip() for cell in source_cells
                 for line in cell.source.replace(hidden_code(cell), "").splitlines()}
    hidden_lines = {line.strip() for cell in source_cells
                    for line in hidden_code(cell).splitlines()
                    if len(line.strip()) > 12 and line.strip() not in elsewhere}
    assert not [line for line in hidden_lines if line in feedback], "hidden checks in feedback"
    assert "answer_all(globals()" not in feedback, "the grader's calls in feedback"
    for message in submission.feedback_messages:
        assert message in feedback


@pytest.mark.xdist_group("all_fixtures")
def test_honest_work_raises_no_problem(graded):
    workdir, _ = graded
    honest = {(s, a) for a, s in CASES if s in ("complete", "partial")}
    assert [r for r in read_csv(workdir / "problems.csv")
            if (r["student_id"], r["assignment"]) in honest] == []


@pytest.mark.parametrize("assignment, student", SIDE_BY_SIDE,
                         ids=[f"{a}-{s}" for a, s in SIDE_BY_SIDE])
def test_nbgrader_api_gives_the_same_scores(courses, assignment, student):
    """One submission at a time through nbgrader's API, no sandbox, no parallel workers."""
    submission = next(s for s in fixtures(assignment) if s.student == student)
    course = courses["course"]
    course.submit(student, assignment, submission.notebook)
    assert course.autograde(student, assignment) == submission.scores
    feedback = course.feedback_text(student, assignment)
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


WRITTEN = [(a, nbgrader_meta(c)["grade_id"], nbgrader_meta(c)["points"])
           for a in assignment_ids() for c in source(a).cells if hand_graded(c)]


@pytest.mark.xdist_group("all_fixtures")
@pytest.mark.parametrize("assignment, cell_id, points", WRITTEN,
                         ids=[f"{a}-{c}" for a, c, _ in WRITTEN])
def test_written_answer_is_left_for_manual_grading(graded, assignment, cell_id, points):
    """In the class gradebook of the `grade` run, as formgrader reads it."""
    workdir, _ = graded
    with Gradebook(gradebook_url(workdir)) as gradebook:
        notebook = gradebook.find_submission_notebook(assignment, assignment, "complete")
        grade = next(g for g in notebook.grades if g.name == cell_id)
        assert grade.cell.cell_type == "markdown"
        assert grade.auto_score is None and grade.needs_manual_grade
        assert grade.max_score == points
        assert notebook.needs_manual_grade
