"""Pieces of the course notebooks that the tests take apart and put back together."""


import nbformat

from autograder.course import NOTEBOOKS, SOLUTIONS, assignment_ids
from autograder.scoring.judge import hidden_checks

from autograder.course.notebook_files import SOLUTION_REGION, solution_code  # noqa: F401 (re-exported)
from autograder.course.nbgrader_cells import is_solution_code as is_solution  # noqa: F401 (re-exported)
from autograder.course.nbgrader_cells import is_test_code as is_test  # noqa: F401 (re-exported)



def source(assignment_id):
    return nbformat.read(SOLUTIONS / assignment_id / f"{assignment_id}.ipynb", as_version=4)


def release(assignment_id):
    return nbformat.read(NOTEBOOKS / assignment_id / f"{assignment_id}.ipynb", as_version=4)


def nbgrader_meta(cell):
    return cell.metadata.get("nbgrader", {})


def cells_by_id(nb):
    """{grade_id: cell} for the nbgrader cells of nb."""
    return {nbgrader_meta(c)["grade_id"]: c for c in nb.cells if "grade_id" in nbgrader_meta(c)}


def hidden_code(cell):
    """The hidden checks of a test cell (autograder/scoring/hidden_checks/), or '' if it has none."""
    grade_id = nbgrader_meta(cell).get("grade_id")
    if not is_test(cell):
        return ""
    found = [checks[grade_id] for a in assignment_ids() for checks in [hidden_checks(a)]
             if grade_id in checks]
    return found[0] if found else ""


def graded_functions(nb):
    """{grade_id of the solution cell: grade_id of the test cell after it}, in notebook order."""
    pairs, pending = {}, None
    for cell in nb.cells:
        if is_solution(cell):
            pending = nbgrader_meta(cell)["grade_id"]
        elif is_test(cell) and pending:
            pairs[pending] = nbgrader_meta(cell)["grade_id"]
            pending = None
    return pairs


def filled(nb, answers):
    """A copy of a release notebook with solution cells replaced, as a student would hand it in.

    answers: {grade_id of a solution cell: code}; cells not named keep the release stub.
    """
    nb = nbformat.from_dict(nb)
    by_id = cells_by_id(nb)
    for grade_id, code in answers.items():
        by_id[grade_id].source = code
    return nb
