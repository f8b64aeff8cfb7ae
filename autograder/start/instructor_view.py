"""The instructor's view: JupyterLab in a course folder, with every one of nbgrader's tools.

    python -m autograder formgrader [--course DIR] [--check] [JUPYTERLAB OPTIONS]

DIR (default: the current folder) is a course folder: one that `setup-course` made, or this
repository, whose nbgrader_config.py makes it a course of its own. JupyterLab opens there with
nbgrader's menu, formgrader, course list and "Create Assignment" enabled whatever the environment's
defaults say (roles.DISABLED_LAB["instructor"]), as root too (--allow-root is added). Formgrader
is Nbgrader > Formgrader in the menu, or the /formgrader page of the printed address. Its grading
page renders maths with the MathJax that this server serves (jupyter-server-mathjax), so it works
without internet access.
"""

import sys
import tempfile

from autograder.start import roles
from autograder.course import CourseError
from autograder.start.launcher import check_serves, serve, jupyterlab_command, page_config_of
from autograder.start.workspace import jupyter_environment

MATHJAX = "/static/jupyter_server_mathjax/MathJax.js"


def course_folder(folder):
    """`folder` resolved, if nbgrader reads a course from it; CourseError otherwise."""
    folder = folder.resolve()
    if not (folder / "nbgrader_config.py").is_file():
        raise CourseError(f"{folder} has no nbgrader_config.py, so it is not a course folder: run "
                          f"this command in the folder `python -m autograder setup-course` made, "
                          f"or pass --course DIR")
    return folder


def inspect(get):
    """Problems with what an instructor's JupyterLab serves (see launcher.check_serves)."""
    problems = []
    status, page = get("/lab")
    disabled = page_config_of(page).get("disabledExtensions", []) if status == 200 else None
    hidden = [p for p in roles.LAB_PLUGINS if disabled is None or p in disabled]
    if hidden:
        problems.append(f"JupyterLab's page (HTTP {status}) disables {', '.join(hidden)}")
    status, body = get("/formgrader/api/assignments")
    if status != 200:
        problems.append(f"formgrader's assignment list answered HTTP {status}: {body[:300]}")
    status, _ = get(MATHJAX)
    if status != 200:
        problems.append(f"the server does not serve MathJax at {MATHJAX} (HTTP {status}); "
                        f"install jupyter-server-mathjax (requirements.txt)")
    return problems


def open_formgrader(folder, extra=(), check=False, out=sys.stdout):
    """Open `folder` in JupyterLab with nbgrader's tools; return JupyterLab's exit status."""
    folder = course_folder(folder)
    command = jupyterlab_command(folder, extra)
    print(f"Opening the course folder {folder} with nbgrader's tools: Nbgrader > Formgrader in "
          f"JupyterLab's menu, or /formgrader after the address JupyterLab prints.", file=out)
    if "--allow-root" in command and "--allow-root" not in extra:
        print("Running as root: JupyterLab is started with --allow-root.", file=out)
    out.flush()
    with tempfile.TemporaryDirectory(prefix="course-jupyter-config-") as config_dir:
        roles.write_config(config_dir, "instructor")
        env = jupyter_environment(config_dir)
        if not check:
            return serve(command, folder, env=env)
        status = check_serves(command, folder, [], out=out, env=env, inspect=inspect)
        if status == 0:
            print(f"checked: JupyterLab served {folder} with formgrader and nbgrader's menu, and "
                  f"MathJax from this server", file=out)
        return status

