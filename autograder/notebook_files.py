"""Reading and writing notebooks in the form the repository stores them: clean and stable."""

import re

import nbformat

NOTEBOOK_METADATA = ("kernelspec", "language_info")
CELL_METADATA = ("nbgrader", "deletable", "editable")


def clean(nb):
    """Drop outputs, execution counts and all metadata but what the course needs, in place.

    nb: a NotebookNode. Returns it, for chaining.
    """
    nb.metadata = {k: v for k, v in nb.metadata.items() if k in NOTEBOOK_METADATA}
    for cell in nb.cells:
        cell.metadata = {k: v for k, v in cell.metadata.items() if k in CELL_METADATA}
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        if "attachments" in cell and not cell.attachments:
            del cell["attachments"]
    return nb


def write_clean(nb, path):
    """Write `nb` to `path` cleaned, with sorted keys so that equal notebooks are equal bytes."""
    text = nbformat.writes(clean(nb), version=4)
    path.write_text(text if text.endswith("\n") else text + "\n")


def is_clean(path):
    """True if the notebook at `path` is stored exactly as write_clean() would store it."""
    nb = nbformat.read(path, as_version=4)
    text = nbformat.writes(clean(nb), version=4)
    return path.read_text() == (text if text.endswith("\n") else text + "\n")


SOLUTION_REGION = re.compile(r"[ \t]*### BEGIN SOLUTION\n(.*?)[ \t]*### END SOLUTION\n?", re.S)


def solution_code(cell):
    """A solution cell's source with the solution markers removed: the reference as plain code."""
    return SOLUTION_REGION.sub(lambda m: m.group(1), cell.source)
