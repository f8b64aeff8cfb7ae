"""Grade a whole class: find the submissions, run one job per submission in parallel, record.

Layout of the work directory:
    gradebook.db (unless --db-url)  the class gradebook; only this module's writer touches it
    template/gradebook.db           a gradebook holding every assignment, which jobs copy
    workers/<slot>/                 a local grading worker's spool and kernel uid, and its log
    jobs/<student>/<assignment>/    a job's scratch course (local engine), kept for inspection, and
                                    returned/: the feedback page and autograded notebook it returned
    results/<student>/<assignment>.json   a finished submission; its presence means "done"
    feedback/<student>/<assignment>/<assignment>.html
    grades.csv, cells.csv, problems.csv, report.html
    similarity.csv, similarity/     whose code is alike (autograder/grading/similarity/)
"""

import concurrent.futures
import csv
import dataclasses
import hashlib
import json
import os
import pathlib
import re
import shutil
import signal
import sys
import threading
import time

import sqlalchemy
from alembic.script import ScriptDirectory
from nbgrader.api import Base, Gradebook
from nbgrader.dbutil import ALEMBIC_DIR

from autograder.course import SOLUTIONS, CourseError, assignment_ids, nbgrader_api, nbgrader_config
from autograder.course.gradebook_url import gradebook_url, sqlite_path
from autograder.sandbox.cleanup import remove_tree

from .class_gradebook import record_scores, with_gradebook_scores
from .engines import start_engine
from .intake import printable
from .job import GradingJob, Result
from .progress import Progress
from .report import write_report
from .settings import Settings


class RunProblems(Exception):
    """The run graded and wrote its outputs, but something of the grader's own failed (a worker's
    clean-up, the engine's shutdown): `problems` says what, one sentence each."""

    def __init__(self, problems, results):
        super().__init__("; ".join(problems))
        self.problems, self.results = problems, results


@dataclasses.dataclass
class Submission:
    student_id: str
    assignment_id: str
    folder: pathlib.Path


def grade_class(submissions_dir, workdir, settings=Settings(), stream=sys.stdout):
    """Grade every submission under submissions_dir; write the outputs; return the results list.

    The jobs run on an engine (autograder/grading/engines/): this machine's process pool, or a
    Dask cluster with settings.scheduler. Either way this process is the one writer of the class
    gradebook and of everything in the work directory.

    The outputs are written for every submission with a result, whatever stops the run (a failed
    worker or engine, Ctrl-C): the exception is raised again after. RunProblems: everything was
    graded and written, but the grader itself had problems (also in problems.csv).
    """
    submissions_dir, workdir = pathlib.Path(submissions_dir), pathlib.Path(workdir).resolve()
    if not submissions_dir.is_dir():
        raise CourseError(f"{submissions_dir} is not a folder of submissions")
    if settings.scheduler:  # an open scheduler is refused before anything is written
        from .engines.dask import client_security
        client_security(settings.scheduler)
    if GLOB_CHARACTERS.search(str(workdir)):
        raise CourseError(f"the work directory {workdir} has one of [ ] * ? in its path, which "
                          f"nbgrader reads as a pattern; choose another one")
    workdir.mkdir(parents=True, exist_ok=True)
    db_url = gradebook_url(workdir, settings.db_url)

    submissions, problems = discover(submissions_dir.resolve())
    if not submissions:
        found = "; ".join(p["problem"] for p in problems[:5]) or "nothing"
        raise CourseError(f"no submission found in {submissions_dir} (found: {found}); {LAYOUT}")
    if problems:
        stream.write(f"found {len(submissions)} submissions; {len(problems)} things to note "
                     f"(all in problems.csv):\n")
        for line in problems[:10]:
            stream.write(f"  {line['student_id']}: {line['problem']}\n")
        if len(problems) > 10:
            stream.write(f"  ... and {len(problems) - 10} more\n")
    pending = [s for s in submissions
               if settings.force or not result_path(workdir, s).is_file()]
    to_grade = [s for s in pending if s.folder is not None]
    run_problems = []  # the grader's own failures, one sentence each
    try:
        _grade_pending(workdir, db_url, submissions, pending, to_grade, settings, stream,
                       run_problems)
    except BaseException:
        # Whatever stopped the run, what was graded is written (a second failure there is
        # dropped: the first one is the one to report).
        if load_results(workdir):
            try:
                write_outputs(workdir, load_results(workdir), problems + run_problems, db_url)
            except Exception:
                pass
        raise
    # A regraded submission that an instructor had graded by hand gets its page from the job,
    # without the manual scores and comments: nbgrader writes it again with them.
    from .export import hand_graded, regenerate_feedback

    regraded = {(s.student_id, s.assignment_id) for s in pending}
    regenerate_feedback(workdir, db_url, [key for key in hand_graded(db_url) if key in regraded])
    from .similarity import after_grading

    run_problems += after_grading(submissions_dir, workdir, stream)
    results = write_outputs(workdir, load_results(workdir), problems + run_problems, db_url)
    if run_problems:
        raise RunProblems([p["problem"] for p in run_problems], results)
    return results


