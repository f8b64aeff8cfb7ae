"""What students get (`python -m autograder student-package`): the course, not the answers.

Checked by content, not only by path: no line of a reference solution, no line of a hidden check,
no marker of either, in any file of the package, except the earlier functions that a later
notebook's course_functions.py carries by design (autograder/course/provided.py), which the package of
the first notebooks released leaves out too. The slow test runs the package's own README command
in a fresh environment made from the package alone.
"""

import json
import pathlib
import re
import subprocess
import zipfile

import pytest

from autograder.__main__ import main
from autograder.course import REPO, CourseError, assignment_ids
from autograder.scoring.judge import hidden_checks
from autograder.course.notebook_files import SOLUTION_REGION
from autograder.course.provided import FILE_NAME, PROVIDED
from autograder.course.release import release_files
from autograder.start.student_package import OPEN_COMMAND, write_package
from notebook_parts import source
from test_readme import newcomer_environment

FIRST_RELEASES = ["01_notation", "02_forward_propagation", "04_chain_rule"]  # nothing due before
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "hidden_checks", "_reference")
INSTRUCTOR_ONLY = ("nbgrader", "sqlalchemy", "alembic", "pgserver", "bubblewrap", "playwright",
                   "pytest", "psycopg", "dask", "pebble")
WINDOW = 3  # consecutive lines: a formula the prose teaches is one line, an answer is several


def meaningful_lines(text):
    """The lines of `text` stripped, spaces collapsed, without blank and comment lines."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def windows(text):
    """Every run of WINDOW consecutive meaningful lines of `text` (all of it, if shorter)."""
    lines = meaningful_lines(text)
    if len(lines) <= WINDOW:
        return {"\n".join(lines)} if len(" ".join(lines)) >= 30 else set()
    return {"\n".join(lines[i:i + WINDOW]) for i in range(len(lines) - WINDOW + 1)}


def solution_windows(assignment_id):
    """The windows of the reference solutions of `assignment_id` (code and written answers)."""
    found = set()
    for cell in source(assignment_id).cells:
        for region in SOLUTION_REGION.findall(cell.source):
            found |= windows(region)
    return found


def package_texts(folder):
    """{path relative to folder: its meaningful lines, joined} for every file, .git left out."""
    return {p.relative_to(folder).as_posix():
            "\n".join(meaningful_lines(p.read_bytes().decode(errors="replace")))
            for p in folder.rglob("*") if p.is_file() and ".git" not in p.relative_to(folder).parts}


def by_design(assignment_id, path):
    """Whether `path` of a package may hold `assignment_id`'s solution (provided functions)."""
    later, _, name = path.partition("/")
    return name == FILE_NAME and any(earlier == assignment_id
                                     for earlier, _ in PROVIDED.get(later, ()))


def leaks(folder):
    """[(path, what leaked)] in the package at `folder`."""
    texts = package_texts(folder)
    found = [(path, marker) for path, text in texts.items() for marker in MARKERS
             if marker in text]
    for assignment_id in assignment_ids():
        for window in solution_windows(assignment_id):
            found += [(path, f"{assignment_id} solution: {window}") for path, text in texts.items()
                      if window in text and not by_design(assignment_id, path)]
        for checks in hidden_checks(assignment_id).values():
            found += [(path, f"hidden check: {window}") for window in windows(checks)
                      for path, text in texts.items() if window in text]
    return found


def test_the_package_holds_the_release_and_no_answer(tmp_path):
    out = tmp_path / "course"
    files, archive = write_package(out)
    assert archive is None
    assert {p.parts[0] for p in files} == {"README.md", "requirements.txt", "open_course.py",
                                           ".gitignore", *assignment_ids()}
    for assignment_id in assignment_ids():
        assert release_files(out / assignment_id) == release_files(REPO / "notebooks" /
                                                                   assignment_id)
    assert (out / "requirements.txt").read_text() == \
        (REPO / "requirements-student.txt").read_text()
    required = {re.split(r"[=<>\[ ]", line)[0].lower()
                for line in (out / "requirements.txt").read_text().splitlines()
                if line and not line.startswith("#")}
    assert required and not required & set(INSTRUCTOR_ONLY)
    assert OPEN_COMMAND in (out / "README.md").read_text()
    assert leaks(out) == []
    # The check finds what it looks for: a solution line planted in the package is a leak.
    window = sorted(solution_windows("01_notation"))[0]
    (out / "01_notation" / "notes.py").write_text(window + "\n")
    assert [what for _, what in leaks(out)] == [f"01_notation solution: {window}"]


def test_the_first_releases_hold_no_line_of_any_solution_at_all(tmp_path):
    write_package(tmp_path / "course", FIRST_RELEASES)
    texts = package_texts(tmp_path / "course")
    for assignment_id in assignment_ids():
        for window in solution_windows(assignment_id):
            assert not [path for path, text in texts.items() if window in text], window


