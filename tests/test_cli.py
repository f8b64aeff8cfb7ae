"""`python -m autograder` reports instructor mistakes clearly and changes nothing on error."""

import subprocess
import sys

from autograder.__main__ import main
from autograder.course import REPO


def test_unknown_assignment_is_reported(capsys):
    assert main(["release", "99_nothing"]) == 2
    error = capsys.readouterr().err
    assert "no assignment '99_nothing'" in error and "01_notation" in error


def test_expected_check_passes_when_current(capsys):
    assert main(["expected", "--check"]) == 0


def test_module_runs_from_the_repository_root():
    result = subprocess.run([sys.executable, "-m", "autograder", "--help"], cwd=REPO,
                            capture_output=True, text=True)
    assert result.returncode == 0
    assert "release" in result.stdout and "expected" in result.stdout
