"""Where one job's time goes: seconds per stage, summed in this process (which grades one
submission at a time). `benchmarks/grade_class.py --stages` prints them per notebook.

Stages: "fork" (the kernel started and ready), "cells" (the student's cells), "checks" (the
graded test cells judged in their places), "teardown" (the kernel stopped), "autograde" (all of
`nbgrader autograde`, the four above included), "page" (`generate_feedback`), "job" (the whole
job, intake and results included), and, in the class grader's process, "recording".
"""

import contextlib
import time

_totals = {}


@contextlib.contextmanager
def stage(name):
    """Add the time spent in the `with` block to stage `name`."""
    started = time.perf_counter()
    try:
        yield
    finally:
        add(name, time.perf_counter() - started)


def add(name, seconds):
    _totals[name] = _totals.get(name, 0.0) + seconds


def take():
    """{stage: seconds} since the last take, rounded to the millisecond; the totals restart."""
    found = {name: round(seconds, 3) for name, seconds in _totals.items()}
    _totals.clear()
    return found
