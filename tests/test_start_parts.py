"""The start's small parts without a server: which folder is a course, what JupyterLab's page says,
and the instructor's check of what a server serves. Fast; test_roles.py and test_readme.py start
real servers."""

import json

import pytest

from autograder.course import REPO, CourseError
from autograder.start import roles
from autograder.start.instructor_view import MATHJAX, course_folder, inspect
from autograder.start.launcher import assignment_folders, page_config_of


def lab_page(config):
    """An HTML page shaped like JupyterLab's /lab: other scripts around the page config."""
    return ("<!doctype html><html><head><script>var x = 1;</script>"
            f'<script id="jupyter-config-data" type="application/json">{json.dumps(config)}'
            "</script></head><body><script src='main.js'></script></body></html>")


def test_a_course_folder_is_one_with_nbgrader_config(tmp_path):
    assert course_folder(REPO / "autograder" / "..") == REPO.resolve()
    with pytest.raises(CourseError, match="has no nbgrader_config.py, so it is not a course"):
        course_folder(tmp_path)


def test_the_page_config_is_read_from_its_own_script_alone():
    config = {"disabledExtensions": ["a:b"], "text": "</ and \" and ü"}
    assert page_config_of(lab_page(config)) == config


def test_assignment_folders_are_those_holding_their_own_notebook(tmp_path):
    for name in ("01_a", "02_b", "03_c"):
        (tmp_path / name).mkdir()
    (tmp_path / "01_a" / "01_a.ipynb").write_text("{}")
    (tmp_path / "02_b" / "other.ipynb").write_text("{}")
    (tmp_path / "04_d.ipynb").write_text("{}")
    (tmp_path / "03_c" / "03_c.ipynb").write_text("{}")
    assert assignment_folders(tmp_path) == ["01_a", "03_c"]


def serving(lab_status=200, disabled=(), formgrader=(200, "[]"), mathjax=200):
    """A get(path) -> (status, body) answering as a JupyterLab server set up that way."""
    def get(path):
        if path == "/lab":
            return lab_status, lab_page({"disabledExtensions": list(disabled)})
        if path == "/formgrader/api/assignments":
            return formgrader
        if path == MATHJAX:
            return mathjax, ""
        return 404, "not found"
    return get


def test_the_instructors_check_passes_a_server_with_every_tool():
    assert inspect(serving(disabled=["@jupyterlab/some-other:plugin"])) == []


def test_the_instructors_check_names_each_thing_missing():
    problems = inspect(serving(disabled=[f"{roles.LAB}:formgrader"],
                               formgrader=(500, "Traceback: no gradebook"), mathjax=404))
    assert problems == [
        f"JupyterLab's page (HTTP 200) disables {roles.LAB}:formgrader",
        "formgrader's assignment list answered HTTP 500: Traceback: no gradebook",
        f"the server does not serve MathJax at {MATHJAX} (HTTP 404); install "
        f"jupyter-server-mathjax (requirements.txt)"]
    assert inspect(serving(lab_status=403))[0] == (
        f"JupyterLab's page (HTTP 403) disables {', '.join(roles.LAB_PLUGINS)}")
