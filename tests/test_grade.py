"""`python -m autograder grade` on a fixture class: exact scores, problems reported, resumable.

The class is conftest.py's fixture_class, graded once for this file and test_autograde.py; the
tests here read its notebook 01 and the wrongly handed-in work added to it.
"""

import pytest
from nbgrader.api import Gradebook

from autograder.course import SOLUTIONS, nbgrader_api, nbgrader_config
from autograder.course.gradebook_url import gradebook_url
from autograder.grading.job import SCRATCH_STUDENT

from grading import read_csv
from notebook_parts import hidden_code, source
from submissions.s01_notation import submissions

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("all_fixtures")]

ID = "01_notation"


@pytest.fixture(scope="session")
def graded_class(fixture_class):
    """The class of conftest.py's fixture_class (every fixture of every notebook, graded once with
    test_autograde.py), seen through 01: (work directory, {student: exact score of 01}, first run,
    second run). The second run went into the same work directory and must grade nothing."""
    expected = {student: score for (student, assignment), score
                in fixture_class["expected"].items() if assignment == ID}
    assert set(expected) >= {"truncated", "blank", "binary", "nobook"}
    return (fixture_class["workdir"], expected, fixture_class["first"],
            fixture_class["second"])


def rows_of_01(name, workdir):
    return [r for r in read_csv(workdir / name) if r["assignment"] == ID]


def test_exit_status_and_progress(graded_class, fixture_class):
    _, expected, first, _ = graded_class
    assert first.returncode == 0, first.stderr
    # the three broken notebooks are read and refused in jobs (under the job's time limit); the
    # folder without a notebook is not a job
    assert f"graded {len(fixture_class['expected']) - 1} submissions" in first.stdout
    assert "stranger: unknown assignment '99_unknown'" in first.stdout  # said, not only in a file


def test_scores_are_exact(graded_class):
    workdir, expected, _, _ = graded_class
    rows = rows_of_01("grades.csv", workdir)
    assert {r["student_id"]: float(r["score"]) for r in rows} == expected
    assert len(rows) == len(expected)  # each student once
    assert {r["max_score"] for r in rows} == {"10"}


def test_gradebook_holds_the_same_scores(graded_class):
    workdir, expected, _, _ = graded_class
    with Gradebook(gradebook_url(workdir)) as gradebook:
        recorded = {s.student.id: s.score for s in gradebook.assignment_submissions(ID)}
    assert recorded == expected


def test_problems_are_reported_in_plain_words(graded_class):
    workdir, _, _, _ = graded_class
    rows = read_csv(workdir / "problems.csv")
    text = "\n".join(f"{r['student_id']}: {r['problem']}" for r in rows)
    problems = {(r["student_id"], r["problem"]) for r in rows if r["assignment"] == ID}
    assert "truncated: 01_notation.ipynb is not a readable notebook" in text
    assert "binary: 01_notation.ipynb is not a readable notebook" in text
    assert "blank: 01_notation.ipynb is empty; scored 0" in text
    assert "nobook: no 01_notation.ipynb in the submission; scored 0" in text
    assert "stranger: unknown assignment '99_unknown'" in text
    assert not any(s in ("complete", "partial", "warns") for s, _ in problems)


def test_feedback_for_every_graded_submission_without_hidden_tests(graded_class):
    workdir, _, _, _ = graded_class
    hidden = [line.strip() for cell in source(ID).cells for line in hidden_code(cell).splitlines()
              if line.strip().startswith("_reference")]
    assert hidden
    for fixture in submissions():
        page = workdir / "feedback" / fixture.student / ID / f"{ID}.html"
        text = page.read_text()
        assert not any(line in text for line in hidden)


def test_rerun_regrades_nothing_and_changes_nothing(graded_class, fixture_class):
    workdir, expected, first, second = graded_class
    assert second.returncode == 0, second.stderr
    assert "graded 0 submissions" in second.stdout
    assert f"kept {len(fixture_class['expected'])} results from an earlier run (--force " \
        "regrades them)" in second.stdout
    assert {(r["student_id"], r["assignment"]): float(r["score"])
            for r in read_csv(workdir / "grades.csv")} == fixture_class["expected"]
    assert {r["student_id"]: float(r["score"]) for r in rows_of_01("grades.csv", workdir)} \
        == expected


def test_report_names_the_frequent_failures(graded_class):
    workdir, _, _, _ = graded_class
    report = (workdir / "report.html").read_text()
    assert "data:image/png;base64," in report
    assert "test_stack_examples" in report and "NotImplementedError" in report


def test_feedback_is_the_page_nbgraders_generate_feedback_writes(graded_class):
    """Workers render feedback with autograder.grading.feedback in one process for many pages;
    `nbgrader generate_feedback` with the course configuration writes the very same page."""
    workdir, _, _, _ = graded_class
    for student in ("complete", "partial"):
        course = workdir / "jobs" / student / ID / "course"
        api = nbgrader_api(nbgrader_config(CourseDirectory={
            "root": str(course), "source_directory": str(SOLUTIONS),
            "db_url": gradebook_url(course)}))
        assert api.generate_feedback(ID, SCRATCH_STUDENT, force=True)["success"]
        stock = (course / "feedback" / SCRATCH_STUDENT / ID / f"{ID}.html").read_text()
        ours = (workdir / "feedback" / student / ID / f"{ID}.html").read_text()
        assert "hidden tests" in stock.lower()
        assert ours == stock
