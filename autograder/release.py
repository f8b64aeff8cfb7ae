"""Generate the student release (notebooks/) from the instructor sources (solutions/) with nbgrader."""

import pathlib
import shutil
import tempfile

import nbformat

from .course import NOTEBOOKS, CourseError, assignment_ids, nbgrader_api, nbgrader_config, source_notebook
from .notebook_files import write_clean


def release(ids=None, out_dir=NOTEBOOKS):
    """Run `nbgrader generate_assignment` for each id and store the notebooks clean in out_dir.

    ids: assignment ids; all of solutions/ when None (then release folders without a source are
        removed).
    out_dir: the release directory; notebooks/ unless a test releases elsewhere.
    Returns the list of written notebook paths. Raises CourseError if nbgrader fails.
    """
    out_dir = pathlib.Path(out_dir).resolve()
    everything = ids is None
    ids = assignment_ids() if everything else list(ids)
    for assignment_id in ids:
        source_notebook(assignment_id)
    written = []
    with tempfile.TemporaryDirectory(prefix="release-gradebook-") as scratch:
        config = nbgrader_config(CourseDirectory={
            "release_directory": str(out_dir),
            "db_url": f"sqlite:///{pathlib.Path(scratch) / 'gradebook.db'}",
        })
        api = nbgrader_api(config)
        for assignment_id in ids:
            result = api.generate_assignment(assignment_id, force=True, create=True)
            if not result["success"]:
                raise CourseError(f"nbgrader could not release {assignment_id}:\n"
                                  f"{result.get('error') or result.get('log')}")
            for path in sorted((out_dir / assignment_id).glob("*.ipynb")):
                write_clean(nbformat.read(path, as_version=4), path)
                written.append(path)
    if everything:
        for stale in out_dir.iterdir():
            if stale.is_dir() and stale.name not in ids:
                shutil.rmtree(stale)
    return written
