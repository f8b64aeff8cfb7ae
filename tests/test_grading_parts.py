"""The grading pipeline's parts that need no kernel, in-process: settings, recording a Result, the
CSV writers, the limit sentences, the course fingerprint and the local engine's fault handling."""

import argparse
import csv
import dataclasses

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.course import nbgrader_config
from autograder.course.gradebook_url import gradebook_url
from autograder.grading import job as grading_job
from autograder.grading import settings as grading_settings
from autograder.grading.class_gradebook import create_gradebook
from autograder.grading.discovery import Submission
from autograder.grading.outputs import write_outputs
from autograder.grading.recording import record
from autograder.grading.workdir import load_results, result_path
from autograder.grading.engines.fingerprint import course_fingerprint
from autograder.grading.job import GradingJob, Result, limit_problems
from autograder.grading.settings import Settings
from autograder.sandbox.kernels import OUTPUT_CAP_NOTE

ID = "01_notation"


def test_settings_are_declared_once_and_parsed_whole():
    parser = argparse.ArgumentParser()
    grading_settings.add_arguments(parser)
    assert grading_settings.from_arguments(parser.parse_args([])) == Settings()
    parsed = grading_settings.from_arguments(parser.parse_args(
        ["--cell-timeout", "7", "--job-timeout", "40", "--max-mib", "1.5", "--memory-mib", "512",
         "--figures", "--unsafe-no-sandbox", "--scheduler", "tcp://h:8786"]))
    assert (parsed.cell_timeout, parsed.scheduler, parsed.sandbox) == (7, "tcp://h:8786", False)
    assert parsed.limits().memory_mib == 512 and parsed.limits().cpu_seconds == 40
    assert parsed.intake().notebook_bytes == int(1.5 * 1024 * 1024)
    job = GradingJob("s", ID, "/sub", "/t.db", "/scratch", parsed)
    assert job.cell_timeout == 7 and job.intake["notebook_bytes"] == int(1.5 * 1024 * 1024)
    # the course's own nbgrader configuration, as nbgrader loads it, takes the same default
    assert nbgrader_config().Execute.timeout == Settings().cell_timeout


@pytest.fixture
def class_gradebook(tmp_path):
    """A class gradebook that knows 01 with two graded cells (3 and 7 points)."""
    db_url = gradebook_url(tmp_path)
    create_gradebook(db_url)
    with Gradebook(db_url) as gradebook:
        gradebook.add_assignment(ID)
        gradebook.add_notebook(ID, ID)
        gradebook.add_grade_cell("a", ID, ID, max_score=3, cell_type="code")
        gradebook.add_grade_cell("b", ID, ID, max_score=7, cell_type="code")
    return tmp_path / "work", db_url


def scores(db_url, student):
    with Gradebook(db_url) as gradebook:
        notebook = gradebook.find_submission_notebook(ID, ID, student)
        return {g.name: g.auto_score for g in notebook.grades}


def test_a_result_is_recorded_once_with_its_pages(class_gradebook):
    workdir, db_url = class_gradebook
    submission = Submission("s1", ID, workdir / "in")
    result = Result("graded", {"a": {"score": 3, "max_score": 3, "needs_manual_grade": False}},
                    ["a note"], feedback_html="<p>page</p>", autograded_notebook="{}",
                    timestamp="2026-01-01 10:00:00", seconds=1.5)
    with Gradebook(db_url) as gradebook:
        record(workdir, gradebook, submission, result)
    with Gradebook(db_url) as gradebook:  # a rerun
        record(workdir, gradebook, submission, result)
    assert scores(db_url, "s1") == {"a": 3, "b": 0}  # a cell the job did not report scores 0
    with Gradebook(db_url) as gradebook:
        assert [s.id for s in gradebook.students] == ["s1"]
    assert (workdir / "feedback" / "s1" / ID / f"{ID}.html").read_text() == "<p>page</p>"
    assert (workdir / "autograded" / "s1" / ID / f"{ID}.ipynb").read_text() == "{}"
    # written once, where they belong: no other copy in the work directory
    assert sorted(p.name for p in workdir.rglob("*") if p.is_file() and p.suffix in (
        ".html", ".ipynb")) == [f"{ID}.html", f"{ID}.ipynb"]
    assert result_path(workdir, submission).is_file()
    [stored] = load_results(workdir)
    assert (stored["student_id"], stored["status"], stored["problems"]) == ("s1", "graded",
                                                                           ["a note"])
    assert stored["cells"]["b"]["score"] == 0.0 and stored["timestamp"] == "2026-01-01 10:00:00"


