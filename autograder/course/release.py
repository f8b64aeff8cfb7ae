"""Generate the student release (notebooks/) from the instructor sources (solutions/) with nbgrader."""

import fnmatch
import pathlib
import shutil
import tempfile

import nbformat

from autograder.course import (NOTEBOOKS, REPO, CourseError, assignment_ids, nbgrader_api, nbgrader_config,
                     source_notebook)
from autograder.course.notebook_files import write_clean

# Files that the tools of a person who opens the release create next to it: JupyterLab's
# checkpoints and virtual documents, Python's bytecode caches, editors' and file managers' files.
# They are not part of the release: `release` neither compares nor removes them.
NOT_RELEASE = (".*", "__pycache__", "*.pyc", "*~", "Untitled*.ipynb")

# The package every notebook imports (`from utils import check, ...`). Each released assignment
# carries its own copy in <id>/utils/, so that an assignment a student fetches through nbgrader's
# exchange, or downloads alone, runs where this repository is not installed. A notebook's folder
# comes first on its kernel's import path, so the copy beside it is the one imported.
UTILS = REPO / "utils"


def release_files(folder):
    """{path relative to folder: bytes} of the release files under `folder` (see NOT_RELEASE)."""
    folder = pathlib.Path(folder)
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(fnmatch.fnmatch(part, pattern) for part in relative.parts for pattern in NOT_RELEASE):
            continue
        if path.is_file():
            found[relative] = path.read_bytes()
    return found


def release(ids=None, out_dir=NOTEBOOKS):
    """Run `nbgrader generate_assignment` for each id and store the notebooks clean in out_dir.

    Released into notebooks/, the assignments are also recorded in the course's gradebook
    (gradebook.db at the repository root, git-ignored), as stock generate_assignment records them,
    so that the stock `nbgrader autograde` can grade them next; released elsewhere (a test), the
    gradebook is a scratch one.

    nbgrader writes into a scratch folder first; out_dir changes only once every assignment has
    been generated, and then only in the files whose content differs, so a failure leaves the
    previous release whole and a rerun changes no byte.
    ids: assignment ids; all of solutions/ when None (then release folders without a source are
        removed).
    out_dir: the release directory; notebooks/ unless a test releases elsewhere.
    Returns the paths written or removed, in order. Raises CourseError if nbgrader fails.
    """
    out_dir = pathlib.Path(out_dir).resolve()
    everything = ids is None
    ids = assignment_ids() if everything else list(ids)
    for assignment_id in ids:
        source_notebook(assignment_id)
    changed = []
    with tempfile.TemporaryDirectory(prefix="release-") as scratch:
        staging = pathlib.Path(scratch) / "release"
        directories = {"release_directory": str(staging)}
        if out_dir != NOTEBOOKS.resolve():
            from autograder.course.gradebook_url import gradebook_url  # sqlalchemy: not in a student's start
            directories["db_url"] = gradebook_url(scratch)
        config = nbgrader_config(CourseDirectory=directories)
        api = nbgrader_api(config)
        for assignment_id in ids:
            result = api.generate_assignment(assignment_id, force=True, create=True)
            if not result["success"]:
                raise CourseError(f"nbgrader could not release {assignment_id}; notebooks/ is "
                                  f"unchanged:\n{result.get('error') or result.get('log')}")
            for path in sorted((staging / assignment_id).glob("*.ipynb")):
                write_clean(nbformat.read(path, as_version=4), path)
            vendor_utils(staging / assignment_id)
        for assignment_id in ids:
            changed += _sync(staging / assignment_id, out_dir / assignment_id)
    if everything and out_dir.is_dir():
        for stale in sorted(out_dir.iterdir()):
            if stale.is_dir() and stale.name not in ids and release_files(stale):
                shutil.rmtree(stale)
                changed.append(stale)
    return changed


def vendor_utils(assignment_folder):
    """Copy the utils package (its release files) into assignment_folder/utils/."""
    for relative, content in release_files(UTILS).items():
        target = pathlib.Path(assignment_folder) / "utils" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def _sync(new, old):
    """Make the release files of folder `old` those of `new`; return the paths written or removed."""
    wanted, present = release_files(new), release_files(old)
    changed = []
    for relative, content in wanted.items():
        if present.get(relative) != content:
            target = old / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            changed.append(target)
    for relative in present.keys() - wanted.keys():
        (old / relative).unlink()
        changed.append(old / relative)
    return changed
