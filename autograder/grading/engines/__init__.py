"""Engines: where grading jobs run. One small interface, two implementations.

    engine = start_engine(settings, folder, jobs)   # LocalEngine, or DaskEngine with --scheduler
    engine.start_jobs(template)    # the run's template gradebook, once prepared, before any job
    future = engine.submit(job)    # a concurrent.futures.Future of the job's Result
    engine.close(cancel=False)     # cancel=True: stop at once (Ctrl-C), kill what runs

An engine turns what goes wrong around a job (time limit, a worker that died) into a failed
Result with a problem sentence (result_future, shared by both); a future raises only when grading
cannot go on at all (SandboxError: no sandbox on a worker; CourseError: a worker holds another
course).
"""

from .base import Engine  # noqa: F401 (the interface both engines implement)


def start_engine(settings, folder, jobs):
    """The engine `settings` ask for, started; `jobs`: how many jobs there are (0: none)."""
    if settings.scheduler:
        from .dask import DaskEngine
        return DaskEngine(settings, folder, jobs)
    from .local import LocalEngine
    return LocalEngine(settings, folder, jobs)