def test_a_regrade_keeps_manual_scores_and_flags_them_only_for_a_changed_notebook(class_gradebook):
    workdir, db_url = class_gradebook
    submission = Submission("s3", ID, workdir / "in")
    run = Gradebook(db_url)  # one grading run's gradebook, open while formgrader writes

    def grade(sha):
        result = Result("graded", {"a": {"score": 0.0, "max_score": 3,
                                         "needs_manual_grade": False}}, [], notebook_sha256=sha)
        record(workdir, run, submission, result)
        with Gradebook(db_url) as gradebook:
            grade_a = gradebook.find_grade("a", ID, ID, "s3")
            return grade_a.auto_score, grade_a.manual_score, grade_a.needs_manual_grade

    grade("first")
    with Gradebook(db_url) as gradebook:  # what formgrader's PUT /api/grade does
        grade_a = gradebook.find_grade("a", ID, ID, "s3")
        grade_a.manual_score, grade_a.needs_manual_grade = 2.0, False
        gradebook.db.commit()
    assert grade("first") == (0.0, 2.0, False)   # the same notebook regraded: nothing to review
    assert grade("second") == (0.0, 2.0, True)   # a new notebook: the score kept, flagged
    run.close()
    write_outputs(workdir, load_results(workdir), [], db_url)
    [row] = csv.DictReader(open(workdir / "grades.csv"))
    assert (row["score"], row["needs_manual_grade"]) == ("2", "a")  # manual 2 + auto 0 for b


def test_a_failed_result_scores_zero_everywhere(class_gradebook):
    workdir, db_url = class_gradebook
    submission = Submission("s2", ID, workdir / "in")
    with Gradebook(db_url) as gradebook:
        record(workdir, gradebook, submission, Result.failed("it broke; scored 0"))
    assert scores(db_url, "s2") == {"a": 0, "b": 0}
    assert not (workdir / "feedback" / "s2").exists()


def test_a_regrade_that_fails_leaves_no_old_work_for_formgrader(class_gradebook):
    """What the result file points to, the files nbgrader reads beside the page, the job's stage
    times kept, and after a regrade that fails, no autograded notebook of the earlier run left for
    formgrader to show (the page stays: it says what the student last got)."""
    workdir, db_url = class_gradebook
    submission = Submission("s4", ID, workdir / "in")
    graded = Result("graded", {"a": {"score": 3, "max_score": 3, "needs_manual_grade": False}},
                    [], feedback_html="<p>page</p>", autograded_notebook="{}",
                    exchange_files={"timestamp.txt": "2026-01-01 10:00:00"},
                    stages={"cells": 0.5})
    with Gradebook(db_url) as gradebook:
        record(workdir, gradebook, submission, graded)
    [stored] = load_results(workdir)
    assert (stored["feedback"], stored["autograded"]) == (f"feedback/s4/{ID}/{ID}.html",
                                                          f"autograded/s4/{ID}/{ID}.ipynb")
    assert (workdir / "feedback" / "s4" / ID / "timestamp.txt").read_text() == \
        "2026-01-01 10:00:00"
    assert (workdir / "autograded" / "s4" / ID / "timestamp.txt").is_file()
    assert stored["stages"]["cells"] == 0.5 and 0 <= stored["stages"]["recording"] < 60

    with Gradebook(db_url) as gradebook:
        record(workdir, gradebook, submission, Result.failed("it broke; scored 0"))
    [stored] = load_results(workdir)
    assert stored["autograded"] is None and stored["feedback"] is None
    assert not (workdir / "autograded" / "s4" / ID / f"{ID}.ipynb").exists()
    assert (workdir / "feedback" / "s4" / ID / f"{ID}.html").read_text() == "<p>page</p>"
    assert scores(db_url, "s4") == {"a": 0, "b": 0}


