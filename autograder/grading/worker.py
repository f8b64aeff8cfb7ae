"""A grading worker: grades jobs one after another, each notebook in a kernel of its own sandbox.

    python -m autograder.grading.worker SETTINGS.json

The worker imports nbgrader once and starts one fork server (autograder.sandbox), which imports
the kernels' libraries once; that start-up is what stock nbgrader pays for every submission.
Protocol: one GradingJob (JSON) per line on stdin; for each, the result is written to the job's
`result_file` and one line {"done": result_file} is printed. The first line printed is
{"ready": true, ...}, or {"error": "..."} when the sandbox cannot start.
"""

import dataclasses
import json
import os
import pathlib
import sys
import threading
import time
import traceback

from autograder.sandbox import ForkServer, Limits, SandboxError
from autograder.sandbox import kernels

from . import job as grading_job


@dataclasses.dataclass
class WorkerSettings:
    spool: str                  # the fork server's job folder (bound into the sandbox)
    uid: int = 61000            # the uid kernels run as
    isolate: bool = True        # False only with --unsafe-no-sandbox
    figures: bool = False       # draw figures into the feedback (0.3-1 s each)
    limits: dict = dataclasses.field(default_factory=lambda: dataclasses.asdict(Limits()))


def run_one(job):
    """Grade one job; never raises (an unexpected error becomes a failed result)."""
    started = time.perf_counter()
    try:
        return dict(grading_job.run(job), seconds=round(time.perf_counter() - started, 3))
    except Exception as error:
        traceback.print_exc()
        return {"status": "failed", "cells": {},
                "problems": [f"the grader failed on this submission ({type(error).__name__}: "
                             f"{str(error)[:200]}); scored 0"]}


def write_result(path, result):
    path = pathlib.Path(path)
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(result))
    partial.replace(path)


def _exit_with_parent():
    """End this worker (and so its sandbox: bwrap --die-with-parent) when the class grader dies.

    PR_SET_PDEATHSIG would fire when the grader's *thread* that started the worker ends, so the
    parent is watched instead.
    """
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def main(settings_file):
    _exit_with_parent()
    replies = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # nothing but the protocol goes to the class grader
    settings = WorkerSettings(**json.loads(pathlib.Path(settings_file).read_text()))
    try:
        server = ForkServer(settings.spool, uid=settings.uid, limits=Limits(**settings.limits),
                            isolate=settings.isolate, figures=settings.figures)
    except SandboxError as error:
        replies.write(json.dumps({"error": str(error)}) + "\n")
        return 3
    with server:
        kernels.use(server)
        replies.write(json.dumps({"ready": True, "preloaded": server.preloaded}) + "\n")
        for line in sys.stdin:
            job = grading_job.GradingJob(**json.loads(line))
            write_result(job.result_file, run_one(job))
            replies.write(json.dumps({"done": job.result_file}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
