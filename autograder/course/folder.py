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
import stat

from autograder.course import NOTEBOOKS, REPO, SOLUTIONS, CourseError
from autograder.course.gradebook_url import gradebook_url

CONFIG_NAME = "nbgrader_config.py"


def config_text(folder, course_id, exchange=None):
    """The text of DIR/nbgrader_config.py."""
    lines = [
        "# Written by `python -m autograder setup-course`: this semester's nbgrader settings.",
        "c = get_config()  # noqa: F821",
        "# The course: preprocessors, feedback pages, limits (autograder/course/nbgrader_config.py).",
        f"load_subconfig({str(REPO / CONFIG_NAME)!r})  # noqa: F821",
        "# This semester's folder: gradebook, submitted/, autograded/, feedback/.",
        f"c.CourseDirectory.root = {str(folder)!r}",
        f"c.CourseDirectory.db_url = {gradebook_url(folder)!r}",
        f"c.CourseDirectory.source_directory = {str(SOLUTIONS)!r}",
        f"c.CourseDirectory.release_directory = {str(NOTEBOOKS)!r}",
        f"c.CourseDirectory.course_id = {course_id!r}",
    ]
    if exchange is not None:
        lines += ["# nbgrader's exchange, shared with the students' servers (release, submit, "
                  "collect, feedback).",
                  f"c.Exchange.root = {str(exchange)!r}"]
    return "\n".join(lines) + "\n"


# nbgrader's exchange root must let every student's user make their submissions in it; nbgrader
# sets the permissions of the folders it creates inside (outbound readable, inbound writable).
EXCHANGE_MODE = 0o777


def prepare_exchange(exchange):
    """Check the exchange folder, or create it; return a sentence saying what was done.

    CourseError where it is something else than a folder. A folder that others cannot write into
    is kept as it is (the instructor may grant access by group), with a sentence saying so.
    """
    if exchange.exists() and not exchange.is_dir():
        raise CourseError(f"the exchange {exchange} exists and is not a folder")
    if not exchange.exists():
        try:
            exchange.mkdir(parents=True)
            exchange.chmod(EXCHANGE_MODE)
        except OSError as error:
            raise CourseError(f"could not create the exchange folder {exchange}: "
                              f"{error.strerror}; create it as root with `mkdir -p {exchange} && "
                              f"chmod 777 {exchange}`") from None
        return f"created the exchange folder {exchange}, writable by every user (mode 777)"
    mode = stat.S_IMODE(exchange.stat().st_mode)
    if mode & EXCHANGE_MODE != EXCHANGE_MODE:
        return (f"the exchange folder {exchange} has mode {mode:o}: students can submit only if "
                f"they may write into it (`chmod 777 {exchange}`, or a group of theirs)")
    return f"the exchange folder {exchange} exists and every user may write into it"


def setup_course(folder, course_id, exchange=None):
    """Create DIR and its nbgrader_config.py, and check or create the exchange.

    Returns (the config path, sentences saying what was done with the exchange). An existing
    nbgrader_config.py is kept when it says the same, refused otherwise (it may hold the
    instructor's own settings).
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
    said = [prepare_exchange(exchange)] if exchange is not None else []
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path, said
