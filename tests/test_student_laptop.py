"""A student on their own computer: the README's one command, in a fresh environment of their own.

The command is read from README.md and run as written in a copy of what a clone holds, with this
environment off PATH. The environment it creates must have what the notebooks need and none of the
instructor's tools, `start` must check out there, and each released notebook's set-up cell must run
in that environment's kernel, importing the `utils` that its assignment folder carries.
"""

import json
import pathlib
import shutil
import subprocess
import textwrap
import time

import pytest

from autograder.course import NOTEBOOKS, REPO
from test_readme import (SET_UP, STUDENT_ENVIRONMENT, fresh_copy, newcomer_environment,
                         readme_commands)

INSTRUCTOR_ONLY = ("nbgrader", "sqlalchemy", "alembic", "pgserver", "bubblewrap", "playwright",
                   "pytest", "psycopg")

# Run by the student environment's Python, given assignment folders: in each, the notebook's first
# code cell (its imports) in a kernel of that environment started in the folder, then where `utils`
# and the kernel's Python came from. Prints {folder: [utils.__file__, sys.prefix]}.
RUN_SET_UP_CELLS = textwrap.dedent("""
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
""")


@pytest.mark.slow
def test_the_readme_laptop_command_installs_only_the_students_needs_and_runs_the_course(tmp_path):
    command = next(c for c in readme_commands()
                   if c.startswith(SET_UP) and STUDENT_ENVIRONMENT in c)
    clone = tmp_path / "clone"
    fresh_copy(clone)
    (clone / ".venv").unlink()  # fresh_copy links this environment in; the student makes their own
    env = newcomer_environment()
    env.pop("JUPYTER_CONFIG_PATH", None)
    env.update(COURSE_START_CHECK="1", JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter"),
               JUPYTER_DATA_DIR=str(tmp_path / "jupyter"),
               PIP_NO_COMPILE="1")  # the same command; modules compile when first imported

    began = time.monotonic()
    run = subprocess.run(command, shell=True, cwd=clone, env=env, capture_output=True, text=True,
                         timeout=1200)
    seconds = time.monotonic() - began
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-5000:]
    assert "checked: JupyterLab served" in output
    assert "without nbgrader's instructor tools" in output
    assert "nbgrader validate" not in output  # no advice to use what is not there
    assert not (clone / "work" / "nbgrader_config.py").exists()
    assert (clone / "work" / "01_notation" / "01_notation.ipynb").is_file()

    python = clone / ".venv" / "bin" / "python"
    found = subprocess.run(
        [str(python), "-c", "import importlib.util, json, sys; print(json.dumps([sys.prefix] + "
                            f"[n for n in {INSTRUCTOR_ONLY!r} if importlib.util.find_spec(n)]))"],
        env=env, capture_output=True, text=True, check=True).stdout
    prefix, *instructors = json.loads(found)
    assert pathlib.Path(prefix) == clone / ".venv"
    assert instructors == [], "the student's environment has the instructor's tools"
    size = sum(f.stat().st_size for f in (clone / ".venv").rglob("*") if f.is_file())
    print(f"student environment: {size / 2**20:.0f} MiB, set up and checked in {seconds:.0f} s")

    # Each released assignment folder, with the utils package it carries (copied in here where
    # this checkout's release does not carry it yet), opened from outside the repository.
    folders = []
    for release in sorted(p for p in NOTEBOOKS.iterdir() if p.is_dir()):
        folder = tmp_path / "fetched" / release.name
        shutil.copytree(release, folder)
        (folder / "utils").mkdir(exist_ok=True)
        for module in (REPO / "utils").glob("*.py"):
            if not (folder / "utils" / module.name).exists():
                shutil.copy2(module, folder / "utils" / module.name)
        folders.append(folder)
    script = tmp_path / "run_set_up_cells.py"
    script.write_text(RUN_SET_UP_CELLS)
    run = subprocess.run([str(python), str(script), *map(str, folders)], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    found = json.loads(run.stdout.splitlines()[-1])
    assert sorted(found) == [f.name for f in folders]
    for folder in folders:
        utils_file, prefix = found[folder.name]
        assert pathlib.Path(utils_file).parent == folder / "utils", folder.name
        assert pathlib.Path(prefix) == clone / ".venv", folder.name