def test_the_command_writes_a_git_repository_and_a_zip_and_notes_the_release_order(
        tmp_path, capsys):
    out = tmp_path / "course"
    assert main(["student-package", str(out), *FIRST_RELEASES, "--git", "--zip"]) == 0
    printed = capsys.readouterr().out
    assert "note:" not in printed  # nothing in the first releases holds another's answers
    log = subprocess.run(["git", "log", "--format=%s"], cwd=out, capture_output=True, text=True)
    assert log.stdout.splitlines() == [f"Course notebooks: {', '.join(FIRST_RELEASES)}"]
    with zipfile.ZipFile(tmp_path / "course.zip") as zipped:
        names = sorted(zipped.namelist())
    assert names == sorted(f"course/{p}" for p in package_texts(out))

    # Later: every notebook, committed on top, so that students `git pull` what is new.
    assert main(["student-package", str(out), "--git"]) == 0
    printed = capsys.readouterr().out
    assert "note: 05_deep_backprop holds answers of 02_forward_propagation, " \
           "03_logistic_regression, 04_chain_rule" in printed
    assert "note: 06_training holds answers of 02_forward_propagation, " \
           "03_logistic_regression, 05_deep_backprop" in printed
    log = subprocess.run(["git", "log", "--format=%s"], cwd=out, capture_output=True, text=True)
    assert len(log.stdout.splitlines()) == 2
    status = subprocess.run(["git", "status", "--porcelain"], cwd=out, capture_output=True,
                            text=True)
    assert status.stdout == ""


def test_the_package_never_lands_in_the_repository_or_on_someone_elses_folder(tmp_path):
    with pytest.raises(CourseError, match="inside the repository"):
        write_package(REPO / "student-copy")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.tex").write_text("years of work")
    with pytest.raises(CourseError, match="not a student package"):
        write_package(tmp_path / "mine")
    assert (tmp_path / "mine" / "thesis.tex").read_text() == "years of work"
    with pytest.raises(CourseError, match="no assignment 'nope'"):
        write_package(tmp_path / "new", ["nope"])


# Run by the package environment's Python, given assignment folders: in each, the notebook's first
# code cell (its imports) in a kernel of that environment started in the folder, then where `utils`
# and the kernel's Python came from. Prints {folder: [utils.__file__, sys.prefix]}.
RUN_SET_UP_CELLS = """
import json, pathlib, sys
import nbformat
from nbclient import NotebookClient

found = {}
for folder in map(pathlib.Path, sys.argv[1:]):
    nb = nbformat.read(folder / f"{folder.name}.ipynb", as_version=4)
    setup = next(cell for cell in nb.cells if cell.cell_type == "code")
    probe = nbformat.v4.new_code_cell(
        "import json, sys, utils; print(json.dumps([utils.__file__, sys.prefix]))")
    nb.cells = [setup, probe]
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    found[folder.name] = json.loads(probe.outputs[-1]["text"])
print(json.dumps(found))
"""


@pytest.mark.slow
def test_the_packages_own_command_sets_up_and_opens_the_course_in_a_fresh_environment(tmp_path):
    out = tmp_path / "course"
    write_package(out)
    readme = (out / "README.md").read_text()
    commands = [line for line in readme.splitlines() if line.startswith("python3.11 -m venv")]
    assert commands == [OPEN_COMMAND]
    env = newcomer_environment()
    env.pop("JUPYTER_CONFIG_PATH", None)
    env.update(COURSE_START_CHECK="1", JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter"),
               JUPYTER_DATA_DIR=str(tmp_path / "jupyter"),
               PIP_NO_COMPILE="1")  # the same command; modules compile when first imported
    run = subprocess.run(commands[0], shell=True, cwd=out, env=env, capture_output=True,
                         text=True, timeout=1200)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-5000:]
    assert f"checked: JupyterLab served {out} with {', '.join(assignment_ids())}" in output

    python = out / ".venv" / "bin" / "python"
    found = subprocess.run(
        [str(python), "-c", "import importlib.util, json, sys; print(json.dumps([sys.prefix] + "
                            f"[n for n in {INSTRUCTOR_ONLY!r} if importlib.util.find_spec(n)]))"],
        env=env, capture_output=True, text=True, check=True).stdout
    prefix, *instructors = json.loads(found)
    assert pathlib.Path(prefix) == out / ".venv"
    assert instructors == [], "the student's environment has the instructor's tools"

    # Each assignment folder of the package runs its set-up cell with the utils it carries.
    script = tmp_path / "run_set_up_cells.py"
    script.write_text(RUN_SET_UP_CELLS)
    folders = [out / i for i in assignment_ids()]
    run = subprocess.run([str(python), str(script), *map(str, folders)], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    found = json.loads(run.stdout.splitlines()[-1])
    for folder in folders:
        utils_file, prefix = found[folder.name]
        assert pathlib.Path(utils_file).parent == folder / "utils", folder.name
        assert pathlib.Path(prefix) == out / ".venv", folder.name
