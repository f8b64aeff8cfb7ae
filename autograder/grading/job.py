"""Grade one submission in a scratch nbgrader course of its own: the unit of parallel work.

A job takes a submission folder, the assignment's sources and a gradebook that already knows the
assignment; it runs real `nbgrader autograde` and `generate_feedback` there and returns plain data
(scores per grade cell, failure messages, problems, the feedback file). It touches nothing outside
its scratch folder, so jobs can run side by side, and later on other machines.

`grade(GradingJob) -> Result` is the unit an engine (autograder/grading/engines/) runs. It needs an
active fork server (`autograder.sandbox.kernels.use`): the notebook's kernel is forked in its
sandbox. Engines run jobs in worker processes of their own, so that a crash or a kill at the time
limit takes only that worker with it.
"""

import dataclasses
import hashlib
import json
import pathlib
import re
import shutil
import time
import traceback

import nbformat
from nbgrader.api import Gradebook

from autograder.course import SOLUTIONS, nbgrader_api, nbgrader_config
from autograder.scoring.evidence import RunOnce, SandboxedRunOnce, take_verdicts
from autograder.course.gradebook_url import gradebook_url
from autograder.scoring.preprocessors import timed_out_cells
from autograder.sandbox.cleanup import remove_tree
from autograder.sandbox.kernels import OUTPUT_CAP_NOTE, take_cleanup_problems
from autograder.grading.stage_times import stage
from autograder.grading.stage_times import take as take_stage_times

from .intake import IntakeLimits, Refused, take_in
from .settings import Settings


@dataclasses.dataclass(frozen=True)
class GradingJob:
    """What one job needs: the submission, the assignment's gradebook, a scratch folder, settings.

    Paths are the worker's: a remote engine points template_db and scratch_dir at its own copies.
    """
    student_id: str
    assignment_id: str
    submission_dir: str   # the student's <assignment_id>/ folder
    template_db: str      # an SQLite gradebook that already holds the assignment
    scratch_dir: str      # emptied and used by this job only
    settings: Settings = Settings()

    @property
    def cell_timeout(self):
        return self.settings.cell_timeout

    @property
    def intake(self):
        return dataclasses.asdict(self.settings.intake())


@dataclasses.dataclass
class Result:
    """What a job hands back, with the content (not the paths) of what it wrote, so that it can
    come from another machine. status: "graded", "not graded" or "failed"."""
    status: str
    cells: dict = dataclasses.field(default_factory=dict)   # {grade_id: {score, max_score, ...}}
    problems: list = dataclasses.field(default_factory=list)
    feedback_html: str = None        # the feedback page
    autograded_notebook: str = None  # the autograded notebook (JSON text)
    timestamp: str = None            # the submission's timestamp, as nbgrader read it
    seconds: float = None            # how long the job took
    notebook_sha256: str = None      # of the notebook handed in
    exchange_files: dict = dataclasses.field(default_factory=dict)  # {name: text} beside it
    stages: dict = dataclasses.field(default_factory=dict)  # {stage: seconds}: stage_times

    @classmethod
    def failed(cls, problem, status="failed"):
        return cls(status, problems=[problem])

    def to_plain(self):
        """This Result as JSON text: how a remote worker sends it back."""
        return json.dumps(dataclasses.asdict(self))

    @classmethod
    def from_plain(cls, text):
        """The Result that `to_plain` wrote; ValueError for anything else."""
        found = json.loads(text)
        types = {"status": str, "cells": dict, "problems": list, "feedback_html": str,
                 "autograded_notebook": str, "timestamp": str, "seconds": (int, float),
                 "notebook_sha256": str, "exchange_files": dict, "stages": dict}
        if not isinstance(found, dict) or set(found) != set(types) or not all(
                found[name] is None or isinstance(found[name], kind)
                for name, kind in types.items()):
            raise ValueError("not a grading result")
        return cls(**found)