def _grade_pending(workdir, db_url, submissions, pending, to_grade, settings, stream,
                   run_problems):
    """Grade `to_grade` on an engine and record every result (the one writer); the grader's own
    failures that do not stop the run go to run_problems as problems.csv rows."""
    # The engine starts (its workers importing nbgrader, preloading their sandboxes) while
    # nbgrader prepares the assignments: the two take about as long, and neither needs the other.
    with concurrent.futures.ThreadPoolExecutor(1) as starter:
        starting = starter.submit(start_engine, settings, workdir / "workers", len(to_grade))
        try:
            template = prepare(workdir, db_url, sorted({s.assignment_id for s in submissions}))
        except BaseException:
            if starting.exception() is None:
                starting.result().close(cancel=True)
            raise
        engine = starting.result()
    # One open class gradebook for the whole run: opening one costs more than a record.
    try:
        gradebook = Gradebook(db_url)
    except BaseException:
        _close(engine, run_problems, cancel=True)
        raise
    with gradebook:
        for submission in pending:
            if submission.folder is None:
                record(workdir, gradebook, submission, Result("not graded"))

        progress = Progress(len(to_grade), stream)
        futures = {}
        recorded = set()
        try:
            with InterruptRequest() as interrupt:
                engine.start_jobs(template)  # the template is ready only now (Dask's plugin)
                for submission in to_grade:
                    futures[engine.submit(new_job(workdir, template, submission, settings))] = \
                        submission
                    if interrupt.requested:
                        raise KeyboardInterrupt
                running = set(futures)
                while running:
                    finished, running = concurrent.futures.wait(
                        running, timeout=0.25, return_when=concurrent.futures.FIRST_COMPLETED)
                    for future in finished:
                        submission = futures[future]
                        result = future.result()
                        record(workdir, gradebook, submission, result)
                        recorded.add(future)
                        progress.advance(f"{submission.student_id}/{submission.assignment_id}",
                                         failed=result.status != "graded" or bool(result.problems))
                    if interrupt.requested:
                        raise KeyboardInterrupt
        except KeyboardInterrupt:
            # Stop at once: record what has finished, kill what runs (graded on the next run).
            _close(engine, run_problems, cancel=True)
            for future, submission in futures.items():
                if (future.done() and not future.cancelled() and future.exception() is None
                        and future not in recorded and future.result().status == "graded"):
                    record(workdir, gradebook, submission, future.result())
            raise
        except BaseException:
            _close(engine, run_problems, cancel=True)
            raise
    _close(engine, run_problems)
    progress.finish(kept=len(submissions) - len(pending))


def _close(engine, run_problems, cancel=False):
    """Close `engine`; its failures and its own problem sentences become rows of run_problems."""
    try:
        engine.close(cancel=cancel)
    except Exception as error:
        run_problems.append(_run_problem(f"the grading engine could not be shut down cleanly "
                                         f"({type(error).__name__}: {str(error)[:200]})"))
    for sentence in getattr(engine, "problems", []):
        row = _run_problem(sentence)
        if row not in run_problems:
            run_problems.append(row)


def _run_problem(sentence):
    return {"student_id": "", "assignment": "", "problem": sentence, "zero": False}


