"""`python -m autograder hub-config`: students see Assignments and Validate, instructors all tools.

The slow tests start real JupyterLab servers that read the written folder through
JUPYTER_CONFIG_PATH, as the README tells a hub's administrator to set it, with an empty user config
folder (JUPYTER_CONFIG_DIR) so that nothing of this machine's ~/.jupyter takes part.
"""

import contextlib
import importlib.util
import json
import os
import pathlib
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest

from autograder.start import roles
from autograder.__main__ import main
from autograder.course import NOTEBOOKS
from autograder.start.launcher import http_status, page_config_of

NBGRADER_LAB = {"@jupyter/nbgrader:menu", "@jupyter/nbgrader:formgrader",
                "@jupyter/nbgrader:course-list", "@jupyter/nbgrader:create-assignment",
                "@jupyter/nbgrader:assignment-list", "@jupyter/nbgrader:validate-assignment"}


def hub_config(*args):
    """`python -m autograder hub-config ARGS`, run in this process; its exit status."""
    try:
        return main(["hub-config", *map(str, args)])
    except SystemExit as exit:  # argparse's errors
        return exit.code


def test_the_plugin_ids_are_those_nbgrader_installs():
    built = pathlib.Path(sys.prefix, "share", "jupyter", "labextensions", "@jupyter", "nbgrader")
    code = "".join(p.read_text() for p in (built / "static").glob("*.js"))
    found = {plugin for plugin in NBGRADER_LAB if f'"{plugin}"' in code}
    assert found == NBGRADER_LAB == set(roles.LAB_PLUGINS)
    package = pathlib.Path(importlib.util.find_spec("nbgrader").origin).parent
    for extension in roles.SERVER_EXTENSIONS:
        assert (package / extension.split(".", 1)[1].replace(".", "/") / "__init__.py").is_file()


def test_each_role_hides_what_it_does_not_use(tmp_path):
    assert hub_config("--role", "student", "--config-dir", tmp_path,
                      "--exchange", tmp_path / "exchange", "--course", "backprop") == 0
    page = json.loads((tmp_path / "labconfig" / "page_config.json").read_text())
    assert {k for k, v in page["disabledExtensions"].items() if v} == {
        "@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:course-list",
        "@jupyter/nbgrader:create-assignment"}
    server = json.loads((tmp_path / "jupyter_server_config.json").read_text())
    assert server["ServerApp"]["jpserver_extensions"] == {
        "nbgrader.server_extensions.formgrader": False,
        "nbgrader.server_extensions.course_list": False,
        "nbgrader.server_extensions.assignment_list": True,
        "nbgrader.server_extensions.validate_assignment": True}
    assert settings_of(tmp_path / "nbgrader_config.py") == {
        "Exchange.root": str(tmp_path / "exchange"), "CourseDirectory.course_id": "backprop"}

    instructor = tmp_path / "instructor"
    assert hub_config("--role", "instructor", "--config-dir", instructor) == 0
    page = json.loads((instructor / "labconfig" / "page_config.json").read_text())
    assert page["disabledExtensions"] == dict.fromkeys(NBGRADER_LAB, False)
    server = json.loads((instructor / "jupyter_server_config.json").read_text())
    assert set(server["ServerApp"]["jpserver_extensions"].values()) == {True}
    assert settings_of(instructor / "nbgrader_config.py") == {}  # Validate's wrapping only


def settings_of(config_file):
    """{"Section.name": value} that an nbgrader_config.py sets; it must also make Validate wrap."""
    from nbgrader.validator import Validator

    settings, cutting = {}, Validator._indent
    try:
        exec(config_file.read_text(), {"get_config": lambda: Config(settings)})
        assert Validator._indent is not cutting
        assert Validator._indent.__name__ == "wrap_lines"
    finally:
        Validator._indent = cutting
    return settings


class Config:
    """Records `c.Section.name = value` as {"Section.name": value}."""

    def __init__(self, settings, prefix=""):
        object.__setattr__(self, "_settings", settings)
        object.__setattr__(self, "_prefix", prefix)

    def __getattr__(self, name):
        return Config(self._settings, f"{self._prefix}{name}.")

    def __setattr__(self, name, value):
        self._settings[self._prefix + name] = value


def test_settings_already_in_the_folder_are_kept(tmp_path):
    (tmp_path / "labconfig").mkdir()
    (tmp_path / "labconfig" / "page_config.json").write_text(json.dumps(
        {"disabledExtensions": ["@jupyterlab/apputils-extension:announcements"],
         "lockedExtensions": {"x": True}}))
    (tmp_path / "jupyter_server_config.json").write_text(json.dumps(
        {"ServerApp": {"jpserver_extensions": {"other": True},
                       "shutdown_no_activity_timeout": 60}}))
    roles.write_config(tmp_path, "student")
    roles.write_config(tmp_path, "student")  # a rerun changes nothing more
    page = json.loads((tmp_path / "labconfig" / "page_config.json").read_text())
    assert page["lockedExtensions"] == {"x": True}
    assert page["disabledExtensions"]["@jupyterlab/apputils-extension:announcements"] is True
    assert page["disabledExtensions"]["@jupyter/nbgrader:formgrader"] is True
    server = json.loads((tmp_path / "jupyter_server_config.json").read_text())["ServerApp"]
    assert server["shutdown_no_activity_timeout"] == 60
    assert server["jpserver_extensions"]["other"] is True
    assert server["jpserver_extensions"]["nbgrader.server_extensions.formgrader"] is False