def test_export_takes_manual_scores_from_the_gradebook_and_refuses_an_empty_folder(
        class_gradebook, tmp_path):
    """`python -m autograder export` without kernels: the tables written again from the class
    gradebook after formgrader's manual score, the hand-graded submission found, and a work
    directory without a graded class refused in words. (Pages regenerated by nbgrader's
    generate_feedback: test_semester.py.)"""
    from autograder.course import CourseError
    from autograder.grading.export import export, hand_graded

    workdir, db_url = class_gradebook
    for student, score in (("ann", 3.0), ("bob", 0.0)):
        with Gradebook(db_url) as gradebook:
            record(workdir, gradebook, Submission(student, ID, workdir / "in"), Result(
                "graded", {"a": {"score": score, "max_score": 3, "needs_manual_grade": False}},
                []))
    assert hand_graded(db_url) == []
    with Gradebook(db_url) as gradebook:  # what formgrader's PUT /api/grade does
        grade_b = gradebook.find_grade("b", ID, ID, "bob")
        grade_b.manual_score = 6.5
        gradebook.db.commit()
    assert hand_graded(db_url) == [("bob", ID)]
    assert export(workdir, db_url) == []  # no autograded notebook: no page to generate again
    rows = {r["student_id"]: r["score"] for r in csv.DictReader(open(workdir / "grades.csv"))}
    assert rows == {"ann": "3", "bob": "6.5"}
    (tmp_path / "empty").mkdir()
    with pytest.raises(CourseError, match="holds no graded class"):
        export(tmp_path / "empty")


def test_the_csv_files_say_what_the_results_hold(tmp_path):
    def stored(student, cells, status="graded", problems=()):
        return {"student_id": student, "assignment": ID, "status": status,
                "problems": list(problems),
                "cells": {n: {"score": s, "max_score": m, **({"message": t} if t else {})}
                          for n, (s, m, t) in cells.items()}}

    results = [stored("s1", {"a": (3, 3, None), "b": (2.5, 7, "CheckError: no\nmore")}),
               stored("s2", {"a": (0, 3, None), "b": (None, 7, None)}, "failed",
                      ["it broke; scored 0"])]
    write_outputs(tmp_path, results, [{"student_id": "x", "assignment": "", "problem": "odd",
                                       "zero": False}])

    def rows(name):
        with open(tmp_path / name, newline="") as f:
            return list(csv.reader(f))

    assert [row[:5] for row in rows("grades.csv")] == [["student_id", "assignment", "score", "max_score", "status"],
                                  ["s1", ID, "5.5", "10", "graded"],
                                  ["s2", ID, "0", "10", "failed"]]
    assert [row[:6] for row in rows("cells.csv")[1:]] == [["s1", ID, "a", "3", "3", ""],
                                     ["s1", ID, "b", "2.5", "7", "CheckError: no"],
                                     ["s2", ID, "a", "0", "3", ""], ["s2", ID, "b", "", "7", ""]]
    assert rows("problems.csv")[1:] == [["s2", ID, "it broke; scored 0"], ["x", "", "odd"]]
    assert (tmp_path / "report.html").is_file()


def cell(grade_id, *outputs):
    node = nbformat.v4.new_code_cell("pass")
    node.metadata["nbgrader"] = {"grade_id": grade_id} if grade_id else {}
    node.outputs = list(outputs)
    return node


def error(ename, evalue):
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[])


def test_limits_are_named_in_plain_words():
    nb = nbformat.v4.new_notebook(cells=[
        cell("t1", error("CellTimeoutError", "cell timed out")),
        cell(None, error("MemoryError", "")),
        cell("t3", error("OSError", "[Errno 11] Resource temporarily unavailable")),
        cell("t4", error("OSError", "[Errno 27] File too large")),
        cell("t5", error("OSError", "[Errno 28] No space left on device")),
        cell("t6", nbformat.v4.new_output("display_data", data={
            "text/plain": f"{OUTPUT_CAP_NOTE}: more than 1024 KiB]"})),
        cell("t7", error("ValueError", "an ordinary mistake")),
        cell("t8", error("CellTimeoutError", "a student's exception of that name")),
    ])
    # Only the cells the grader itself stopped ran past the limit (indices of the notebook).
    assert limit_problems(nb, 12, timed_out=[0]) == [
        "t1 ran longer than the 12 s cell limit and was stopped",
        "cell 2 ran out of memory (the kernel's memory limit) and was stopped",
        "t3 hit the limit on processes and threads",
        "t4 tried to write a file over the size limit",
        "t5 filled its scratch space",
        "t6 printed too much; the rest of its output was dropped",
    ]


