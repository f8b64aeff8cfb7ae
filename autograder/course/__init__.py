"""Where the course lives and how nbgrader is configured for it (the release stage: docs/architecture.md).

Imported by `python -m autograder start` in a student's environment, which has neither nbgrader
nor SQLAlchemy: what needs them is imported where it is used.
"""

import os
import pathlib
import sys
import warnings

REPO = pathlib.Path(__file__).resolve().parents[2]
SOLUTIONS = REPO / "solutions"
NOTEBOOKS = REPO / "notebooks"
CONFIG_FILE = pathlib.Path(__file__).with_name("nbgrader_config.py")


# nbgrader 0.9.6's gradebook code makes SQLAlchemy warn "Object of type <SubmittedAssignment> not
# in session" on every new submission; the warning is about nbgrader's own session handling, is
# harmless (the rows are written), and tells an instructor nothing they can act on.
try:
    from sqlalchemy.exc import SAWarning
except ImportError:  # a student's environment: no nbgrader, no gradebook
    pass
else:
    warnings.filterwarnings("ignore", category=SAWarning, module=r"nbgrader\.")


class CourseError(Exception):
    """Something the instructor must fix; the message says what."""


def assignment_ids():
    """Ids of the assignments in solutions/, in course order: the folders holding <id>/<id>.ipynb."""
    return sorted(p.name for p in SOLUTIONS.iterdir() if (p / f"{p.name}.ipynb").is_file())


def source_notebook(assignment_id):
    """Path of an assignment's source notebook; CourseError if there is none."""
    path = SOLUTIONS / assignment_id / f"{assignment_id}.ipynb"
    if not path.is_file():
        known = ", ".join(assignment_ids()) or "none"
        raise CourseError(f"no assignment {assignment_id!r} in {SOLUTIONS} (known: {known})")
    return path


def nbgrader_config(**sections):
    """The course's nbgrader Config, with `sections` merged on top.

    sections: e.g. CourseDirectory={"root": "/tmp/x"}; each value is a dict of trait values.
    """
    from traitlets.config import Config, PyFileConfigLoader

    config = PyFileConfigLoader(CONFIG_FILE.name, path=str(CONFIG_FILE.parent)).load_config()
    config.merge(Config({name: dict(values) for name, values in sections.items()}))
    return config


def put_environment_on_path():
    """Put the bin/ folder of the running Python's environment first on PATH, if it is missing.

    nbgrader runs the `alembic` command to create a gradebook. Started as `.venv/bin/nbgrader`
    without an activated environment, it finds no `alembic` and fails, and a failed
    `generate_assignment --force` has already removed the assignment's release folder. The course
    configuration calls this, so the stock `nbgrader` command works as the README writes it.
    """
    bin_dir = str(pathlib.Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


def nbgrader_api(config):
    """An NbGraderAPI for `config`, with this environment's bin/ on PATH."""
    from nbgrader.apps import NbGraderAPI

    put_environment_on_path()
    return NbGraderAPI(config=config)