def grade(job):
    """Grade `job` (needs an active fork server); never raises: an error becomes a failed Result."""
    started = time.perf_counter()
    take_cleanup_problems()  # an earlier job's, already reported with it
    take_stage_times()
    try:
        result = run(job)
    except Exception as error:
        traceback.print_exc()
        result = Result.failed(f"the grader failed on this submission ({type(error).__name__}: "
                               f"{str(error)[:200]}); scored 0")
    result.problems += take_cleanup_problems()
    result.seconds = round(time.perf_counter() - started, 3)
    result.stages = dict(take_stage_times(), job=result.seconds)
    return result


# The student id inside a job's scratch course. nbgrader matches the ids it is given as glob
# patterns (a student folder named `a12-br[1]` matches nothing), so the scratch course never sees
# the real one; the class grader records the scores under the real id.
SCRATCH_STUDENT = "student"


def run(job):
    """Grade `job` in its scratch folder; return its Result (without seconds and stages)."""
    scratch = pathlib.Path(job.scratch_dir)
    left = remove_tree(scratch)
    if left:
        return Result.failed(f"the job's scratch folder could not be emptied: {left}; scored 0")
    intake_problems, refused = take_in_submission(job, scratch)
    if refused:
        return Result.failed(f"{refused}; scored 0", status="not graded")
    job = dataclasses.replace(job, student_id=SCRATCH_STUDENT)
    submitted = scratch / "submitted" / SCRATCH_STUDENT / job.assignment_id
    notebook_sha256 = hashlib.sha256(
        (submitted / f"{job.assignment_id}.ipynb").read_bytes()).hexdigest()
    shutil.copy(job.template_db, scratch / "gradebook.db")
    db_url = gradebook_url(scratch)
    config = nbgrader_config(
        CourseDirectory={"root": str(scratch), "source_directory": str(SOLUTIONS),
                         "release_directory": "release", "db_url": db_url},
        Execute={"timeout": job.cell_timeout})
    sandboxed = {RunOnce: SandboxedRunOnce}
    config.Autograde.autograde_preprocessors = [
        sandboxed.get(step, step) for step in config.Autograde.autograde_preprocessors]
    api = nbgrader_api(config)

    take_verdicts()  # an earlier job's
    with stage("autograde"):
        outcome = api.autograde(job.assignment_id, job.student_id, force=True, create=True)
    verdicts = take_verdicts()
    if not outcome["success"]:
        return Result("failed", problems=[_failure(outcome, job.cell_timeout)],
                      notebook_sha256=notebook_sha256)
    autograded_file = (scratch / "autograded" / job.student_id / job.assignment_id
                       / f"{job.assignment_id}.ipynb")
    autograded_text = autograded_file.read_text()
    autograded = nbformat.reads(autograded_text, as_version=4)
    cells, timestamp = grade_cells(db_url, job.assignment_id, job.student_id)
    for grade_id, (passed, message) in verdicts.items():
        if grade_id in cells and not passed and message:
            cells[grade_id]["message"] = message.strip()
    problems = intake_problems + limit_problems(autograded, job.cell_timeout, timed_out_cells())
    with stage("page"):
        feedback = api.generate_feedback(job.assignment_id, job.student_id, force=True)
    page = scratch / "feedback" / job.student_id / job.assignment_id / f"{job.assignment_id}.html"
    if not feedback["success"] or not page.is_file():
        problems.append("nbgrader could not write the feedback page")
        page = None
    return Result("graded", cells, problems, feedback_html=page.read_text() if page else None,
                  autograded_notebook=autograded_text, timestamp=timestamp,
                  notebook_sha256=notebook_sha256, exchange_files=exchange_files(submitted))


def take_in_submission(job, scratch):
    """Copy the submission into the empty `scratch`'s submitted/ folder: (problems, refusal or None).

    See autograder/grading/intake.py: no link is followed, special files are refused, sizes and
    counts are bounded, and the notebook is read and validated here, under the job's time limit.
    """
    submitted = scratch / "submitted" / SCRATCH_STUDENT / job.assignment_id
    try:
        return take_in(job.submission_dir, submitted, f"{job.assignment_id}.ipynb",
                       IntakeLimits(**job.intake)), None
    except Refused as refusal:
        return [], str(refusal)