class InterruptRequest:
    """While active (in the main thread), Ctrl-C sets `requested` instead of raising at once.

    Python raises KeyboardInterrupt wherever the main thread happens to be; inside a finalizer or
    a weak-reference callback (SQLAlchemy and nbgrader make many) it is printed and dropped, and
    the run goes on as if never interrupted. The grading loop checks `requested` between results
    instead. A second Ctrl-C raises at once. Where SIGINT is ignored (a background job of a
    non-interactive shell), it stays ignored.
    """

    def __init__(self):
        self.requested = False
        self._installed, self._previous = False, None

    def _handle(self, signum, frame):
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def __enter__(self):
        if (threading.current_thread() is threading.main_thread()
                and signal.getsignal(signal.SIGINT) is not signal.SIG_IGN):
            self._previous = signal.signal(signal.SIGINT, self._handle)
            self._installed = True
        return self

    def __exit__(self, *exc):
        if self._installed:
            signal.signal(signal.SIGINT, signal.default_int_handler if self._previous is None
                          else self._previous)
            self._installed = False


LAYOUT = ("expected layout: SUBMISSIONS/<student_id>/<assignment_id>/<assignment_id>.ipynb, "
          "for example SUBMISSIONS/a12345/01_notation/01_notation.ipynb")
MAX_ID_LENGTH = 128   # nbgrader's gradebook stores ids as VARCHAR(128)
GLOB_CHARACTERS = re.compile(r"[][*?]")


def discover(submissions_dir):
    """Find <student>/<assignment>/<assignment>.ipynb; return (submissions, problems).

    Only names are read here (no link is followed, no notebook opened): reading and validating a
    notebook happens in its job (autograder/grading/intake.py), under the job's time limit.
    A submission whose notebook is missing or whose folder is a link is returned with folder None
    (it scores 0); the problem says why. Anything else found is reported and skipped: unknown
    assignments, files where folders belong, a layout turned around, names that cannot be stored.
    """
    known = set(assignment_ids())
    submissions, problems = [], []

    def problem(student, assignment, text, zero=False):
        problems.append({"student_id": student, "assignment": assignment, "problem": text,
                         "zero": zero})

    for student_dir in sorted(submissions_dir.iterdir()):
        student = student_dir.name
        shown = printable(student)
        if student.startswith("."):
            continue  # hidden: .git, .ipynb_checkpoints, .DS_Store
        if student_dir.is_symlink():
            problem(shown, "", f"the student folder {shown!r} is a symbolic link; not graded")
            continue
        if not student_dir.is_dir():
            problem(shown, "", f"{shown!r} is a file where a student folder belongs; ignored ("
                               f"{LAYOUT})")
            continue
        if student in known:
            problem(shown, "", f"{shown!r} is an assignment id where a student id belongs: the "
                               f"folders look turned around; not graded ({LAYOUT})")
            continue
        refusal = bad_id(student)
        if refusal:
            problem(shown, "", f"student folder {shown!r} {refusal}; not graded")
            continue
        entries = sorted(student_dir.iterdir())
        if not entries:
            problem(student, "", f"the student folder {student!r} is empty; nothing graded")
        for folder in entries:
            assignment = folder.name
            if folder.is_symlink() and assignment in known:
                problem(student, assignment, f"the folder {assignment}/ is a symbolic link; "
                                             f"scored 0", zero=True)
                submissions.append(Submission(student, assignment, None))
                continue
            if not folder.is_dir() or folder.is_symlink():
                if assignment.removesuffix(".ipynb") in known:
                    problem(student, assignment.removesuffix(".ipynb"), (
                        f"{printable(assignment)} lies directly in the student folder; not graded "
                        f"({LAYOUT})"))
                elif not assignment.startswith("."):
                    problem(student, "", f"{printable(assignment)} in the student folder is not an "
                                         f"assignment folder; ignored ({LAYOUT})")
                continue
            if assignment not in known:
                if not assignment.startswith("."):
                    problem(student, printable(assignment), (
                        f"unknown assignment {printable(assignment)!r} (known: "
                        f"{', '.join(sorted(known))}); not graded"))
                continue
            notebook = folder / f"{assignment}.ipynb"
            others = sorted(p.name for p in folder.glob("*.ipynb") if p.name != notebook.name)
            for extra in others:
                problem(student, assignment, f"extra notebook {printable(extra)} ignored; only "
                                             f"{notebook.name} is graded")
            if not (notebook.exists() or notebook.is_symlink()):
                problem(student, assignment, f"{missing(folder, notebook.name, others)}; scored 0",
                        zero=True)
                submissions.append(Submission(student, assignment, None))
            else:
                submissions.append(Submission(student, assignment, folder))
    return submissions, problems


