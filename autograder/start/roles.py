"""Which of nbgrader's Jupyter extensions each kind of user sees, written as Jupyter configuration.

    python -m autograder hub-config --role student|instructor --config-dir DIR
                                    [--exchange PATH --course-id ID]

nbgrader installs four Jupyter server extensions and six JupyterLab plugins, all enabled for
everyone. A student needs the Assignments list (fetch, submit) and the Validate button; the
formgrader, the course list and the "Create Assignment" cell toolbar are the instructor's. Each is
switched on or off by Jupyter's own settings: the server's `ServerApp.jpserver_extensions`
(`jupyter_server_config.json`) and JupyterLab's `disabledExtensions` (`labconfig/page_config.json`).

`config_files` returns those files for a role; `write_config` writes them into a folder that is
then put on the Jupyter config path of that role's servers (the environment variable
JUPYTER_CONFIG_PATH, or the `etc/jupyter` folder of the role's own Python environment). Hiding a
tool is presentation, not access control: what a student can read or write in the exchange is
decided by the exchange folder's permissions.

This module uses only the standard library: `python -m autograder start` imports it in a student's
environment, where nbgrader is not installed.
"""

import importlib.util
import json
import pathlib

LAB = "@jupyter/nbgrader"
SERVER = "nbgrader.server_extensions"

# nbgrader 0.9.6's JupyterLab plugins (ids from its labextension) and server extensions.
LAB_PLUGINS = tuple(f"{LAB}:{name}" for name in (
    "menu", "formgrader", "course-list", "create-assignment", "assignment-list",
    "validate-assignment"))
SERVER_EXTENSIONS = tuple(f"{SERVER}.{name}" for name in (
    "formgrader", "course_list", "assignment_list", "validate_assignment"))

# The instructor's tools: grading (formgrader), the courses one teaches (course list) and the cell
# toolbar that marks cells as graded (create assignment).
INSTRUCTOR_ONLY_LAB = (f"{LAB}:formgrader", f"{LAB}:course-list", f"{LAB}:create-assignment")
INSTRUCTOR_ONLY_SERVER = (f"{SERVER}.formgrader", f"{SERVER}.course_list")

# What each role leaves out. A hub student keeps the Nbgrader menu (which then offers only the
# Assignment List: the menu shows no entry whose plugin is disabled), the Assignments list and
# Validate. A student on their own computer (`start`) has no exchange to fetch from, so the
# Assignments list and its menu go as well; Validate stays where nbgrader is installed.
DISABLED_LAB = {
    "instructor": (),
    "student": INSTRUCTOR_ONLY_LAB,
    "laptop": INSTRUCTOR_ONLY_LAB + (f"{LAB}:menu", f"{LAB}:assignment-list"),
}
DISABLED_SERVER = {
    "instructor": (),
    "student": INSTRUCTOR_ONLY_SERVER,
    "laptop": INSTRUCTOR_ONLY_SERVER + (f"{SERVER}.assignment_list",),
}
ROLES = ("student", "instructor")  # the roles of `hub-config`; "laptop" is `start`'s


def nbgrader_installed():
    """Whether this Python environment has nbgrader (the instructor's) or not (a student's)."""
    try:
        return importlib.util.find_spec("nbgrader") is not None
    except (ImportError, ValueError):  # refused by an import hook, or marked missing in sys.modules
        return False


def page_config(role):
    """JupyterLab's labconfig/page_config.json for `role`: each nbgrader plugin, disabled or not.

    Every plugin is named, enabled ones with false, so that this file decides over a
    page_config.json of lower precedence (the environment's own, say) whatever that one says.
    """
    disabled = DISABLED_LAB[role]
    return {"disabledExtensions": {plugin: plugin in disabled for plugin in LAB_PLUGINS}}


def server_config(role):
    """jupyter_server_config.json for `role`: each nbgrader server extension, enabled or not."""
    disabled = DISABLED_SERVER[role]
    return {"ServerApp": {"jpserver_extensions": {
        extension: extension not in disabled for extension in SERVER_EXTENSIONS}}}


# The code that makes `nbgrader validate` wrap long lines; written into the hubs' nbgrader_config.py
# as text (read, not imported: this module runs where nbgrader is not installed).
VALIDATOR_LINES = pathlib.Path(__file__).parents[1] / "course" / "validator_lines.py"


def hub_nbgrader_config(exchange=None, course=None):
    """nbgrader_config.py for a hub's servers: Validate shows each message whole and, with an
    exchange and a course, the Assignments list and Validate find the course in nbgrader's
    exchange."""
    text = ("# Written by `python -m autograder hub-config`: nbgrader's settings for this course on\n"
            "# a hub's servers.\n"
            "c = get_config()  # noqa: F821\n")
    if exchange is not None:
        text += ("# Where this course's assignments are released and submitted (nbgrader's "
                 "exchange).\n"
                 f"c.Exchange.root = {str(exchange)!r}\n"
                 f"c.CourseDirectory.course_id = {course!r}\n")
    return (text + "\n# `nbgrader validate` and the Validate button: each line of a check's "
            "message whole.\n"
            + VALIDATOR_LINES.read_text() + "\n\ninstall()\n")


def config_files(role, exchange=None, course=None, server_extensions=True):
    """{path relative to the config folder: content} of the Jupyter configuration for `role`.

    JSON files are dicts (write_config merges them into files already there), nbgrader_config.py
    is text.
    server_extensions: False leaves jupyter_server_config.json out (where nbgrader is not
        installed, naming its server extensions would only make the server log that it cannot
        import them).
    """
    if role not in DISABLED_LAB:
        raise ValueError(f"unknown role {role!r}")
    if (exchange is None) != (course is None):
        raise ValueError("the exchange and the course id go together")
    files = {pathlib.Path("labconfig", "page_config.json"): page_config(role)}
    if server_extensions:
        files[pathlib.Path("jupyter_server_config.json")] = server_config(role)
    if role in ROLES:
        files[pathlib.Path("nbgrader_config.py")] = hub_nbgrader_config(exchange, course)
    return files


def write_config(config_dir, role, exchange=None, course=None, server_extensions=True):
    """Write config_files(...) into config_dir (created if missing); return the paths written.

    A JSON file already there keeps its other settings: only the nbgrader entries change. An
    nbgrader_config.py already there is replaced only if this command wrote it; otherwise
    ValueError, before anything is written.
    """
    config_dir = pathlib.Path(config_dir)
    files = config_files(role, exchange, course, server_extensions)
    contents = {}
    for relative, content in files.items():
        path = config_dir / relative
        if isinstance(content, str):
            if path.exists() and not path.read_text().startswith(content.splitlines()[0]):
                raise ValueError(f"{path} exists and was not written by this command; move it "
                                 f"away, or add the exchange settings to it yourself")
            contents[path] = content
        else:
            old = json.loads(path.read_text() or "{}") if path.exists() else {}
            if isinstance(old.get("disabledExtensions"), list):  # the older form: a list of ids
                old["disabledExtensions"] = dict.fromkeys(old["disabledExtensions"], True)
            contents[path] = json.dumps(merge(old, content), indent=2) + "\n"
    for path, text in contents.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return list(contents)


def merge(old, new):
    """`old` updated with `new`, recursively through dicts."""
    merged = dict(old)
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged
