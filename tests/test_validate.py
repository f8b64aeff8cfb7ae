"""`nbgrader validate`, as a student runs it from the course root, shows each message whole."""

import pathlib
import shutil
import subprocess
import sys

import nbformat
import pytest

from autograder.course import REPO
from submissions.s01_notation import ID, submissions

pytestmark = pytest.mark.slow


def test_validate_wraps_a_long_message_instead_of_cutting_it(tmp_path):
    partial = next(s for s in submissions() if s.student == "partial")
    nbformat.write(partial.notebook, tmp_path / f"{ID}.ipynb")
    shutil.copy(REPO / "notebooks" / ID / "expected.json", tmp_path)
    nbgrader = pathlib.Path(sys.executable).parent / "nbgrader"
    run = subprocess.run([str(nbgrader), "validate", str(tmp_path / f"{ID}.ipynb")], cwd=REPO,
                         capture_output=True, text=True, timeout=600)
    assert "VALIDATION FAILED" in run.stdout, run.stdout + run.stderr
    error = run.stdout.split("CheckError:", 1)[1].split("=" * 20, 1)[0]
    words = " ".join(error.split())
    assert ("X = stack_examples([np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0])]) has "
            "shape (2, 3), expected (3, 2).") in words
    assert "so each column is one example and each row one input feature." in words
    assert not [line for line in run.stdout.splitlines() if line.endswith("...")]
