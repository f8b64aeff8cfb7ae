"""`python -m autograder` reports instructor mistakes clearly and changes nothing on error."""

import subprocess
import sys

import pytest

from autograder.__main__ import main
from autograder.course import REPO


def test_unknown_assignment_is_reported(capsys):
    assert main(["release", "99_nothing"]) == 2
    error = capsys.readouterr().err
    assert "no assignment '99_nothing'" in error and "01_notation" in error




def test_module_runs_from_the_repository_root():
    result = subprocess.run([sys.executable, "-m", "autograder", "--help"], cwd=REPO,
                            capture_output=True, text=True)
    assert result.returncode == 0
    assert "release" in result.stdout and "expected" in result.stdout


def test_a_mistyped_option_is_named(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["grade", "submissions", "--workdri", "graded"])
    assert stop.value.code == 2
    error = capsys.readouterr().err
    assert "unrecognized arguments: --workdri" in error and "required" not in error


def test_a_missing_workdir_is_named(capsys):
    with pytest.raises(SystemExit):
        main(["grade", "submissions"])
    assert "the following arguments are required: --workdir" in capsys.readouterr().err


def test_expected_says_what_it_did(capsys):
    assert main(["expected", "--check", "01_notation"]) == 0
    assert capsys.readouterr().out == "expected.json is current for 01_notation\n"
    assert main(["expected", "01_notation"]) == 0
    assert capsys.readouterr().out == "expected.json: already current, nothing changed\n"
