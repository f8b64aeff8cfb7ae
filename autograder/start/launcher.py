"""Open a folder of the course in JupyterLab, or check that JupyterLab serves it and stop.

Standard library only, and self-contained: this file is also the `open_course.py` of the student
package (autograder/start/student_package.py), where it runs in an environment with JupyterLab and
nothing of this repository. There, `python open_course.py` opens the package's own folder:

    python open_course.py [--check] [JUPYTERLAB OPTIONS]

As root (a container's usual user) Jupyter refuses to start without --allow-root; it is added
here, so that the same command works for everyone. `--check` (or the environment variable
COURSE_START_CHECK=1) starts JupyterLab headless, asks its HTTP API for the folder's assignments and
stops, instead of serving until interrupted: what CI and the tests run.
"""

import html.parser
import json
import os
import pathlib
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

CHECK_VARIABLE = "COURSE_START_CHECK"


def jupyterlab_command(folder, extra=()):
    """The JupyterLab command line that opens `folder` (with --allow-root when run as root)."""
    command = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={folder}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in extra:
        command.append("--allow-root")
    return command + list(extra)


def serve(command, folder, env=None):
    """Run JupyterLab until it ends; return its exit status.

    A SIGTERM to this process is passed on to JupyterLab (which then stops its kernels), so that
    stopping the command stops the server; Ctrl-C reaches JupyterLab itself, which asks to confirm.
    """
    server = subprocess.Popen(command, cwd=folder, env=env)
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: server.terminate())
    try:
        while True:
            try:
                return server.wait()
            except KeyboardInterrupt:
                continue
    finally:
        signal.signal(signal.SIGTERM, previous)


def assignment_folders(folder):
    """Names of the assignment folders in `folder`: those holding <id>/<id>.ipynb."""
    return sorted(p.name for p in pathlib.Path(folder).iterdir()
                  if (p / f"{p.name}.ipynb").is_file())


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
            return answer.status, answer.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def check_serves(command, folder, wanted, out=sys.stdout, timeout=120, env=None, inspect=None):
    """Start JupyterLab headless, check that it lists `wanted` in `folder`, stop it; 0 if all good.

    inspect: None, or a function of get(path) -> (HTTP status, body), called while the server
        runs, that returns a list of problems (each a sentence) with what it serves.
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    token = secrets.token_hex(16)
    log = tempfile.TemporaryFile("w+")
    server = subprocess.Popen(command + ["--no-browser", f"--ServerApp.port={port}",
                                         "--ServerApp.ip=127.0.0.1",
                                         f"--IdentityProvider.token={token}"],
                              stdout=subprocess.DEVNULL, stderr=log, text=True, cwd=folder,
                              env=env)
    base = f"http://127.0.0.1:{port}"

    def get(path):
        return http_status(f"{base}{path}{'&' if '?' in path else '?'}token={token}")

    deadline = time.monotonic() + timeout
    problems = []
    try:
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"{base}/api/contents?token={token}",
                                            timeout=5) as answer:
                    listed = {item["name"] for item in json.load(answer)["content"]}
                break
            except OSError:
                time.sleep(0.5)
        else:
            log.seek(0)
            error = log.read() if server.poll() is not None else "no answer in time"
            print(f"JupyterLab did not serve {folder}: {error[-2000:]}", file=out)
            return 1
        missing = sorted(set(wanted) - listed)
        if missing:
            problems.append(f"JupyterLab served {sorted(listed)}, without {missing}")
        if inspect is not None:
            problems += inspect(get)
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    for problem in problems:
        print(problem, file=out)
    return 1 if problems else 0


def main(argv=None):
    """`python open_course.py [--check] [JUPYTERLAB OPTIONS]`: open this file's folder."""
    argv = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in argv or os.environ.get(CHECK_VARIABLE) == "1"
    extra = [a for a in argv if a != "--check"]
    folder = pathlib.Path(__file__).resolve().parent
    wanted = assignment_folders(folder)
    print(f"The course is in {folder}: work in <id>/<id>.ipynb ({', '.join(wanted)}).")
    command = jupyterlab_command(folder, extra)
    if "--allow-root" in command and "--allow-root" not in extra:
        print("Running as root: JupyterLab is started with --allow-root.")
    sys.stdout.flush()
    if check:
        status = check_serves(command, folder, wanted)
        if status == 0:
            print(f"checked: JupyterLab served {folder} with {', '.join(wanted)}")
        return status
    return serve(command, folder)


if __name__ == "__main__":
    sys.exit(main())
