"""`python -m autograder grade` on a fixture class: exact scores, problems reported, resumable."""

import pytest
from nbgrader.api import Gradebook

from autograder.course import SOLUTIONS, nbgrader_api, nbgrader_config
from autograder.gradebook_url import gradebook_url
from autograder.grading.job import SCRATCH_STUDENT

from grading import grade_cli, hand_in, read_csv
from notebook_parts import hidden_code, source
from submissions.s01_notation import submissions

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("test_grade")]

ID = "01_notation"


@pytest.fixture(scope="session")
def graded_class(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    folder = root / "submissions"
    expected = hand_in(folder, ID, submissions())
    for student, content in {"truncated": b'{"cells": [', "blank": b"", "binary": b"\x89PNG\x00"}.items():
        (folder / student / ID).mkdir(parents=True)
        (folder / student / ID / f"{ID}.ipynb").write_bytes(content)
        expected[student] = 0
    (folder / "nobook" / ID).mkdir(parents=True)
    expected["nobook"] = 0
    (folder / "stranger" / "99_unknown").mkdir(parents=True)
    first = grade_cli(folder, root / "work")
    second = grade_cli(folder, root / "work")
    return root / "work", expected, first, second


def test_exit_status_and_progress(graded_class):
    _, expected, first, _ = graded_class
    assert first.returncode == 0, first.stderr
    # the three broken notebooks are read and refused in jobs (under the job's time limit)
    assert f"graded {len(submissions()) + 3} submissions" in first.stdout
    assert "stranger: unknown assignment '99_unknown'" in first.stdout  # said, not only in a file


def test_scores_are_exact(graded_class):
    workdir, expected, _, _ = graded_class
    rows = read_csv(workdir / "grades.csv")
    assert {r["student_id"]: float(r["score"]) for r in rows} == expected
    assert {r["max_score"] for r in rows} == {"10"}


def test_gradebook_holds_the_same_scores(graded_class):
    workdir, expected, _, _ = graded_class
    with Gradebook(gradebook_url(workdir)) as gradebook:
        recorded = {s.student.id: s.score for s in gradebook.assignment_submissions(ID)}
    assert recorded == expected


def test_problems_are_reported_in_plain_words(graded_class):
    workdir, _, _, _ = graded_class
    problems = {(r["student_id"], r["problem"]) for r in read_csv(workdir / "problems.csv")}
    text = "\n".join(f"{s}: {p}" for s, p in sorted(problems))
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


def test_rerun_regrades_nothing_and_changes_nothing(graded_class):
    workdir, expected, first, second = graded_class
    assert second.returncode == 0, second.stderr
    assert "graded 0 submissions" in second.stdout
    assert f"kept {len(expected)} results from an earlier run (--force regrades them)" \
        in second.stdout
    assert {r["student_id"]: float(r["score"]) for r in read_csv(workdir / "grades.csv")} == expected


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
