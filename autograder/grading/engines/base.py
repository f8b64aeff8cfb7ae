"""What both engines share: the Engine interface and how a job's outcome becomes its Result
(see the package docstring)."""

import abc
import concurrent.futures

from autograder.course import CourseError
from autograder.sandbox import SandboxError

from ..job import Result

REFUSALS = (SandboxError, CourseError)  # raised by a worker that cannot grade: the run stops


class Engine(abc.ABC):
    """Runs GradingJobs (autograder.grading.job) in worker processes that each keep a sandbox.

    settings: the run's Settings; folder: the engine's own folder on this machine (worker slots,
    logs); jobs: how many jobs the run will submit (0: none, and no worker is started)."""

    @abc.abstractmethod
    def __init__(self, settings, folder, jobs):
        """Start the workers (and check that they can grade), or raise why not."""

    def start_jobs(self, template):
        """Take the run's template gradebook (a path; an SQLite gradebook that holds every
        assignment), made while the engine started, before the first submit."""

    @abc.abstractmethod
    def submit(self, job):
        """Start grading `job`; return a concurrent.futures.Future of its Result."""

    @abc.abstractmethod
    def close(self, cancel=False):
        """Release the workers; with cancel, drop queued jobs and kill running ones."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close(cancel=exc[0] is not None)


def result_future(running, died, time_limit=None, read=None):
    """A concurrent.futures.Future of the Result of the job that `running` grades (a pebble or a
    distributed future), settled when `running` ends:
    - with a value: that Result, through `read` (value -> Result) when given;
    - a refusal (REFUSALS): raised again, since no worker can grade;
    - TimeoutError, when the engine gives jobs a `time_limit` (seconds): a failed Result that says
      the job was stopped;
    - an exception of a class in `died` ({class: sentence}; the job's worker died): a failed
      Result with that sentence;
    - any other exception of the job's worker: a failed Result that names it (the job alone
      fails).
    Cancelled when `running` is."""
    outcome = concurrent.futures.Future()

    def settle(finished):
        if finished.cancelled():
            outcome.cancel()
            return
        try:
            value = finished.result()
        except BaseException as error:
            try:
                outcome.set_result(failed_result(error, died, time_limit))
            except BaseException as refusal:
                outcome.set_exception(refusal)
            return
        try:
            outcome.set_result(read(value) if read else value)
        except BaseException as error:
            outcome.set_exception(error)

    running.add_done_callback(settle)
    return outcome


def failed_result(error, died, time_limit=None):
    """The failed Result of a job whose worker raised `error` (see result_future); `error` raised
    again when it is a refusal."""
    if isinstance(error, REFUSALS):
        raise error
    if time_limit is not None and isinstance(error, concurrent.futures.TimeoutError):
        return Result.failed(f"grading took longer than {time_limit} s and was stopped; scored 0")
    for kind, sentence in died.items():
        if isinstance(error, kind):
            return Result.failed(sentence)
    return Result.failed(f"the grading process failed on this submission "
                         f"({type(error).__name__}: {str(error)[:200]}); scored 0")
