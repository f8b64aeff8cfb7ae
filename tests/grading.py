"""A throwaway nbgrader course in a temporary folder, graded with the real nbgrader API."""

import csv
import html
import os
import re
import resource
import subprocess
import sys

import nbformat
from nbgrader.api import Gradebook
from traitlets.config import Config

from autograder.course import REPO, SOLUTIONS, nbgrader_api, nbgrader_config
from autograder.course.gradebook_url import gradebook_url


class TempCourse:
    """An nbgrader course rooted in `root` whose sources are the repository's solutions/.

    stock: use nbgrader's default settings instead of the course configuration.
    """

    def __init__(self, root, stock=False):
        self.root = root
        self.db_url = gradebook_url(root)
        directories = {"root": str(root), "source_directory": str(SOLUTIONS),
                       "release_directory": "release", "db_url": self.db_url}
        config = Config({"CourseDirectory": directories}) if stock else \
            nbgrader_config(CourseDirectory=directories)
        self.api = nbgrader_api(config)
        self.released = set()

    def submit(self, student_id, assignment_id, nb):
        """Hand in notebook `nb` (a NotebookNode, or bytes for a broken file) as student_id."""
        if assignment_id not in self.released:
            result = self.api.generate_assignment(assignment_id, force=True, create=True)
            assert result["success"], result.get("log")
            self.released.add(assignment_id)
        folder = self.root / "submitted" / student_id / assignment_id
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{assignment_id}.ipynb"
        if isinstance(nb, bytes):
            path.write_bytes(nb)
        else:
            nbformat.write(nb, path)

    def autograde(self, student_id, assignment_id):
        result = self.api.autograde(assignment_id, student_id, force=True, create=True)
        assert result["success"], result.get("error") or result.get("log")
        return self.scores(student_id, assignment_id)

    def scores(self, student_id, assignment_id):
        """{grade cell id: auto score} of one submission, read back from the gradebook."""
        with Gradebook(self.db_url) as gradebook:
            notebook = gradebook.find_submission_notebook(assignment_id, assignment_id, student_id)
            return {grade.name: grade.auto_score for grade in notebook.grades}

    def feedback_text(self, student_id, assignment_id):
        """Generate the student's feedback with nbgrader; return its HTML reduced to plain text."""
        result = self.api.generate_feedback(assignment_id, student_id, force=True)
        assert result["success"], result.get("error") or result.get("log")
        page = self.root / "feedback" / student_id / assignment_id / f"{assignment_id}.html"
        body = re.sub(r"<style.*?</style>|<script.*?</script>", "", page.read_text(), flags=re.S)
        return html.unescape(re.sub(r"<[^>]+>", "", body))


def hand_in(folder, assignment_id, fixtures, suffix=""):
    """Write each fixture as <student><suffix>/<assignment_id>/<assignment_id>.ipynb under folder.

    Returns {student id: the score the fixture must get}.
    """
    expected = {}
    for fixture in fixtures:
        student = f"{fixture.student}{suffix}"
        target = folder / student / assignment_id
        target.mkdir(parents=True, exist_ok=True)
        nbformat.write(fixture.notebook, target / f"{assignment_id}.ipynb")
        expected[student] = sum(score or 0 for score in fixture.scores.values())
    return expected


def grade_cli(submissions_dir, workdir, *options, workers=2, env=None, timeout=900,
              address_space=None):
    """Run `python -m autograder grade` as an instructor would; return the CompletedProcess.

    address_space: a soft RLIMIT_AS in bytes for the grader and its workers (None: unchanged).
    """
    def lower_limit():
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        resource.setrlimit(resource.RLIMIT_AS, (address_space, hard))

    return subprocess.run([sys.executable, "-m", "autograder", "grade", str(submissions_dir),
                           "--workdir", str(workdir), "--workers", str(workers), *options],
                          cwd=REPO, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})},
                          preexec_fn=lower_limit if address_space else None)


def read_csv(path):
    """The rows of a CSV file the grader wrote, as dicts."""
    with open(path, newline="") as f:
        return list(csv.DictReader(f))
