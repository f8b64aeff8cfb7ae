"""Which notebooks must be due before another is released, and a check of a semester's due dates.

A notebook's release can hold the answers of earlier ones: its course_functions.py carries the
reference solutions of the functions it builds on (autograder/course/provided.py), and its prose may
state what an earlier exercise asks students to find. So it is released only once those earlier
notebooks are due; otherwise a student could copy the answers into the notebook still open.
"""

import datetime

from autograder.course.provided import PROVIDED

# Orderings that course_functions.py does not show: {assignment: {earlier: why}}. 03 may open
# while 04 is open: 03 derives dW for its single layer, and 04's hand-graded derivation asks for
# the weights of a hidden layer, which 03 does not show.
TAUGHT_LATER = {
    "05_deep_backprop": {
        "04_chain_rule": "05 chains the backward steps through hidden layers, dZ[l-1] = "
                         "(W[l]ᵀ dZ[l]) * g'(Z[l-1]) and dW = (1/m) dZ Aᵀ, the result of 04's "
                         "hand-graded derivation",
    },
}


def due_before():
    """{assignment: {earlier assignment: why it must be due first}}."""
    order = {}
    for assignment, sources in PROVIDED.items():
        for earlier, names in sources:
            order.setdefault(assignment, {})[earlier] = (
                f"its course_functions.py holds the reference solution of {', '.join(names)}")
    for assignment, earlier in TAUGHT_LATER.items():
        order.setdefault(assignment, {}).update(earlier)
    return order


def release_blockers(assignment, duedates, now=None):
    """Sentences saying why `assignment` may not be released yet; [] when it may.

    duedates: {assignment: due date (naive UTC datetime) or None} as the gradebook holds them.
    """
    now = now or datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    blockers = []
    for earlier, why in sorted(due_before().get(assignment, {}).items()):
        due = duedates.get(earlier)
        if due is None:
            blockers.append(f"{earlier} has no due date in the gradebook ({why}); set one with "
                            f"`nbgrader db assignment add {earlier} --duedate=...`")
        elif due > now:
            blockers.append(f"{earlier} is due {due:%Y-%m-%d %H:%M} UTC, after now ({why})")
    return blockers


def gradebook_duedates(db_url):
    """{assignment: due date or None} from an nbgrader gradebook (CourseError if there is none)."""
    from nbgrader.api import Gradebook

    from autograder.course import CourseError, put_environment_on_path
    from autograder.course.gradebook_url import sqlite_path

    path = sqlite_path(db_url)
    if path is not None and not path.is_file():
        raise CourseError(f"no gradebook at {path}: run this in the course folder, where "
                          f"`nbgrader db assignment add ID --duedate=...` records due dates")
    put_environment_on_path()  # nbgrader runs `alembic` to check the gradebook's version
    with Gradebook(db_url) as gradebook:
        return {a.name: a.duedate for a in gradebook.assignments}
