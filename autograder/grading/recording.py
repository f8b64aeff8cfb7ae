"""The one writer of a class's results: each job's Result into the class gradebook and the work
directory (docs/architecture.md, stage 6)."""

import dataclasses
import json
import time

from .class_gradebook import record_scores
from .workdir import result_path


def stored_form(result):
    """A Result as its results/<student>/<assignment>.json holds it: every field but the page and
    the notebook, whose paths (relative to the work directory, None until written) stand instead."""
    found = dataclasses.asdict(result)
    del found["feedback_html"], found["autograded_notebook"]
    return dict(found, feedback=None, autograded=None)


def record(workdir, gradebook, submission, result):
    """The one writer: scores into the class gradebook, then the files, then the result file.

    gradebook: the class gradebook, open for the run (nbgrader's Gradebook); result: the job's
    Result. The gradebook gets the autograded scores (manual scores and comments there are kept:
    autograder/grading/class_gradebook.py); DIR/autograded/ the graded notebook, where nbgrader's
    formgrader shows it for manual grading; DIR/feedback/ the page, each written once from the
    Result's content; DIR/results/ the rest, with those files' paths. A failed or ungraded
    submission scores 0 in every grade cell. Recording is idempotent, so a run interrupted between
    the steps records the same scores again when resumed.
    """
    started = time.perf_counter()
    stored = result_path(workdir, submission)
    previous = json.loads(stored.read_text()) if stored.is_file() else {}
    found = stored_form(result)
    resubmitted = previous.get("notebook_sha256") != result.notebook_sha256
    record_scores(gradebook, submission.student_id, submission.assignment_id, found, resubmitted)

    for key, content, file_name in (
            ("feedback", result.feedback_html, f"{submission.assignment_id}.html"),
            ("autograded", result.autograded_notebook, f"{submission.assignment_id}.ipynb")):
        target = workdir / key / submission.student_id / submission.assignment_id / file_name
        if content is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content)
            found[key] = str(target.relative_to(workdir))
        elif key == "autograded":
            target.unlink(missing_ok=True)  # nothing graded now: formgrader must not show old work
        if target.parent.is_dir():  # what nbgrader's generate_ and release_feedback read there
            for name, text in result.exchange_files.items():
                (target.parent / name).write_text(text)
    stored.parent.mkdir(parents=True, exist_ok=True)
    partial = stored.with_suffix(".partial")
    stages = dict(result.stages or {}, recording=round(time.perf_counter() - started, 3))
    partial.write_text(json.dumps(dict(found, stages=stages, student_id=submission.student_id,
                                       assignment=submission.assignment_id), indent=1))
    partial.replace(stored)
