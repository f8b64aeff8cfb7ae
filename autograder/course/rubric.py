"""The grading guide for the answers graded by hand, generated from the solution notebooks.

Formgrader shows a TA the student's answer and a score box, never the source's model answer. So
each assignment with a manually graded answer cell gets a page, docs/rubrics/<id>.md: per answer,
the question as students read it, then the model answer and the rubric, which live in the answer
cell's solution region of solutions/<id>/<id>.ipynb (the one source). `python -m autograder release`
writes the pages again; nothing of them is released to students.
"""

import nbformat

from autograder.course import REPO, source_notebook
from autograder.course.nbgrader_cells import is_grade, is_solution
from autograder.course.notebook_files import SOLUTION_REGION

RUBRICS = REPO / "docs" / "rubrics"


def hand_graded(cell):
    """True for an nbgrader "manually graded answer": a graded solution cell, which nbgrader never
    locks (code graded by hand has an autograded test cell instead, so only markdown cells are
    these)."""
    return cell.cell_type == "markdown" and bool(is_grade(cell)) and bool(is_solution(cell))


def _question(cells, index):
    """The markdown students read before the answer cell at `index`, from its section's heading."""
    start = index
    while start > 0:
        start -= 1
        if cells[start].cell_type == "markdown" and cells[start].source.startswith("## "):
            break
    return "\n\n".join(c.source for c in cells[start:index] if c.cell_type == "markdown")


def render(assignment_id):
    """The text of docs/rubrics/<id>.md, or None when the assignment has no answer graded by hand."""
    nb = nbformat.read(source_notebook(assignment_id), as_version=4)
    answers = [(i, c) for i, c in enumerate(nb.cells) if hand_graded(c)]
    if not answers:
        return None
    parts = [f"# Grading guide: {assignment_id}\n\n"
             f"Generated from `solutions/{assignment_id}/{assignment_id}.ipynb` by "
             f"`python -m autograder release`; do not edit. For the people who grade: it holds the "
             f"model answers, so it is never released. Open it beside formgrader's Manual Grading "
             f"page (`docs/teaching.md`, \"Grading by hand\").\n"]
    for index, cell in answers:
        meta = cell.metadata["nbgrader"]
        solution = SOLUTION_REGION.search(cell.source)
        model = solution.group(1).strip() if solution else "(no model answer in the source)"
        question = "\n".join(f"> {line}" if line else ">"
                             for line in _question(nb.cells, index).splitlines())
        parts.append(f"## `{meta['grade_id']}` ({meta.get('points', 0):g} points)\n\n"
                     f"### The question, as students read it\n\n{question}\n\n"
                     f"### Model answer and rubric\n\n{model}\n")
    return "\n".join(parts)


def path_of(assignment_id):
    return RUBRICS / f"{assignment_id}.md"


def is_current(assignment_id):
    text, path = render(assignment_id), path_of(assignment_id)
    return (not path.exists()) if text is None else (path.is_file() and path.read_text() == text)


def write(assignment_id):
    """Write docs/rubrics/<id>.md again (or remove a stale one); return its path if it changed."""
    if is_current(assignment_id):
        return None
    text, path = render(assignment_id), path_of(assignment_id)
    if text is None:
        path.unlink()
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return path