def test_an_nbgrader_config_of_someone_else_is_not_replaced(tmp_path, capsys):
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\nc.Exchange.root = '/srv/x'\n")
    assert hub_config("--role", "student", "--config-dir", tmp_path,
                      "--exchange", tmp_path / "exchange", "--course", "backprop") == 2
    assert "was not written by this command" in capsys.readouterr().err
    assert (tmp_path / "nbgrader_config.py").read_text().endswith("'/srv/x'\n")
    assert not (tmp_path / "labconfig").exists()  # nothing written
    assert hub_config("--role", "student", "--config-dir", tmp_path, "--exchange", tmp_path) == 2
    assert "--exchange and --course-id go together" in capsys.readouterr().err


@contextlib.contextmanager
def jupyterlab(config_path, root):
    """A JupyterLab server reading the config folders `config_path` first; yields (URL, token)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    token = secrets.token_hex(16)
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    user = tempfile.mkdtemp(prefix="jupyter-user-", dir=root.parent)
    env.update(JUPYTER_CONFIG_PATH=os.pathsep.join(map(str, config_path)), JUPYTER_CONFIG_DIR=user,
               JUPYTER_DATA_DIR=user, JUPYTER_RUNTIME_DIR=user)
    log = open(root.parent / f"jupyter-{port}.log", "w+")
    server = subprocess.Popen([sys.executable, "-m", "jupyter", "lab", "--no-browser",
                               "--allow-root", f"--ServerApp.port={port}",
                               "--ServerApp.ip=127.0.0.1",
                               f"--ServerApp.root_dir={root}", f"--IdentityProvider.token={token}"],
                              cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while server.poll() is None and time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5).close()
                break
            except OSError:
                time.sleep(0.3)
        else:
            log.seek(0)
            pytest.fail(f"JupyterLab did not start: {log.read()[-3000:]}")
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def disabled_on_the_page(base, token):
    status, page = http_status(f"{base}/lab?token={token}")
    assert status == 200
    return set(page_config_of(page)["disabledExtensions"]) & NBGRADER_LAB


@pytest.mark.slow
def test_on_a_hub_students_get_assignments_and_validate_and_instructors_the_formgrader(tmp_path):
    # An exchange holding one released assignment, as `nbgrader release_assignment` lays it out.
    exchange = tmp_path / "exchange"
    outbound = exchange / "backprop" / "outbound" / "01_notation"
    outbound.mkdir(parents=True)
    (outbound / "01_notation.ipynb").write_bytes((NOTEBOOKS / "01_notation" / "01_notation.ipynb")
                                                 .read_bytes())
    student_config, instructor_config = tmp_path / "student", tmp_path / "instructor"
    assert hub_config("--role", "student", "--config-dir", student_config,
                      "--exchange", exchange, "--course-id", "backprop") == 0
    assert hub_config("--role", "instructor", "--config-dir", instructor_config) == 0
    # What an image might already hold at a lower level: the formgrader switched off for everyone.
    # The instructor's folder, earlier on the path, must switch it back on.
    image = tmp_path / "image"
    (image / "labconfig").mkdir(parents=True)
    (image / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {"@jupyter/nbgrader:formgrader": True}}))
    (image / "jupyter_server_config.json").write_text(json.dumps(
        {"ServerApp": {"jpserver_extensions": {"nbgrader.server_extensions.formgrader": False}}}))
    for home in ("student-home", "instructor-home"):
        (tmp_path / home).mkdir()

    with jupyterlab([student_config], tmp_path / "student-home") as (base, token), \
            jupyterlab([instructor_config, image], tmp_path / "instructor-home") as (ibase, itoken):
        assert disabled_on_the_page(base, token) == {
            "@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:course-list",
            "@jupyter/nbgrader:create-assignment"}
        assert http_status(f"{base}/formgrader?token={token}")[0] == 404
        status, body = http_status(f"{base}/assignments?course_id=backprop&token={token}")
        assert status == 200, body
        listed = json.loads(body)
        assert listed["success"], listed
        assert [(a["assignment_id"], a["status"]) for a in listed["value"]] == [
            ("01_notation", "released")]

        assert disabled_on_the_page(ibase, itoken) == set()
        status, body = http_status(f"{ibase}/formgrader?token={itoken}")
        assert status == 200 and "formgrader" in body.lower()
