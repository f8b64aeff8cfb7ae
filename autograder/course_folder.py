"""An instructor's course folder for a semester: where nbgrader's exchange commands and `grade` meet.

    python -m autograder setup-course DIR --course-id ID [--exchange PATH]

The repository holds the course (solutions/, the release in notebooks/); a semester's work
(the gradebook, collected submissions, autograded notebooks, feedback) lives in a folder of its
own, so that each semester, or each section, has its own gradebook and nothing of a class ever
lands in the repository. The folder's nbgrader_config.py loads the course configuration and
points nbgrader at it: release from this repository's notebooks/, sources in its solutions/,
everything else in DIR. nbgrader reads that file when run in DIR, and so does formgrader when
Jupyter is started there.
"""

import pathlib

from .course import NOTEBOOKS, REPO, SOLUTIONS, CourseError

CONFIG_NAME = "nbgrader_config.py"


def config_text(folder, course_id, exchange=None):
    """The text of DIR/nbgrader_config.py."""
    lines = [
        "# Written by `python -m autograder setup-course`: this semester's nbgrader settings.",
        "c = get_config()  # noqa: F821",
        "# The course: preprocessors, feedback pages, limits (autograder/nbgrader_config.py).",
        f"load_subconfig({str(REPO / CONFIG_NAME)!r})  # noqa: F821",
        "# This semester's folder: gradebook, submitted/, autograded/, feedback/.",
        f"c.CourseDirectory.root = {str(folder)!r}",
        f"c.CourseDirectory.db_url = {'sqlite:///' + str(folder / 'gradebook.db')!r}",
        f"c.CourseDirectory.source_directory = {str(SOLUTIONS)!r}",
        f"c.CourseDirectory.release_directory = {str(NOTEBOOKS)!r}",
        f"c.CourseDirectory.course_id = {course_id!r}",
    ]
    if exchange is not None:
        lines += ["# nbgrader's exchange, shared with the students' servers (release, submit, "
                  "collect, feedback).",
                  f"c.Exchange.root = {str(exchange)!r}"]
    return "\n".join(lines) + "\n"


def setup_course(folder, course_id, exchange=None):
    """Create DIR and its nbgrader_config.py; return the config path.

    An existing nbgrader_config.py is kept when it says the same, refused otherwise (it may hold
    the instructor's own settings).
    """
    folder = pathlib.Path(folder).resolve()
    if not course_id or any(c in course_id for c in "/\\*?[] "):
        raise CourseError(f"course id {course_id!r}: use letters, digits, '-', '_' or '.'")
    exchange = pathlib.Path(exchange).resolve() if exchange else None
    if folder == REPO or REPO in folder.parents:
        raise CourseError(f"{folder} is inside the repository; a semester's folder holds student "
                          f"work and must live elsewhere")
    text = config_text(folder, course_id, exchange)
    path = folder / CONFIG_NAME
    if path.exists() and path.read_text() != text:
        raise CourseError(f"{path} exists with other settings; remove it or choose another folder")
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path