def test_nbgraders_failures_are_named_in_plain_words():
    failure = grading_job._failure
    assert "kernel died" in failure({"error": "DeadKernelError: Kernel died"}, 30)
    assert "longer than the 30 s cell limit" in failure({"log": "CellTimeoutError"}, 30)
    assert failure({"log": "line\nValueError: bad\n"}, 30) == \
        "nbgrader could not grade it: ValueError: bad"


def test_the_fingerprint_follows_every_file_of_the_course(tmp_path):
    parts = [tmp_path / "solutions", tmp_path / "utils"]
    for part in parts:
        (part / "sub").mkdir(parents=True)
        (part / "sub" / "f.py").write_text("x = 1\n")
    before = course_fingerprint(parts, tmp_path)
    (parts[0] / "__pycache__").mkdir()
    (parts[0] / "__pycache__" / "f.pyc").write_bytes(b"cache")
    assert course_fingerprint(parts, tmp_path) == before  # caches do not count
    (parts[1] / "sub" / "f.py").write_text("x = 2\n")
    assert course_fingerprint(parts, tmp_path) != before
    assert len(course_fingerprint()) == 16


def test_a_job_that_raises_becomes_a_failed_result(tmp_path):
    job = GradingJob("s", ID, str(tmp_path / "missing"), str(tmp_path / "t.db"),
                     str(tmp_path / "scratch"))
    result = grading_job.grade(dataclasses.replace(job, assignment_id=None))
    assert result.status == "failed" and "the grader failed on this submission" in \
        result.problems[0]


def test_a_limit_is_defaulted_only_in_settings():
    """The kernel's and the intake's limits that `grade` sets have no default of their own: a
    Settings whose defaults differ gives both parts the new values, and the help shows them."""
    import inspect

    from autograder.grading.intake import IntakeLimits, check_notebook, take_in
    from autograder.grading.similarity.source import read_notebook
    from autograder.sandbox import ForkServer, Limits

    for limits in (Limits, IntakeLimits):
        assert all(f.default is dataclasses.MISSING for f in dataclasses.fields(limits))
    for function in (take_in, check_notebook, read_notebook, ForkServer):
        assert inspect.signature(function).parameters["limits"].default is inspect.Parameter.empty
    changed = dataclasses.make_dataclass(
        "Changed", [("memory_mib", int, 1000), ("job_timeout", int, 77), ("max_mib", float, 3)],
        bases=(Settings,), frozen=True)()
    assert (changed.limits().memory_mib, changed.limits().cpu_seconds) == (1000, 77)
    assert changed.intake().notebook_bytes == 3 * 1024 * 1024
    assert (Settings().limits().memory_mib, Settings().limits().cpu_seconds) == (2048, 300)
    assert Settings().intake().notebook_bytes == 20 * 1024 * 1024
    helps = {f.name: f.metadata["help"] for f in dataclasses.fields(Settings)}
    assert helps["memory_mib"].endswith("in MiB (default 2048)")
    assert helps["job_timeout"].endswith("everything included (default 300)")
    assert helps["cell_timeout"] == "seconds per cell (default 30)"
    assert helps["max_mib"].endswith("(default 20)")
    assert helps["workers"].endswith("(default: the number of cores)")
    assert "default" not in helps["force"]


