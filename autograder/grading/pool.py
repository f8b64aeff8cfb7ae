"""Persistent grading workers (autograder.grading.worker), each used by one thread at a time.

A worker that overruns a job's time limit or dies is killed with everything it started (its fork
server and kernels go with it: bwrap's --die-with-parent and the PID namespaces) and replaced; the
job scores 0 with a problem that says why. Other jobs are not touched.
"""

import concurrent.futures
import dataclasses
import json
import os
import pathlib
import queue
import signal
import shutil
import subprocess
import sys
import tempfile
import threading

from autograder.sandbox.channel import Channel, ChannelError
from autograder.sandbox.server import SINGLE_THREADED, SandboxError

from .worker import WorkerSettings

STARTUP_SECONDS = 180
UID_BASE, MAX_WORKERS = 200_000, 64


class Worker:
    def __init__(self, folder, settings):
        self.folder = pathlib.Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.settings_file = self.folder / "settings.json"
        self.settings_file.write_text(json.dumps(dataclasses.asdict(settings)))
        self.process = None
        self.closed = False
        self._stopping = threading.Lock()
        self.start()

    def start(self):
        with open(self.folder / "worker.log", "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "autograder.grading.worker", str(self.settings_file)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                start_new_session=True, env={**os.environ, **SINGLE_THREADED})
        self.channel = Channel(self.process)
        try:
            hello = self.channel.receive(STARTUP_SECONDS)
        except ChannelError as error:
            self.stop()
            raise SandboxError(f"a grading worker did not start ({error}); see "
                               f"{self.folder / 'worker.log'}") from None
        if "error" in hello:
            self.stop()
            raise SandboxError(hello["error"])

    def grade(self, job, timeout):
        """Send `job` (a GradingJob); return its result dict, a failed one on timeout or crash."""
        result_file = pathlib.Path(job.result_file)
        result_file.unlink(missing_ok=True)
        try:
            self.channel.send(dataclasses.asdict(job))
            self.channel.receive(timeout)
            return json.loads(result_file.read_text())
        except ChannelError as error:
            timed_out = "no reply" in str(error)
            self.stop()
            if self.closed:
                return {"status": "stopped", "cells": {}, "problems": []}
            self.start()
            if timed_out:
                problem = f"grading took longer than {timeout} s and was stopped; scored 0"
            else:
                problem = "the grading process ended without a result; scored 0"
            return {"status": "failed", "cells": {}, "problems": [problem]}

    def stop(self):
        """Kill the worker and its process group (its fork server and kernels end with it)."""
        with self._stopping:  # the grading thread and an interrupted class grader may both call
            process, self.process = self.process, None
            if process is None:
                return
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            process.wait()
            for stream in (process.stdin, process.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
            if self.closed:
                spool = pathlib.Path(json.loads(self.settings_file.read_text())["spool"])
                shutil.rmtree(spool, ignore_errors=True)
                spool.with_name(spool.name + ".log").unlink(missing_ok=True)


class WorkerPool:
    """`size` workers; `grade(job, timeout)` borrows a free one (thread-safe)."""

    def __init__(self, folder, size, isolate, limits, figures=False):
        # Kernels run as a uid per worker, unique to this run as well: RLIMIT_NPROC counts per uid,
        # so two grading runs on one machine never share a process budget.
        first_uid = UID_BASE + (os.getpid() % 100_000) * MAX_WORKERS
        size = min(size, MAX_WORKERS)
        self.workers = []
        self.free = queue.Queue()

        def start(slot):
            # Kernel sockets live in the spool, and a unix socket path has at most 107 bytes:
            # the spool sits in the system's temporary folder, not under a deep work directory.
            spool = tempfile.mkdtemp(prefix=f"autograder-{slot}-")
            settings = WorkerSettings(spool=spool,
                                      uid=first_uid + slot, isolate=isolate, figures=figures,
                                      limits=dataclasses.asdict(limits))
            worker = Worker(pathlib.Path(folder) / f"{slot}", settings)
            self.workers.append(worker)
            return worker

        with concurrent.futures.ThreadPoolExecutor(max(1, size)) as starting:
            futures = [starting.submit(start, slot) for slot in range(size)]
        errors = [f.exception() for f in futures if f.exception()]
        if errors:
            self.close()
            raise errors[0]
        for worker in self.workers:
            self.free.put(worker)

    def grade(self, job, timeout):
        worker = self.free.get()
        try:
            return worker.grade(job, timeout)
        finally:
            self.free.put(worker)

    def close(self):
        for worker in self.workers:
            worker.closed = True
            worker.stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
