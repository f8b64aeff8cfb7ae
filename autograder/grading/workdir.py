"""The work directory's own files: where a job's scratch folder and a submission's result file are.

Layout of the work directory:
    gradebook.db (unless --db-url)  the class gradebook; only the class grader's writer touches it
    template/gradebook.db           a gradebook holding every assignment, which jobs copy
    workers/<slot>/                 a local grading worker's spool and kernel uid, and its log
    jobs/<student>/<assignment>/    a job's scratch course (local engine), kept for inspection
    results/<student>/<assignment>.json   a finished submission; its presence means "done"
    feedback/<student>/<assignment>/<assignment>.html, autograded/<student>/<assignment>/
    grades.csv, cells.csv, problems.csv, report.html
    similarity.csv, similarity/     whose code is alike (autograder/grading/similarity/)
"""

import hashlib
import json
import re

from autograder.course import CourseError
from autograder.sandbox.cleanup import remove_tree


GLOB_CHARACTERS = re.compile(r"[][*?]")


def job_folder(workdir, student_id, assignment_id):
    """jobs/<student>/<assignment>: a job's folder, kept for inspection.

    nbgrader reads the paths of its course as glob patterns, so a student id with [ ] * ? is
    written there with those characters replaced and a digest of the id, which keeps it unique.
    """
    name = student_id
    if GLOB_CHARACTERS.search(name):
        digest = hashlib.sha256(name.encode()).hexdigest()[:8]
        name = f"{GLOB_CHARACTERS.sub('_', name)}-{digest}"
    return workdir / "jobs" / name / assignment_id


def empty_folder(folder):
    """Remove `folder` (of an earlier run), whatever it holds; CourseError if it cannot go."""
    left = remove_tree(folder)
    if left:
        raise CourseError(f"{left}. Remove {folder} by hand: this run writes there")


def result_path(workdir, submission):
    return workdir / "results" / submission.student_id / f"{submission.assignment_id}.json"


def load_results(workdir):
    return [json.loads(p.read_text()) for p in sorted((workdir / "results").glob("*/*.json"))]