# Files nbgrader's exchange writes beside a submitted notebook, which `release_feedback` needs
# beside the feedback page: they name the feedback so that only the student who submitted fetches it.
EXCHANGE_FILES = ("timestamp.txt", "submission_secret.txt")


def exchange_files(submitted):
    """{name: text} of the EXCHANGE_FILES in a taken-in submission folder (at most 1 KiB each)."""
    found = {}
    for name in EXCHANGE_FILES:
        path = submitted / name
        if path.is_file() and not path.is_symlink() and path.stat().st_size <= 1024:
            found[name] = path.read_text(errors="replace")
    return found


def grade_cells(db_url, assignment_id, student_id):
    """({grade_id: {"score", "max_score", "needs_manual_grade"}}, the submission's timestamp) of
    one submission in a gradebook; the timestamp (ISO text, or None) is the one nbgrader read from
    the submission's timestamp.txt."""
    with Gradebook(db_url) as gradebook:
        notebook = gradebook.find_submission_notebook(assignment_id, assignment_id, student_id)
        timestamp = notebook.assignment.timestamp
        return ({g.name: {"score": g.auto_score, "max_score": g.max_score,
                          "needs_manual_grade": bool(g.needs_manual_grade)}
                 for g in notebook.grades},
                timestamp.isoformat() if timestamp else None)


# (error name, words in its message or None, what the instructor reads)
LIMITS = [
    ("MemoryError", None, "ran out of memory (the kernel's memory limit) and was stopped"),
    (None, "Resource temporarily unavailable", "hit the limit on processes and threads"),
    (None, "File too large", "tried to write a file over the size limit"),
    (None, "No space left on device", "filled its scratch space"),
]


def limit_problems(nb, cell_timeout, timed_out=()):
    """Sentences for the cells of an autograded notebook that ran into a sandbox limit.

    timed_out: indices of the cells that the grader itself stopped at the cell limit (never read
    from an output: a student's exception can have any name).
    """
    problems = []
    for number, cell in enumerate(nb.cells, 1):
        name = cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell {number}"
        if number - 1 in timed_out:
            problems.append(f"{name} ran longer than the {cell_timeout} s cell limit and was "
                            f"stopped")
        for output in cell.get("outputs", []):
            shown = output.get("data", {}).get("text/plain", "")
            if output.output_type == "display_data" and shown.startswith(OUTPUT_CAP_NOTE):
                problems.append(f"{name} printed too much; the rest of its output was dropped")
            text = f"{output.get('ename', '')}: {output.get('evalue', '')}"
            if output.output_type != "error":
                continue
            for ename, words, sentence in LIMITS:
                if (ename is None or output.ename == ename) and (words is None or words in text):
                    problems.append(f"{name} {sentence.format(timeout=cell_timeout)}")
                    break
    return problems


def _failure(result, cell_timeout):
    """A sentence for an instructor from nbgrader's failed result."""
    text = (result.get("error") or "") + (result.get("log") or "")
    if "DeadKernelError" in text or "Kernel died" in text:
        return "the notebook's kernel died during grading (a crash or exit); scored 0"
    if "CellTimeoutError" in text or "Timeout waiting" in text:
        return (f"a cell ran longer than the {cell_timeout} s cell limit and did not stop when "
                f"interrupted; scored 0")
    # The last exception named is the cause; nbgrader's own last line ("[ERROR] Please see the
    # above traceback ...") names none.
    errors = re.findall(r"^\s*((?:\w+\.)*\w*(?:Error|Exception|Exit)\b.*)$", text, re.MULTILINE)
    if errors:
        return f"nbgrader could not grade it: {errors[-1].strip()[:300]}"
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return ("nbgrader could not grade it, and named no cause; its log ends: "
            + (lines[-1].strip()[:300] if lines else "(empty)"))
