"""The class gradebook: the one store of a class's grades, written by `record`, read by the outputs.

Autograded points arrive from jobs; manual points and comments arrive from nbgrader's formgrader
(or `nbgrader` commands), which write to the same database. Recording a job's result never touches
a manual score or comment, so a regrade keeps what an instructor entered; when the graded notebook
has changed since (a resubmission), a cell with a manual score is flagged for review again.
"""

import datetime

from nbgrader.api import Gradebook, SubmittedAssignment, SubmittedNotebook
from sqlalchemy.orm import selectinload


def record_scores(gradebook, student_id, assignment_id, result, resubmitted):
    """Write a job's autograded scores and timestamp for one submission into the class gradebook.

    gradebook: the class gradebook, open (nbgrader's Gradebook): a run keeps one open for all its
        results, since opening one checks every table of the database (most of a record's cost).
    result: the job's result ({"cells": {grade_id: {"score", "needs_manual_grade", ...}},
        "timestamp": ISO text or None}); a grade cell missing from it scores 0.
    resubmitted: True when the notebook differs from the one graded before, so that manual
        scores given to the earlier notebook are flagged for review (they are kept).
    """
    try:
        gradebook.update_or_create_student(student_id)
        stamp = {}
        if result.get("timestamp"):
            stamp["timestamp"] = datetime.datetime.fromisoformat(result["timestamp"])
        gradebook.update_or_create_submission(assignment_id, student_id, **stamp)
        notebook = gradebook.find_submission_notebook(assignment_id, assignment_id, student_id)
        cells = result["cells"]
        for grade in notebook.grades:
            cell = cells.get(grade.name)
            if cell is None:
                cells[grade.name] = {"score": 0.0, "max_score": grade.max_score,
                                     "needs_manual_grade": False}
                grade.auto_score = 0.0
            else:
                grade.auto_score = cell["score"]
            if grade.manual_score is None:
                grade.needs_manual_grade = bool(cell and cell["needs_manual_grade"])
            elif resubmitted:
                grade.needs_manual_grade = True
        gradebook.db.commit()
    except BaseException:
        gradebook.db.rollback()  # the next record starts from what is stored
        raise


def gradebook_cells(db_url):
    """{(student_id, assignment_id): {grade_id: cell}} of every submission in the gradebook.

    cell: {"score" (manual if given, else autograded, plus extra credit; None while ungraded),
    "auto_score",
    "manual_score", "extra_credit", "max_score", "needs_manual_grade", "comment" (the manual
    comment, or "")}.
    """
    found = {}
    with Gradebook(db_url) as gradebook:
        notebooks = (gradebook.db.query(SubmittedNotebook)
                     .join(SubmittedNotebook.assignment)
                     .options(selectinload(SubmittedNotebook.grades),
                              selectinload(SubmittedNotebook.comments),
                              selectinload(SubmittedNotebook.assignment)
                              .selectinload(SubmittedAssignment.assignment))
                     .all())
        for notebook in notebooks:
            comments = {c.name: c.manual_comment or "" for c in notebook.comments}
            found[(notebook.assignment.student_id, notebook.assignment.assignment.name)] = {
                g.name: {"score": _score(g),
                         "auto_score": g.auto_score, "manual_score": g.manual_score,
                         "extra_credit": g.extra_credit, "max_score": g.max_score,
                         "needs_manual_grade": bool(g.needs_manual_grade),
                         "comment": comments.get(g.name, "")}
                for g in notebook.grades}
    return found


def _score(grade):
    """nbgrader's own `Grade.score` (the manual score where one was given, else the autograded one,
    plus any extra credit), but None while a cell is neither autograded nor graded by hand (where
    nbgrader says 0)."""
    if grade.manual_score is None and grade.auto_score is None:
        return None
    return grade.score


def with_gradebook_scores(results, db_url):
    """The results with each cell's score, manual-grading flag and comment taken from the gradebook.

    Messages, problems and status stay the job's; a result whose submission the gradebook lacks is
    kept as it is.
    """
    stored = gradebook_cells(db_url)
    merged = []
    for result in results:
        cells = stored.get((result["student_id"], result["assignment"]))
        if cells is None:
            merged.append(result)
            continue
        combined = {}
        for name, cell in cells.items():
            combined[name] = dict(result["cells"].get(name, {}), **cell)
        merged.append(dict(result, cells=combined))
    return merged
