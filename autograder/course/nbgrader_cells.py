"""Which of nbgrader's kinds a cell is, told by nbgrader's own predicates (nbgrader.utils).

nbgrader's `is_grade`, `is_solution` and `is_locked` read a cell's metadata; the two below narrow
them to code cells, as the grader and the release need. Instructors' side only: a student's
environment has no nbgrader (`start` and `release` do not import this module).
"""

from nbgrader.utils import is_grade, is_locked, is_solution  # noqa: F401 (re-exported)


def is_solution_code(cell):
    """A code cell the student writes: nbgrader's solution cell (graded or not)."""
    return cell.cell_type == "code" and bool(is_solution(cell))


def is_test_code(cell):
    """A code cell of the course's tests: graded by nbgrader and not a solution cell."""
    return cell.cell_type == "code" and bool(is_grade(cell)) and not is_solution(cell)