def missing(folder, name, others):
    """Why `name` is not in `folder`, with what was found instead."""
    text = f"no {name} in the submission"
    deeper = sorted(entry.name for entry in os.scandir(folder)
                    if entry.is_dir(follow_symlinks=False)
                    and os.path.lexists(os.path.join(entry.path, name)))
    if deeper:
        return (f"{text} (found {printable(deeper[0])}/{name}, one level too deep; "
                f"{LAYOUT})")
    if others:
        return f"{text} (found {printable(others[0])}: only {name} is graded, so rename it)"
    return text


def bad_id(name):
    """Why a folder name cannot be a student id, or None."""
    if any(0xDC80 <= ord(c) <= 0xDCFF for c in name):
        return "is not valid UTF-8"
    if len(name) > MAX_ID_LENGTH:
        return f"is longer than {MAX_ID_LENGTH} characters"
    return None


def prepare(workdir, db_url, assignments):
    """Put the assignments into a template gradebook for jobs and into the class gradebook.

    nbgrader's generate_assignment runs once per assignment, on the template; a new SQLite class
    gradebook starts as a copy of it, any other (PostgreSQL, or one from an earlier run) gets the
    assignments through generate_assignment too.
    """
    template = workdir / "template" / "gradebook.db"
    _empty(template.parent)
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


def new_job(workdir, template, submission, settings):
    """The GradingJob of one submission, with an empty scratch folder under jobs/."""
    scratch = job_folder(workdir, submission.student_id, submission.assignment_id)
    _empty(scratch)
    scratch.mkdir(parents=True)
    return GradingJob(submission.student_id, submission.assignment_id, str(submission.folder),
                      str(template), str(scratch / "course"), settings)


def _empty(folder):
    """Remove `folder` (of an earlier run), whatever it holds; CourseError if it cannot go."""
    left = remove_tree(folder)
    if left:
        raise CourseError(f"{left}. Remove {folder} by hand: this run writes there")


def job_folder(workdir, student_id, assignment_id):
    """jobs/<student>/<assignment>: a job's folder, kept for inspection.

    nbgrader reads the paths of its course as glob patterns, so a student id with [ ] * ? is
    written there with those characters replaced and a digest of the id, which keeps it unique.
    """
    name = student_id
    if GLOB_CHARACTERS.search(name):
        digest = hashlib.sha256(name.encode()).hexdigest()[:8]
        name = f"{GLOB_CHARACTERS.sub('_', name)}-{digest}"
    return workdir / "jobs" / name / assignment_id


def record(workdir, gradebook, submission, result):
    """The one writer: scores into the class gradebook, then the files, then the result file.

    gradebook: the class gradebook, open for the run (nbgrader's Gradebook); result: the job's
    Result. The gradebook gets the autograded scores (manual scores and comments there are kept:
    autograder/grading/class_gradebook.py); DIR/autograded/ the graded notebook, where nbgrader's
    formgrader shows it for manual grading; DIR/feedback/ the page, each written once from the
    Result's content; DIR/results/ the rest, with those files' paths. A failed or ungraded
    submission scores 0 in every grade cell. Recording is idempotent, so a run interrupted between
    the steps records the same scores again when resumed.
    """
    started = time.perf_counter()
    stored = result_path(workdir, submission)
    previous = json.loads(stored.read_text()) if stored.is_file() else {}
    found = {"status": result.status, "cells": result.cells, "problems": result.problems,
             "feedback": None, "autograded": None, "timestamp": result.timestamp,
             "seconds": result.seconds, "notebook_sha256": result.notebook_sha256,
             "exchange_files": result.exchange_files, "stages": result.stages}
    resubmitted = previous.get("notebook_sha256") != result.notebook_sha256
    record_scores(gradebook, submission.student_id, submission.assignment_id, found, resubmitted)

    for key, content, file_name in (
            ("feedback", result.feedback_html, f"{submission.assignment_id}.html"),
            ("autograded", result.autograded_notebook, f"{submission.assignment_id}.ipynb")):
        target = workdir / key / submission.student_id / submission.assignment_id / file_name
        if content is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content)
            found[key] = str(target.relative_to(workdir))
        elif key == "autograded":
            target.unlink(missing_ok=True)  # nothing graded now: formgrader must not show old work
        if target.parent.is_dir():  # what nbgrader's generate_ and release_feedback read there
            for name, text in result.exchange_files.items():
                (target.parent / name).write_text(text)
    stored.parent.mkdir(parents=True, exist_ok=True)
    partial = stored.with_suffix(".partial")
    stages = dict(result.stages or {}, recording=round(time.perf_counter() - started, 3))
    partial.write_text(json.dumps(dict(found, stages=stages, student_id=submission.student_id,
                                       assignment=submission.assignment_id), indent=1))
    partial.replace(stored)


