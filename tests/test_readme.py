"""Every command README.md shows works as written, on a fresh copy of the repository.

The commands are read from the README's own text. `.ci/run` runs the set-up command (which creates
the environment) and the test command literally; here every other command runs in a copy of the
repository that holds only what a clone holds, with the copy's `.venv` pointing at this
environment and PATH without it, as for a newcomer who never activated anything. After each
command the release in notebooks/ must still be whole.
"""

import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

from autograder.course import REPO
from autograder.course.release import release_files
from autograder.start.student_package import OPEN_COMMAND
from grading import hand_in, read_csv
from submissions.s01_notation import submissions

README = REPO / "README.md"
SET_UP = "python3.11 -m venv"
INSTRUCTOR_ENVIRONMENT = "-m autograder formgrader"
STUDENT_PACKAGE = "open_course.py"  # the student package's command: tests/test_student_package.py
TESTS = ".venv/bin/python -m pytest"
BENCHMARKS = ".venv/bin/python benchmarks/"


def readme_commands():
    """Every command line in the README's code blocks, in order, without trailing comments."""
    commands = []
    for block in re.findall(r"^```[a-z]*\n(.*?)^```", README.read_text(), re.S | re.M):
        for line in block.splitlines():
            line = re.sub(r"\s+#\s.*$", "", line).strip()
            if line:
                commands.append(line)
    return commands


def instructor_commands():
    return [c for c in readme_commands()
            if not c.startswith((SET_UP, TESTS, BENCHMARKS))]


def test_readme_has_the_two_commands_a_newcomer_needs():
    commands = readme_commands()
    set_up = [c for c in commands if c.startswith(SET_UP) and INSTRUCTOR_ENVIRONMENT in c]
    laptop = [c for c in commands if c.startswith(SET_UP) and STUDENT_PACKAGE in c]
    tests = [c for c in commands if c.startswith(TESTS)]
    assert len(set_up) == 1 and len(laptop) == 1
    assert len([c for c in commands if c.startswith(SET_UP)]) == 2
    # .ci/run takes the first line that starts with SET_UP: it must be the full environment's.
    first = next(line for line in README.read_text().splitlines() if line.startswith(SET_UP))
    assert first == set_up[0]
    assert len(tests) == 1
    assert set_up[0].endswith("-m autograder formgrader"), set_up[0]
    assert laptop == [OPEN_COMMAND]  # what the package's own README says
    for command in instructor_commands():
        assert command.startswith(".venv/bin/"), f"{command!r} needs an activated environment"


def test_benchmark_scripts_the_readme_names_exist():
    scripts = [c.split()[1] for c in readme_commands() if c.startswith(BENCHMARKS)]
    assert scripts
    for script in scripts:
        assert (REPO / script).is_file(), script


def fresh_copy(target):
    """Copy what a clone of the repository holds (tracked and new files, nothing ignored)."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                            cwd=REPO, capture_output=True, text=True)
    if listed.returncode != 0:
        pytest.skip("not a git checkout: cannot tell a clone's files from local ones")
    for name in filter(None, listed.stdout.split("\0")):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    (target / ".venv").symlink_to(pathlib.Path(sys.prefix))
    return target


def newcomer_environment():
    """This environment, minus any trace of an activated virtual environment."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    bin_dir = str(pathlib.Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if p and p != bin_dir) or "/usr/bin:/bin"
    return env


@pytest.mark.slow
def test_every_readme_command_works_as_written_and_keeps_the_release(tmp_path):
    clone = fresh_copy(tmp_path / "clone")
    released = release_files(clone / "notebooks")
    env = newcomer_environment()

    # The instructor's view, after the steps that create the environment (which .ci/run runs).
    set_up = next(c for c in readme_commands()
                  if c.startswith(SET_UP) and INSTRUCTOR_ENVIRONMENT in c)
    opened = [part.strip() for part in set_up.split("&&") if INSTRUCTOR_ENVIRONMENT in part]
    result = subprocess.run(opened[0], shell=True, cwd=clone, capture_output=True, text=True,
                            env={**env, "COURSE_START_CHECK": "1"}, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "checked: JupyterLab served" in result.stdout and "formgrader" in result.stdout

    # What an instructor has: one class handed in as the README describes, in both layouts.
    fixtures = [s for s in submissions() if s.student in ("complete", "partial")]
    scores = hand_in(tmp_path / "class", "01_notation", fixtures)
    hand_in(clone / "submitted", "01_notation", fixtures)
    placeholders = {"SUBMISSIONS": str(tmp_path / "class"), "DIR": str(tmp_path / "graded"),
                    "CONFIG_DIR": str(tmp_path / "hub-config"), "OUT": str(tmp_path / "package")}

    for command in instructor_commands():
        command = re.sub(r"\s*\[[^\]]*\]", "", command)  # optional parts left out
        for name, value in placeholders.items():
            command = re.sub(rf"\b{name}\b", value, command)
        result = subprocess.run(command, shell=True, cwd=clone, capture_output=True, text=True,
                                env=env, timeout=900)
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
        warnings = [line for line in (result.stdout + result.stderr).splitlines()
                    if "WARNING" in line or "Warning:" in line]
        assert not warnings, f"{command} warned about what is not the user's business: {warnings}"
        assert release_files(clone / "notebooks") == released, f"{command} changed the release"

    graded = {r["student_id"]: float(r["score"]) for r in read_csv(tmp_path / "graded" / "grades.csv")}
    assert graded == scores
    exported = {r["student_id"]: float(r["score"]) for r in read_csv(clone / "grades.csv")
                if r["assignment"] == "01_notation"}
    assert exported == scores
