"""Grade a whole class: find the submissions, run one job per submission in parallel, record,
write the outputs (docs/architecture.md, stages 4-7). Each stage has its module: discovery.py,
class_gradebook.py (the template and the class gradebook), engines/, recording.py, outputs.py;
workdir.py says where everything goes in the work directory. Ctrl-C is InterruptRequest's.
"""

import concurrent.futures
import pathlib
import signal
import sys
import threading

from nbgrader.api import Gradebook

from autograder.course import CourseError
from autograder.course.gradebook_url import gradebook_url

from .class_gradebook import prepare
from .discovery import LAYOUT, discover
from .engines import start_engine
from .job import GradingJob, Result
from .outputs import write_outputs
from .progress import Progress
from .recording import record
from .settings import Settings
from .workdir import GLOB_CHARACTERS, empty_folder, job_folder, load_results, result_path


class RunProblems(Exception):
    """The run graded and wrote its outputs, but something of the grader's own failed (a worker's
    clean-up, the engine's shutdown): `problems` says what, one sentence each."""

    def __init__(self, problems, results):
        super().__init__("; ".join(problems))
        self.problems, self.results = problems, results


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


def new_job(workdir, template, submission, settings):
    """The GradingJob of one submission, with an empty scratch folder under jobs/."""
    scratch = job_folder(workdir, submission.student_id, submission.assignment_id)
    empty_folder(scratch)
    scratch.mkdir(parents=True)
    return GradingJob(submission.student_id, submission.assignment_id, str(submission.folder),
                      str(template), str(scratch / "course"), settings)