def test_the_documented_limits_are_the_settings_defaults():
    """docs/security.md's limits table and the README's option sentence quote Settings' defaults."""
    from autograder.course import REPO

    table = (REPO / "docs" / "security.md").read_text()
    readme = " ".join((REPO / "README.md").read_text().split())
    defaults = Settings()
    for number, unit, flag in [(defaults.cell_timeout, "s", "cell-timeout"),
                               (defaults.job_timeout, "s", "job-timeout"),
                               (defaults.memory_mib, "MiB", "memory-mib"),
                               (defaults.max_mib, "MiB", "max-mib")]:
        assert f"| {number} {unit} [`--{flag}`] |" in table
    kernel, intake = defaults.limits(), defaults.intake()
    assert f"| largest file written | {kernel.file_mib} MiB |" in table
    assert (f"| scratch space | {kernel.workdir_mib} MiB `/job`, {kernel.tmp_mib} MiB `/tmp`, "
            f"{kernel.tmp_mib} MiB `/dev/shm`; at most {kernel.scratch_files:_} files".replace(
                "_", " ") in table)
    assert f"| processes and threads | {kernel.processes} |" in table
    assert f"| open files | {kernel.open_files} |" in table
    assert f"| cells in the notebook | {intake.max_cells} |" in table
    assert (f"| other files | {intake.other_files} files, {intake.other_bytes // 2**20} MiB, "
            f"{intake.depth} folders deep |" in table)
    assert f"`--cell-timeout` ({defaults.cell_timeout} s," in readme
    assert f"`--job-timeout` ({defaults.job_timeout} s:" in readme
    assert f"`--memory-mib` ({defaults.memory_mib})" in readme
    assert f"`--max-mib` ({defaults.max_mib}," in readme


@pytest.mark.parametrize("folder_name", ["class of 2026", "100% done %41", "what? #1"])
def test_the_gradebook_url_names_its_folder_whatever_the_folder_is_called(tmp_path, folder_name):
    """gradebook_url builds, sqlite_path reads back, and nbgrader's Gradebook opens that very file
    (a URL pasted as text would turn %41 into A and cut the path at ? or #)."""
    from autograder.course import put_environment_on_path
    from autograder.course.gradebook_url import sqlite_path

    put_environment_on_path()  # as the course configuration does: nbgrader runs `alembic`
    folder = tmp_path / folder_name
    folder.mkdir()
    url = gradebook_url(folder)
    assert sqlite_path(url) == folder / "gradebook.db"
    with Gradebook(url) as gradebook:
        gradebook.add_assignment("a1")
    assert sorted(p.name for p in folder.iterdir()) == ["gradebook.db"]
    assert not [p for p in tmp_path.iterdir() if p != folder]
    given = "postgresql://grader:s%40cret@db.example:5432/class"
    assert gradebook_url(folder, given) == given and sqlite_path(given) is None
    assert sqlite_path("sqlite://") is None and sqlite_path("sqlite:///:memory:") is None


# nbgrader metadata of a cell -> (test code, solution code, answer graded by hand, student's own
# output) for a code and a markdown cell; nbgrader's predicates decide, the cell type narrows
CELL_KINDS = [
    (None, (False, False, False, True), (False, False, False, True)),
    ({"grade": True, "solution": False, "locked": True, "points": 2},   # autograder tests
     (True, False, False, False), (False, False, False, False)),
    ({"grade": False, "solution": True, "locked": False},               # autograded answer
     (False, True, False, True), (False, False, False, True)),
    ({"grade": True, "solution": True, "locked": False, "points": 3},   # manually graded answer
     (False, True, False, False), (False, False, True, False)),
    ({"grade": False, "solution": False, "locked": True},               # read-only
     (False, False, False, False), (False, False, False, False)),
    ({"grade": True, "solution": False, "locked": False, "points": 1},  # graded, never locked
     (True, False, False, False), (False, False, False, False)),      # by its metadata
]


@pytest.mark.parametrize("meta, as_code, as_markdown", CELL_KINDS)
def test_cells_are_told_apart_by_nbgraders_predicates(meta, as_code, as_markdown):
    from autograder.course.nbgrader_cells import is_solution_code, is_test_code
    from autograder.course.rubric import hand_graded
    from autograder.sandbox.kernels import _students_cell

    for make, wanted in ((nbformat.v4.new_code_cell, as_code),
                         (nbformat.v4.new_markdown_cell, as_markdown)):
        cell = make("x = 1")
        if meta is not None:
            cell.metadata["nbgrader"] = dict(meta, grade_id="c1")
        assert (is_test_code(cell), is_solution_code(cell), hand_graded(cell),
                _students_cell(cell)) == wanted
