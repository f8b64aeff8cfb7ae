"""`python -m autograder start`: a student's own copy of the release, never overwritten."""

import pathlib
import subprocess
import sys

import pytest

from autograder.course import NOTEBOOKS
from autograder.release import release_files
from autograder.start import copy_release, jupyterlab_command, write_validate_config


def test_the_copy_is_the_release_and_a_second_start_keeps_the_students_work(tmp_path):
    copied, kept = copy_release(tmp_path)
    assert copied and not kept
    assert release_files(tmp_path) == release_files(NOTEBOOKS)
    mine = tmp_path / "01_notation" / "01_notation.ipynb"
    mine.write_text("my work")
    (tmp_path / "02_forward_propagation" / "expected.json").unlink()
    copied, kept = copy_release(tmp_path)
    assert copied == [tmp_path / "02_forward_propagation" / "expected.json"]
    assert mine in kept and mine.read_text() == "my work"


def test_jupyterlab_opens_the_workspace(tmp_path):
    command = jupyterlab_command(tmp_path, ["--no-browser"])
    assert f"--ServerApp.root_dir={tmp_path}" in command and command[-1] == "--no-browser"


@pytest.mark.slow
def test_validate_in_the_workspace_uses_the_course_configuration(tmp_path):
    copy_release(tmp_path)
    write_validate_config(tmp_path)
    nbgrader = pathlib.Path(sys.executable).parent / "nbgrader"
    run = subprocess.run([str(nbgrader), "validate", "01_notation/01_notation.ipynb"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=600,
                         env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    output = run.stdout + run.stderr
    assert "VALIDATION FAILED ON 4 CELL(S)" in output  # the unfilled release fails every exercise
    assert "No nbgrader_config.py" not in output and "TCP" not in output, output