def result_path(workdir, submission):
    return workdir / "results" / submission.student_id / f"{submission.assignment_id}.json"


def load_results(workdir):
    return [json.loads(p.read_text()) for p in sorted((workdir / "results").glob("*/*.json"))]


def write_outputs(workdir, results, problems, db_url=None):
    """grades.csv, cells.csv, problems.csv and report.html.

    Scores, manual-grading flags and comments come from the class gradebook at db_url (so what an
    instructor graded by hand appears), messages, status and problems from the stored results.
    problems: discovery's problems; None keeps problems.csv as it is.
    Returns the results as written (with the gradebook's scores).
    """
    if db_url is not None:
        results = with_gradebook_scores(results, db_url)
    with open(workdir / "grades.csv", "w", newline="") as f:
        out = SpreadsheetSafeWriter(f)
        out.writerow(["student_id", "assignment", "score", "max_score", "status",
                      "needs_manual_grade"])
        for r in results:
            score = sum(c["score"] or 0 for c in r["cells"].values())
            total = sum(c["max_score"] for c in r["cells"].values())
            waiting = sorted(name for name, c in r["cells"].items() if c.get("needs_manual_grade"))
            out.writerow([r["student_id"], r["assignment"], f"{score:g}", f"{total:g}",
                          r["status"], " ".join(waiting)])
    with open(workdir / "cells.csv", "w", newline="") as f:
        out = SpreadsheetSafeWriter(f)
        out.writerow(["student_id", "assignment", "cell", "score", "max_score", "message",
                      "comment"])
        for r in results:
            for name, c in sorted(r["cells"].items()):
                score = "" if c["score"] is None else f"{c['score']:g}"
                out.writerow([r["student_id"], r["assignment"], name, score,
                              f"{c['max_score']:g}", c.get("message", "").splitlines()[0]
                              if c.get("message") else "", c.get("comment", "")])
    if problems is not None:  # None: keep the problems.csv of the last grading run
        rows = [(p["student_id"], p["assignment"], p["problem"]) for p in problems]
        rows += [(r["student_id"], r["assignment"], text) for r in results
                 for text in r["problems"]]
        with open(workdir / "problems.csv", "w", newline="") as f:
            out = SpreadsheetSafeWriter(f)
            out.writerow(["student_id", "assignment", "problem"])
            out.writerows(sorted(set(rows)))
    write_report(workdir / "report.html", results)
    return results


# A field starting with one of these is a formula to Excel, LibreOffice or Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutral(field):
    """`field` as text a spreadsheet shows as it is: a leading ' if it could start a formula.

    Student ids, exception names and messages come from students; `=HYPERLINK(...)` in a cell
    of cells.csv would otherwise become a live formula when the instructor opens the file
    (OWASP's rule for CSV injection).
    """
    text = str(field)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class SpreadsheetSafeWriter:
    """csv.writer whose every field goes through `neutral`."""

    def __init__(self, file):
        self._writer = csv.writer(file)

    def writerow(self, row):
        self._writer.writerow([neutral(field) for field in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)
