"""Functions of earlier notebooks that a later notebook uses, generated from their references.

A later assignment gets the earlier functions it builds on from `course_functions.py` in its own
folder, released with it (students of notebook 03 do not have to have solved 02 to start). The file
is generated here from the earlier notebooks' solution cells, so the reference exists once.
"""

import nbformat

from autograder.course import CourseError, source_notebook
from autograder.course.nbgrader_cells import is_solution
from autograder.course.notebook_files import solution_code

FILE_NAME = "course_functions.py"

# {assignment: [(earlier assignment, [graded functions it provides]), ...]}
PROVIDED = {
    # 03 takes logarithms of tiny probabilities: it gets the overflow-free sigmoid of 02's optional
    # section, which its setup cell imports under the name sigmoid.
    "03_logistic_regression": [("02_forward_propagation", ["stable_sigmoid"])],
    "05_deep_backprop": [
        ("02_forward_propagation", ["sigmoid", "relu", "linear_forward", "activation_forward",
                                    "model_forward"]),
        ("03_logistic_regression", ["compute_cost"]),
        ("04_chain_rule", ["numerical_gradient"]),
    ],
    # 06 trains with 05's backward pass: model_backward and the steps it calls.
    "06_training": [
        ("02_forward_propagation", ["sigmoid", "relu", "linear_forward", "activation_forward",
                                    "model_forward", "predict"]),
        ("03_logistic_regression", ["compute_cost"]),
        ("05_deep_backprop", ["sigmoid_backward", "relu_backward", "linear_backward",
                              "activation_backward", "model_backward"]),
    ],
}


def render(assignment_id):
    """The text course_functions.py of `assignment_id` must have."""
    parts = [
        f'"""Functions from earlier notebooks that {assignment_id} builds on.\n\n'
        f"Generated from the reference solutions by `python -m autograder release`; do not edit.\n"
        f'"""\n\nimport numpy as np\n'
    ]
    for earlier_id, names in PROVIDED[assignment_id]:
        nb = nbformat.read(source_notebook(earlier_id), as_version=4)
        cells = {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells
                 if is_solution(c)}
        for name in names:
            if name not in cells:
                raise CourseError(f"{earlier_id} has no solution cell {name!r} for {assignment_id}")
            parts.append(f"\n# {earlier_id}: {name}\n{solution_code(cells[name]).strip()}\n")
    return "\n".join(parts)


def path_of(assignment_id):
    return source_notebook(assignment_id).parent / FILE_NAME


def write(assignment_id):
    """Regenerate course_functions.py of `assignment_id`; return its path if it changed, else None."""
    if assignment_id not in PROVIDED or is_current(assignment_id):
        return None
    path = path_of(assignment_id)
    path.write_text(render(assignment_id))
    return path


def is_current(assignment_id):
    if assignment_id not in PROVIDED:
        return True
    path = path_of(assignment_id)
    return path.is_file() and path.read_text() == render(assignment_id)
