"""What each student wrote: the solution cells of a submitted notebook, read as the grader reads.

The release names the solution cells (nbgrader's cell metadata `solution: true`, code cells, by
`grade_id`); a submission's cell with one of those grade ids is the student's answer. The
release's code of that cell (the def line, the docstring, `raise NotImplementedError()`) is
given, not written: its lines and k-grams are subtracted (fingerprints.py).

A notebook is read as the grader's intake does (autograder/grading/intake.py): opened relative to
its folder with O_NOFOLLOW, a regular file with no other hard link, within the size limit, JSON
of bounded depth, nbformat 4. The students' code taken from one notebook is bounded too.
"""

import json
import os

from autograder.course import NOTEBOOKS, SOLUTIONS
from autograder.grading.intake import Refused, _Copier
from autograder.course.notebook_files import SOLUTION_REGION

MAX_CODE_CHARS = 256 * 1024   # a student's code in one notebook, all solution cells together


def _source(cell):
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else str(text)


def _solution_ids(cells):
    return [c["metadata"]["nbgrader"]["grade_id"] for c in cells
            if c.get("cell_type") == "code"
            and c.get("metadata", {}).get("nbgrader", {}).get("solution")]


def release_cells(assignment):
    """{grade id: the release's code} of the assignment's solution cells, in notebook order."""
    nb = json.loads((NOTEBOOKS / assignment / f"{assignment}.ipynb").read_text())
    by_id = {c.get("metadata", {}).get("nbgrader", {}).get("grade_id"): c for c in nb["cells"]}
    return {grade_id: _source(by_id[grade_id]) for grade_id in _solution_ids(nb["cells"])}


def reference_cells(assignment):
    """{grade id: the reference solution's code} of the solution cells, markers removed."""
    nb = json.loads((SOLUTIONS / assignment / f"{assignment}.ipynb").read_text())
    wanted = set(release_cells(assignment))
    found = {}
    for cell in nb["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in wanted and cell.get("cell_type") == "code":
            found[grade_id] = SOLUTION_REGION.sub(lambda m: m.group(1), _source(cell))
    return found


def read_notebook(folder, name, limits):
    """The parsed notebook `folder/name`, read with no link followed; Refused says why not."""
    try:
        top = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError as error:
        raise Refused(f"the submission folder could not be opened ({os.strerror(error.errno)})"
                      ) from None
    try:
        copier = _Copier(limits, os.fstat(top).st_dev)
        try:
            info = os.stat(name, dir_fd=top, follow_symlinks=False)
        except FileNotFoundError:
            raise Refused(f"no {name} in the submission") from None
        refusal = copier._kind(info)
        if refusal:
            raise Refused(f"{name} {refusal}")
        if info.st_size > limits.notebook_bytes:
            raise Refused(f"{name} is over the {limits.notebook_bytes // (1024 * 1024)} MiB limit")
        data = copier._read(top, name, info, limits.notebook_bytes)
        if data is None or len(data) > limits.notebook_bytes:
            raise Refused(f"{name} changed while it was read, or grew over the limit")
    finally:
        os.close(top)
    try:
        nb = json.loads(data)
    except (ValueError, RecursionError) as error:
        raise Refused(f"{name} is not a readable notebook ({type(error).__name__})") from None
    if not isinstance(nb, dict) or nb.get("nbformat") != 4 or not isinstance(nb.get("cells"), list):
        raise Refused(f"{name} is not an nbformat 4 notebook")
    if len(nb["cells"]) > limits.max_cells:
        raise Refused(f"{name} has {len(nb['cells'])} cells, over the limit of {limits.max_cells}")
    return nb


def student_cells(nb, wanted):
    """{grade id: code} of the notebook's cells whose grade id is in `wanted` (the solution
    cells), at most MAX_CODE_CHARS in all; a cell without nbgrader metadata is not an answer."""
    found, room = {}, MAX_CODE_CHARS
    for cell in nb["cells"]:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        meta = cell.get("metadata")
        nbgrader = meta.get("nbgrader") if isinstance(meta, dict) else None
        grade_id = nbgrader.get("grade_id") if isinstance(nbgrader, dict) else None
        if not isinstance(grade_id, str) or grade_id not in wanted or grade_id in found:
            continue
        code = _source(cell)[:room]
        found[grade_id] = code
        room -= len(code)
    return found
