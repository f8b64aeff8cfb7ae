"""After manual grading: the class's tables, report and feedback pages again, from the gradebook.

    python -m autograder export --workdir DIR [--db-url URL]

`grade` writes grades.csv, cells.csv, report.html and one feedback page per submission when it
grades. Manual scores and comments entered afterwards (in nbgrader's formgrader, on the same
gradebook) reach those files here: the tables and the report are written again from the class
gradebook, and the feedback page of every submission that has a manual score, comment or extra
credit is generated again by nbgrader's generate_feedback, from the autograded notebook in
DIR/autograded/, with the course's feedback exporter.
"""

import pathlib
import sys

from nbgrader.api import Comment, Grade, Gradebook, SubmittedAssignment, SubmittedNotebook
from sqlalchemy import or_

from autograder.course import SOLUTIONS, CourseError, nbgrader_api, nbgrader_config
from autograder.course.gradebook_url import gradebook_url, sqlite_path

from .class_gradebook import with_gradebook_scores
from .outputs import write_outputs
from .report import write_report
from .workdir import load_results


def export(workdir, db_url=None):
    """Rewrite DIR's tables, report and hand-graded feedback pages; return the pages rewritten.

    Raises CourseError when DIR holds no graded class.
    """
    workdir = pathlib.Path(workdir).resolve()
    db_url = gradebook_url(workdir, db_url)
    results = load_results(workdir)
    class_db = sqlite_path(db_url)
    if not results or (class_db is not None and not class_db.is_file()):
        raise CourseError(f"{workdir} holds no graded class: run `python -m autograder grade "
                          f"SUBMISSIONS --workdir {workdir}` first")
    pages = regenerate_feedback(workdir, db_url, hand_graded(db_url))
    write_outputs(workdir, results, None, db_url)
    return pages


def hand_graded(db_url):
    """[(student_id, assignment_id)] of submissions with a manual score, comment or extra credit."""
    with Gradebook(db_url) as gradebook:
        db = gradebook.db
        graded = (db.query(SubmittedAssignment).join(SubmittedNotebook).join(Grade)
                  .filter(or_(Grade.manual_score.isnot(None), Grade.extra_credit.isnot(None))))
        commented = (db.query(SubmittedAssignment).join(SubmittedNotebook).join(Comment)
                     .filter(Comment.manual_comment.isnot(None), Comment.manual_comment != ""))
        return sorted({(s.student_id, s.assignment.name) for s in graded.union(commented)})


def regenerate_feedback(workdir, db_url, submissions):
    """nbgrader generate_feedback for each (student, assignment) whose autograded notebook exists."""
    api = nbgrader_api(nbgrader_config(CourseDirectory={
        "root": str(workdir), "source_directory": str(SOLUTIONS), "db_url": db_url}))
    written = []
    for student, assignment in submissions:
        if not (workdir / "autograded" / student / assignment / f"{assignment}.ipynb").is_file():
            continue
        outcome = api.generate_feedback(assignment, student, force=True)
        page = workdir / "feedback" / student / assignment / f"{assignment}.html"
        if not outcome["success"] or not page.is_file():
            raise CourseError(f"nbgrader could not write the feedback of {student}/{assignment}: "
                              f"{outcome.get('error') or outcome.get('log')}")
        written.append(page)
    return written


def compare_graded_class(submissions_dir, workdir, db_url=None, stream=sys.stdout):
    """`python -m autograder similarity`: run() on a class that `grade` graded in workdir, then
    report.html again with its section. Returns (files written, problem sentences)."""
    from .similarity import output, run

    workdir = pathlib.Path(workdir).resolve()
    results = load_results(workdir) if (workdir / "results").is_dir() else []
    if not results:
        raise CourseError(f"{workdir} holds no graded class: run `python -m autograder grade "
                          f"{submissions_dir} --workdir {workdir}` first")
    _, problems = run(submissions_dir, workdir, stream)
    db_url = gradebook_url(workdir, db_url)
    class_db = sqlite_path(db_url)
    if class_db is None or class_db.is_file():
        results = with_gradebook_scores(results, db_url)
    write_report(workdir / "report.html", results)
    for p in problems:
        stream.write(f"  {p['student_id']}/{p['assignment']}: {p['problem']}\n")
    return [output.CSV, f"{output.FOLDER}/", "report.html"], [p["problem"] for p in problems]
