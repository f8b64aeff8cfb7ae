"""The course as a student sees it, from this repository: a copy of the release, in JupyterLab.

    python -m autograder start [--workspace DIR] [JUPYTERLAB OPTIONS]

For instructors and authors: students get the student package instead (student_package.py), which
holds the release without the solutions. The release in notebooks/ is generated and stays as
released; `start` works in a copy of it (`work/` by default, git-ignored). Files already in the
copy are never overwritten, so running the command again keeps the work and only adds what is new
in the release.

JupyterLab opens without nbgrader's tools for instructors and for hubs (roles.DISABLED_LAB
["laptop"]), also in the instructor's environment: `start` puts a config folder of its own first on
JUPYTER_CONFIG_PATH for that server. Only the standard library, JupyterLab and what it installs are
needed: it runs in a student's environment (requirements-student.txt) too, which has no nbgrader.
"""

import os
import sys
import tempfile

from autograder.start import roles
from autograder.course import NOTEBOOKS, REPO
from autograder.start.launcher import (CHECK_VARIABLE, assignment_folders, check_serves, jupyterlab_command,
                       page_config_of, serve)
from autograder.course.release import release_files

WORKSPACE = REPO / "work"


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
            return check_start(command, workspace, out, env=env)
        return serve(command, workspace, env=env)


def check_start(command, workspace, out=sys.stdout, env=None):
    """launcher.check_serves for `start`: the workspace's assignments, and no instructor's tool.

    The /lab page must disable nbgrader's plugins that `start` hides and, where nbgrader is
    installed, the server must not serve the formgrader.
    """
    def inspect(get):
        status, page = get("/lab")
        disabled = set(page_config_of(page).get("disabledExtensions", []) if status == 200 else [])
        shown = set(roles.DISABLED_LAB["laptop"]) - disabled
        problems = [f"JupyterLab's page (HTTP {status}) does not disable {', '.join(sorted(shown))}"
                    ] if shown else []
        formgrader, _ = get("/formgrader")
        if formgrader != 404:
            problems.append(f"JupyterLab serves the formgrader (HTTP {formgrader}), an "
                            f"instructor's tool")
        return problems

    wanted = assignment_folders(NOTEBOOKS)
    status = check_serves(command, workspace, wanted, out=out, env=env, inspect=inspect)
    if status == 0:
        print(f"checked: JupyterLab served {workspace} with {', '.join(wanted)}, without "
              f"nbgrader's instructor tools", file=out)
    return status
