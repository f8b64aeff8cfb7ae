"""A student's start: their own copy of the release, opened in JupyterLab.

    python -m autograder start [--workspace DIR] [-- JUPYTERLAB OPTIONS]

The release in notebooks/ is generated and stays as released; a student works in a copy of it
(`work/` by default, git-ignored). Files already in the copy are never overwritten, so running the
command again keeps the student's work and only adds what is new in the release.
"""

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

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


def start(workspace=WORKSPACE, extra=(), check=False, out=sys.stdout):
    """Copy the release into `workspace` and run JupyterLab there; return its exit status."""
    workspace = workspace.resolve()
    copied, kept = copy_release(workspace)
    write_validate_config(workspace)
    print(f"Your copy of the course is in {workspace}: work there, in <id>/<id>.ipynb.", file=out)
    if copied and kept:
        print(f"Added {len(copied)} new file(s) from the release; kept your {len(kept)} file(s) "
              f"as they are.", file=out)
    elif kept:
        print(f"Kept your {len(kept)} file(s) as they are.", file=out)
    command = jupyterlab_command(workspace, extra)
    if "--allow-root" in command and "--allow-root" not in extra:
        print("Running as root: JupyterLab is started with --allow-root.", file=out)
    out.flush()
    if check:
        return check_serves(command, workspace, out)
    return subprocess.call(command, cwd=workspace)


def check_serves(command, workspace, out=sys.stdout, timeout=120):
    """Start JupyterLab headless, ask its API for the workspace's folders, stop it; 0 if all good."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    token = secrets.token_hex(16)
    log = tempfile.TemporaryFile("w+")
    server = subprocess.Popen(command + ["--no-browser", f"--ServerApp.port={port}",
                                         "--ServerApp.ip=127.0.0.1",
                                         f"--IdentityProvider.token={token}"],
                              stdout=subprocess.DEVNULL, stderr=log, text=True, cwd=workspace)
    url = f"http://127.0.0.1:{port}/api/contents?token={token}"
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
    print(f"checked: JupyterLab served {workspace} with {', '.join(sorted(wanted))}", file=out)
    return 0
