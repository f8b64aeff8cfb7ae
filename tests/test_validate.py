"""`nbgrader validate` shows each message whole: from the course root, and on a hub's student
server configured by `hub-config` alone (no course configuration, no repository)."""

import pathlib
import shutil
import subprocess
import sys

import nbformat
import pytest

from autograder.start import roles
from autograder.course import REPO
from submissions.s01_notation import ID, submissions

pytestmark = pytest.mark.slow
NBGRADER = pathlib.Path(sys.executable).parent / "nbgrader"


def partial_work(folder):
    """The partial fixture of 01, with its expected.json, in `folder`; the notebook's path."""
    folder.mkdir(parents=True, exist_ok=True)
    partial = next(s for s in submissions() if s.student == "partial")
    nbformat.write(partial.notebook, folder / f"{ID}.ipynb")
    shutil.copy(REPO / "notebooks" / ID / "expected.json", folder)
    shutil.copytree(REPO / "notebooks" / ID / "utils", folder / "utils")
    return folder / f"{ID}.ipynb"


def assert_whole_message(run):
    assert "VALIDATION FAILED" in run.stdout, run.stdout + run.stderr
    error = run.stdout.split("CheckError:", 1)[1].split("=" * 20, 1)[0]
    words = " ".join(error.split())
    assert ("X = stack_examples([np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0])]) has "
            "shape (2, 3), expected (3, 2).") in words
    assert "so each column is one example and each row one input feature." in words
    assert not [line for line in run.stdout.splitlines() if line.endswith("...")]


def test_validate_wraps_a_long_message_instead_of_cutting_it(tmp_path):
    notebook = partial_work(tmp_path)
    run = subprocess.run([str(NBGRADER), "validate", str(notebook)], cwd=REPO,
                         capture_output=True, text=True, timeout=600)
    assert_whole_message(run)


def test_validate_on_a_hub_with_the_students_configuration_alone(tmp_path):
    config = tmp_path / "hub-student"
    roles.write_config(config, "student", tmp_path / "exchange", "bp2027")
    home = tmp_path / "home"
    notebook = partial_work(home / ID)
    env = {"PATH": f"{NBGRADER.parent}:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
           "JUPYTER_CONFIG_PATH": str(config), "JUPYTER_CONFIG_DIR": str(home / ".jupyter")}
    run = subprocess.run([str(NBGRADER), "validate", f"{ID}/{ID}.ipynb"], cwd=home, env=env,
                         capture_output=True, text=True, timeout=600)
    assert_whole_message(run)
    assert notebook.is_file()
