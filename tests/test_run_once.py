"""One run of the student's cells per submission (autograder/scoring/evidence.py RunOnce), through `grade`.

A notebook whose cells count their own runs in a file of the kernel's scratch shows a count of 1
on its feedback page. A notebook whose one run takes 18 s (three cells of 6 s) is graded in full
under a 30 s job limit, which two runs would exceed.
"""

import json

import nbformat
import pytest

from autograder.course.nbgrader_cells import is_test_code
from grading import grade_cli, hand_in, read_csv
from notebook_parts import filled, release
from submissions import Submission, reference_answers
from submissions.s01_notation import ID, POINTS

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("run_once")]

COUNTS = ('import pathlib\n'
          'with open("runs.txt", "a") as _runs:\n'
          '    _runs.write("run\\n")\n'
          'print("runs:", len(pathlib.Path("runs.txt").read_text().splitlines()))')


def with_cells(*sources):
    """01's complete work with `sources` as new cells after the first code cell."""
    nb = filled(release(ID), reference_answers(ID))
    first = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    for offset, code in enumerate(sources, 1):
        nb.cells.insert(first + offset, nbformat.v4.new_code_cell(code))
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("run-once")
    full = dict(POINTS)
    fixtures = [Submission("counts-runs", with_cells(COUNTS), full),
                Submission("sleeps-18-s", with_cells(*["import time; time.sleep(6)"] * 3), full)]
    expected = hand_in(root / "submissions", ID, fixtures)
    run = grade_cli(root / "submissions", root / "work", "--cell-timeout", "10",
                    "--job-timeout", "30")
    assert run.returncode == 0, run.stderr[-3000:]
    return root / "work", expected


def test_the_students_cells_run_once(graded):
    work, _ = graded
    page = (work / "feedback" / "counts-runs" / ID / f"{ID}.html").read_text()
    assert "runs: 1" in page and "runs: 2" not in page
    autograded = nbformat.read(work / "autograded" / "counts-runs" / ID / f"{ID}.ipynb",
                               as_version=4)
    shown = [o.get("text", "") for c in autograded.cells if c.cell_type == "code"
             for o in c.get("outputs", [])]
    assert "runs: 1\n" in shown


def test_a_run_that_fits_the_limits_once_is_graded_in_full(graded):
    work, expected = graded
    assert {r["student_id"]: float(r["score"]) for r in read_csv(work / "grades.csv")} == expected
    assert [p for p in read_csv(work / "problems.csv") if p["student_id"] == "sleeps-18-s"] == []


def test_each_test_cell_shows_its_visible_messages_and_hidden_verdict_in_place(graded):
    work, _ = graded
    autograded = nbformat.read(work / "autograded" / "counts-runs" / ID / f"{ID}.ipynb",
                               as_version=4)
    tests = [c for c in autograded.cells if is_test_code(c)]
    assert tests
    for cell in tests:
        texts = [o.get("text", "") for o in cell.outputs]
        assert texts[-1] == "All hidden tests of this exercise passed.\n", texts
        assert any(t.endswith(": all visible checks passed.\n") for t in texts[:-1]), texts


def test_each_result_says_where_its_time_went(graded):
    """The stage times the benchmark prints (autograder/grading/stage_times.py): the 18 s of sleeping
    are the student's cells, not the checks, and the stages add up inside the job."""
    work, _ = graded
    stages = json.loads((work / "results" / "sleeps-18-s" / f"{ID}.json").read_text())["stages"]
    assert set(stages) == {"fork", "cells", "checks", "teardown", "autograde", "page", "job",
                           "recording"}, stages
    assert 18 <= stages["cells"] < 30, stages
    assert 0 < stages["checks"] < 18 and 0 < stages["fork"] < 18 and stages["page"] > 0, stages
    inside = stages["fork"] + stages["cells"] + stages["checks"] + stages["teardown"]
    assert inside <= stages["autograde"] <= stages["job"], stages
