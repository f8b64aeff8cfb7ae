"""Fixture submissions for the autograding tests, one module per notebook.

Each module defines submissions(): a list of Submission, built from the current release so that
they stay in step with it, each with the exact score nbgrader must give every graded cell. The
helpers below are the pieces every module builds its fixtures from.
"""

from dataclasses import dataclass, field

from notebook_parts import cells_by_id, filled, graded_functions, solution_code, source


@dataclass
class Submission:
    student: str
    notebook: object          # NotebookNode as handed in
    scores: dict              # {test cell grade_id: points} under the course configuration
    stock_scores: dict = None  # the same under nbgrader's default settings, where it differs
    feedback_messages: list = field(default_factory=list)  # phrases the feedback must show


def reference_answers(assignment_id):
    """{solution cell grade_id: the reference code}, as a student who got everything right."""
    nb = source(assignment_id)
    return {f: solution_code(cells_by_id(nb)[f]) for f in graded_functions(nb)}


def mistake(mistakes, function, name):
    """The code of one wrong implementation from a mistakes module's MISTAKES."""
    return next(m.code for m in mistakes if m.function == function and m.name == name)


def insert_before(code, anchor, line):
    """`code` with `line` added before `anchor`, which must occur exactly once, at its indent."""
    assert code.count(anchor) == 1, f"{anchor!r} must occur once in the reference"
    indent = anchor[:len(anchor) - len(anchor.lstrip())]
    return code.replace(anchor, f"{indent}{line}\n{anchor}")


def warns_by_itself(code, anchor, function):
    """`code` that also calls warnings.warn before `anchor`: correct, but writes to stderr."""
    return "import warnings\n" + insert_before(
        code, anchor, f'warnings.warn("{function}: a warning from correct code")')


def warns_from_numpy(code, anchor):
    """`code` that also triggers a numpy RuntimeWarning before `anchor`, harmlessly."""
    return insert_before(code, anchor, "np.log(np.zeros(1))  # a RuntimeWarning, harmless here")


def tampered(release_nb, answers, edited, deleted):
    """A submission whose test cell `edited` claims success and whose test cell `deleted` is gone.

    Grading restores both from the gradebook, so the score is what `answers` earn.
    """
    nb = filled(release_nb, answers)
    by_id = cells_by_id(nb)
    by_id[edited].source = 'print("all visible checks passed.")'
    nb.cells.remove(by_id[deleted])
    return nb
