"""`python -m autograder start`: a student's own copy of the release, never overwritten."""

import io
import json
import os
import pathlib
import subprocess
import sys

import pytest

from autograder.start import roles

from autograder.start import workspace as start_module
from autograder.course import NOTEBOOKS, REPO
from autograder.course.release import release_files
from autograder.start.launcher import jupyterlab_command
from autograder.start.workspace import copy_release, start, write_validate_config


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


def opened(monkeypatch):
    """Replaces the JupyterLab that `start` runs; returns what that JupyterLab would have read."""
    seen = {}

    def call(command, cwd, env=None):
        config = pathlib.Path(env["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0])
        seen["files"] = {str(p.relative_to(config)): json.loads(p.read_text())
                         for p in config.rglob("*") if p.is_file()}
        seen["command"], seen["cwd"] = command, cwd
        return 0

    monkeypatch.setattr(start_module, "serve", call)
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", "/srv/elsewhere")
    return seen


def test_start_opens_jupyterlab_without_the_instructors_tools(tmp_path, monkeypatch):
    seen, out = opened(monkeypatch), io.StringIO()
    assert start(tmp_path, ["--no-browser"], out=out) == 0
    page = seen["files"]["labconfig/page_config.json"]["disabledExtensions"]
    assert {plugin for plugin, off in page.items() if off} == {
        "@jupyter/nbgrader:menu", "@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:course-list",
        "@jupyter/nbgrader:create-assignment", "@jupyter/nbgrader:assignment-list"}
    server = seen["files"]["jupyter_server_config.json"]["ServerApp"]["jpserver_extensions"]
    assert server == {"nbgrader.server_extensions.formgrader": False,
                      "nbgrader.server_extensions.course_list": False,
                      "nbgrader.server_extensions.assignment_list": False,
                      "nbgrader.server_extensions.validate_assignment": True}
    assert seen["cwd"] == tmp_path and seen["command"][-1] == "--no-browser"
    assert (tmp_path / "nbgrader_config.py").is_file() and "nbgrader validate" in out.getvalue()


def test_start_where_nbgrader_is_not_installed_writes_nothing_for_it(tmp_path, monkeypatch):
    monkeypatch.setattr(roles, "nbgrader_installed", lambda: False)
    seen, out = opened(monkeypatch), io.StringIO()
    assert start(tmp_path, out=out) == 0
    assert list(seen["files"]) == ["labconfig/page_config.json"]  # no server extension to name
    assert not (tmp_path / "nbgrader_config.py").exists() and "validate" not in out.getvalue()
    assert (tmp_path / "01_notation" / "01_notation.ipynb").is_file()


def test_start_imports_none_of_the_instructors_tools():
    # An import hook refuses what a student's environment lacks; `start` and its command line
    # must import, see that nbgrader is missing, and parse their options.
    code = """if True:
        import sys
        class Refuse:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("nbgrader", "sqlalchemy", "alembic", "pytest"):
                    raise ModuleNotFoundError(name)
        sys.meta_path.insert(0, Refuse())
        from autograder.start import roles
        from autograder.start import workspace as start
        from autograder.__main__ import main
        assert not roles.nbgrader_installed()
        try:
            main(["start", "--help"])
        except SystemExit as exit:
            assert exit.code == 0
    """
    run = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    assert "--workspace" in run.stdout


def test_options_after_the_command_go_to_jupyterlab(tmp_path, monkeypatch):
    from autograder.__main__ import main

    seen = opened(monkeypatch)
    assert main(["start", "--workspace", str(tmp_path), "--no-browser", "--port=9999"]) == 0
    assert seen["command"][-2:] == ["--no-browser", "--port=9999"]
    with pytest.raises(SystemExit):
        main(["expected", "--no-browser"])  # other commands take no JupyterLab options
