"""The class gradebook: the one store of a class's grades, written by `record`, read by the outputs.

Autograded points arrive from jobs; manual points and comments arrive from nbgrader's formgrader
(or `nbgrader` commands), which write to the same database. Recording a job's result never touches
a manual score or comment, so a regrade keeps what an instructor entered; when the graded notebook
has changed since (a resubmission), a cell with a manual score is flagged for review again.
"""

import contextlib
import datetime
import hashlib
import os
import pathlib
import shutil
import threading

import sqlalchemy
from alembic.script import ScriptDirectory
from nbgrader.api import Base, Gradebook, SubmittedAssignment, SubmittedNotebook
from nbgrader.dbutil import ALEMBIC_DIR
from sqlalchemy.orm import selectinload

from autograder.course import SOLUTIONS, CourseError, nbgrader_api, nbgrader_config
from autograder.course.gradebook_url import gradebook_url, sqlite_path

from .workdir import empty_folder


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


def prepare(workdir, db_url, assignments):
    """Put the assignments into a template gradebook for jobs and into the class gradebook.

    nbgrader's generate_assignment runs once per assignment, on the template; a new SQLite class
    gradebook starts as a copy of it, any other (PostgreSQL, or one from an earlier run) gets the
    assignments through generate_assignment too.
    """
    template = workdir / "template" / "gradebook.db"
    empty_folder(template.parent)
    template.parent.mkdir(parents=True)
    cached = template_cache(assignments)
    if cached is not None and cached.is_file():
        shutil.copy(cached, template)
    else:
        _generate(workdir, gradebook_url(template.parent), template.parent / "release",
                  assignments)
        _keep(template, cached)
    class_db = sqlite_path(db_url)
    if class_db is not None and not class_db.exists():
        shutil.copy(template, class_db)
    else:
        _generate(workdir, db_url, template.parent / "class-release", assignments)
    return template


def template_cache(assignments):
    """Where this course version's template gradebook of `assignments` is kept between runs, or
    None when there is no cache folder.

    generate_assignment gives the same gradebook for the same course, so it runs once per course
    version (as an instructor runs stock nbgrader's once per release), not once per run: the file
    is named by the course's fingerprint (everything that decides a score, the package versions
    included: engines/fingerprint.py) and the assignments. The folder is $AUTOGRADER_CACHE, else
    the user's cache folder ($XDG_CACHE_HOME or ~/.cache) under backprop-course/.
    """
    from .engines.fingerprint import course_fingerprint

    folder = os.environ.get("AUTOGRADER_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "backprop-course")
    if not folder or folder.startswith("~"):
        return None
    key = hashlib.sha256("\0".join(sorted(assignments)).encode()).hexdigest()[:16]
    return pathlib.Path(folder) / "templates" / f"{course_fingerprint()}-{key}.db"


def _keep(template, cached):
    """Copy a new template gradebook to the cache, whole or not at all (a failure only costs the
    next run the time to generate it again)."""
    if cached is None:
        return
    partial = cached.with_name(f".{cached.name}.{os.getpid()}.{threading.get_ident()}")
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(template, partial)
        os.replace(partial, cached)
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


def _generate(workdir, db_url, release, assignments):
    create_gradebook(db_url)
    api = nbgrader_api(nbgrader_config(CourseDirectory={
        "root": str(workdir), "source_directory": str(SOLUTIONS),
        "release_directory": str(release), "db_url": db_url}))
    for assignment in assignments:
        outcome = api.generate_assignment(assignment, force=True, create=True)
        if not outcome["success"]:
            raise CourseError(f"nbgrader could not prepare {assignment}: "
                              f"{outcome.get('error') or outcome.get('log')}")


def create_gradebook(db_url):
    """Create nbgrader's tables and alembic version in a database that has no tables yet.

    nbgrader's Gradebook does the same for a new database, but finds the alembic version by running
    the `alembic heads` command, which takes seconds; here alembic's API reads it in-process. Both
    steps are one transaction where the database has transactional DDL (PostgreSQL), so a run
    stopped halfway leaves no tables without a version; a new SQLite gradebook is only ever the
    run's template, made again by every run.
    """
    engine = sqlalchemy.create_engine(db_url)
    try:
        with engine.begin() as connection:
            if sqlalchemy.inspect(connection).get_table_names():
                return
            Base.metadata.create_all(bind=connection)
            connection.execute(sqlalchemy.text(
                "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            connection.execute(sqlalchemy.text(
                "INSERT INTO alembic_version (version_num) VALUES (:head)"),
                {"head": ScriptDirectory(ALEMBIC_DIR).get_current_head()})
    finally:
        engine.dispose()
