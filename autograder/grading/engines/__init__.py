"""Engines: where grading jobs run. One small interface, two implementations.

    engine = start_engine(settings, folder, jobs)   # LocalEngine, or DaskEngine with --scheduler
    future = engine.submit(job)    # a concurrent.futures.Future of the job's Result
    engine.close(cancel=False)     # cancel=True: stop at once (Ctrl-C), kill what runs

An engine turns what goes wrong around a job (time limit, a worker that died) into a failed
Result with a problem sentence; a future raises only when grading cannot go on at all
(SandboxError: no sandbox on a worker; CourseError: a worker holds another course).
"""

import abc


class Engine(abc.ABC):
    """Runs GradingJobs (autograder.grading.job) in worker processes that each keep a sandbox."""

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


def start_engine(settings, folder, jobs):
    """The engine `settings` ask for, started; `jobs`: how many jobs there are (0: none)."""
    if settings.scheduler:
        from .dask import DaskEngine
        return DaskEngine(settings)
    from .local import LocalEngine
    return LocalEngine(settings, folder, max(0, min(settings.workers, jobs)))
