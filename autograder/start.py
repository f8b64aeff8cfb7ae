"""A student's start: their own copy of the release, opened in JupyterLab.

    python -m autograder start [--workspace DIR] [-- JUPYTERLAB OPTIONS]

The release in notebooks/ is generated and stays as released; a student works in a copy of it
(`work/` by default, git-ignored). Files already in the copy are never overwritten, so running the
command again keeps the student's work and only adds what is new in the release.

JupyterLab opens without nbgrader's tools for instructors and for hubs (roles.DISABLED_LAB
["laptop"]), also in the instructor's environment: `start` puts a config folder of its own first on
JUPYTER_CONFIG_PATH for that server. Only the standard library, JupyterLab and what it installs are
needed: a student's environment (requirements-student.txt) has no nbgrader.
"""

import html.parser
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from . import roles
from .course import NOTEBOOKS, REPO
from .release import release_files

WORKSPACE = REPO / "work"

# Set to 1, `start` checks instead of serving: JupyterLab starts, must list the workspace's
# assignments over its HTTP API, and stops. CI runs the README's set-up command this way.
CHECK_VARIABLE = "COURSE_START_CHECK"


def copy_release(workspace=WORKSPACE, release=NOTEBOOKS):
    """Copy each release file that the workspace lacks; return (copied paths, kept paths).

    A file the student already has is kept as it is, changed or not.
    """
    copied, kept = [], []
    for folder in sorted(p for p in release.iterdir() if p.is_dir()):
        for relative, content in release_files(folder).items():
            target = workspace / folder.name / relative
            if target.exists():
                kept.append(target)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            copied.append(target)
    return copied, kept


def write_validate_config(workspace):
    """An nbgrader_config.py in the workspace that loads the course's, for `nbgrader validate`.

    nbgrader reads its configuration from the folder it runs in; without one there it warns, and
    it cuts long check messages. Rewritten on every start (it is not the student's file).
    """
    path = workspace / "nbgrader_config.py"
    path.write_text(f"# Written by `python -m autograder start`: the course's nbgrader configuration, so\n"
                    f"# that `nbgrader validate <id>/<id>.ipynb`, run here, checks as the course does.\n"
                    f"c = get_config()  # noqa: F821\n"
                    f"load_subconfig({str(REPO / 'nbgrader_config.py')!r})  # noqa: F821\n")
    return path


def jupyterlab_command(workspace, extra=()):
    """The JupyterLab command line that opens `workspace`.

    As root (a container's usual user), Jupyter refuses to start without --allow-root; it is
    added here so that the README's command works as written there too.
    """
    command = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={workspace}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in extra:
        command.append("--allow-root")
    return command + list(extra)


def jupyter_environment(config_dir, environ=os.environ):
    """The environment for a JupyterLab that reads `config_dir` before the other config folders.

    The folder goes first on JUPYTER_CONFIG_PATH, which takes precedence over the Python
    environment's own etc/jupyter (where nbgrader enables all its extensions); only the user's
    ~/.jupyter comes before it.
    """
    env = dict(environ)
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        [str(config_dir)] + [p for p in env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep) if p])
    return env


def start(workspace=WORKSPACE, extra=(), check=False, out=sys.stdout):
    """Copy the release into `workspace` and run JupyterLab there; return its exit status."""
    workspace = workspace.resolve()
    copied, kept = copy_release(workspace)
    with_nbgrader = roles.nbgrader_installed()
    if with_nbgrader:
        write_validate_config(workspace)
    print(f"Your copy of the course is in {workspace}: work there, in <id>/<id>.ipynb.", file=out)
    if with_nbgrader:
        print(f"To check a notebook as the grader does: the Validate button in its toolbar, or "
              f"`nbgrader validate <id>/<id>.ipynb` in {workspace}.", file=out)
    if copied and kept:
        print(f"Added {len(copied)} new file(s) from the release; kept your {len(kept)} file(s) "
              f"as they are.", file=out)
    elif kept:
        print(f"Kept your {len(kept)} file(s) as they are.", file=out)
    command = jupyterlab_command(workspace, extra)
    if "--allow-root" in command and "--allow-root" not in extra:
        print("Running as root: JupyterLab is started with --allow-root.", file=out)
    out.flush()
    with tempfile.TemporaryDirectory(prefix="course-jupyter-config-") as config_dir:
        roles.write_config(config_dir, "laptop", server_extensions=with_nbgrader)
        env = jupyter_environment(config_dir)
        if check:
            return check_serves(command, workspace, out, env=env)
        return subprocess.call(command, cwd=workspace, env=env)


class _ConfigData(html.parser.HTMLParser):
    """Collects the text of <script id="jupyter-config-data">: JupyterLab's page config."""

    def __init__(self):
        super().__init__()
        self.inside, self.text = False, ""

    def handle_starttag(self, tag, attrs):
        self.inside = tag == "script" and ("id", "jupyter-config-data") in attrs

    def handle_endtag(self, tag):
        self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.text += data


def page_config_of(page):
    """The page config (a dict) that JupyterLab embedded in the HTML of its /lab page."""
    parser = _ConfigData()
    parser.feed(page)
    return json.loads(parser.text)


def http_status(url):
    """The HTTP status of a GET of `url`, errors included, and the body read."""
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def check_serves(command, workspace, out=sys.stdout, timeout=120, env=None):
    """Start JupyterLab headless, ask its API for the workspace's folders, stop it; 0 if all good.

    Also checks that the /lab page disables nbgrader's plugins that `start` hides and, where
    nbgrader is installed, that the server does not serve the formgrader.
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    token = secrets.token_hex(16)
    log = tempfile.TemporaryFile("w+")
    server = subprocess.Popen(command + ["--no-browser", f"--ServerApp.port={port}",
                                         "--ServerApp.ip=127.0.0.1",
                                         f"--IdentityProvider.token={token}"],
                              stdout=subprocess.DEVNULL, stderr=log, text=True, cwd=workspace,
                              env=env)
    base = f"http://127.0.0.1:{port}"
    url = f"{base}/api/contents?token={token}"
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:
                    listed = {item["name"] for item in json.load(answer)["content"]}
                break
            except OSError:
                time.sleep(0.5)
        else:
            log.seek(0)
            error = log.read() if server.poll() is not None else "no answer in time"
            print(f"JupyterLab did not serve the course: {error[-2000:]}", file=out)
            return 1
        status, page = http_status(f"{base}/lab?token={token}")
        disabled = set(page_config_of(page).get("disabledExtensions", []) if status == 200 else [])
        formgrader, _ = http_status(f"{base}/formgrader?token={token}")
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    wanted = {p.name for p in NOTEBOOKS.iterdir() if p.is_dir()}
    if not wanted <= listed:
        print(f"JupyterLab served {sorted(listed)}, not the course's {sorted(wanted)}", file=out)
        return 1
    shown = set(roles.DISABLED_LAB["laptop"]) - disabled
    if shown:
        print(f"JupyterLab's page (HTTP {status}) does not disable {', '.join(sorted(shown))}",
              file=out)
        return 1
    if formgrader != 404:
        print(f"JupyterLab serves the formgrader (HTTP {formgrader}), an instructor's tool",
              file=out)
        return 1
    print(f"checked: JupyterLab served {workspace} with {', '.join(sorted(wanted))}, without "
          f"nbgrader's instructor tools", file=out)
    return 0
