"""The local engine: a pebble process pool on this machine, one fork server per worker process.

pebble gives each job its time limit: past `--job-timeout` it terminates the worker (SIGTERM, which
engines.worker turns into SIGKILL of the worker's whole process group, fork server and kernels
included) and starts a new one, whose initializer starts a new fork server. A worker that dies
mid-job costs only that job (ProcessExpired), reported as a failed Result.
"""

import concurrent.futures
import itertools
import json
import multiprocessing
import os
import pathlib

import pebble

from autograder.sandbox.cleanup import remove_tree

import autograder.grading.engines.worker as worker
from .base import Engine, result_future

UID_BASE = 200_000
STARTUP_SECONDS = 180
_ENGINES = itertools.count()
ENDED = "the grading process ended without a result; scored 0"  # its worker died mid-job


class LocalEngine(Engine):
    """A pool of min(settings.workers, jobs) grading processes, slots and logs under `folder`."""

    def __init__(self, settings, folder, jobs):
        self.settings, self.folder, self.pool = settings, pathlib.Path(folder), None
        self.problems = []  # sentences about this engine's own failures (clean-up, shutdown)
        size = max(0, min(settings.workers, jobs))
        if size == 0:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        # Kernels run as a uid per worker, unique to this run as well: RLIMIT_NPROC counts per
        # uid, so two grading runs on one machine never share a process budget (nor two engines
        # of one Dask worker process).
        run = os.getpid() % 100_000 + 100_000 * (next(_ENGINES) % 30)
        first_uid = UID_BASE + run * worker.MAX_SLOTS
        self.pool = pebble.ProcessPool(
            max_workers=min(size, worker.MAX_SLOTS), initializer=worker.start,
            initargs=(str(self.folder), first_uid, settings),
            context=multiprocessing.get_context("spawn"))  # never fork the grader's threads
        try:  # every worker starts now; the first one says whether the sandbox can start
            self.pool.schedule(worker.ready).result(timeout=STARTUP_SECONDS)
        except concurrent.futures.TimeoutError:
            self.close(cancel=True)
            raise worker.SandboxError(f"a grading worker did not start in {STARTUP_SECONDS} s; "
                                      f"see {self.folder}/*/worker.log") from None
        except BaseException:
            self.close(cancel=True)
            raise

    def submit(self, job):
        limit = self.settings.job_timeout
        running = self.pool.schedule(worker.run, args=[job], timeout=limit)
        return result_future(running, {pebble.ProcessExpired: ENDED}, time_limit=limit)

    def close(self, cancel=False):
        """Stop the workers, then remove their spools; never raises (failures go to problems)."""
        if self.pool is None:
            return
        pool, self.pool = self.pool, None
        try:
            if cancel:
                pool.stop()
            else:
                pool.close()
            pool.join()
        except Exception as error:
            self.problems.append(f"the grading workers could not be stopped cleanly "
                                 f"({type(error).__name__}: {error})")
            try:
                pool.stop()
            except Exception:
                pass  # each worker also ends itself when this process ends (engines/worker.py)
        for described in self.folder.glob("*/settings.json"):
            try:
                found = json.loads(described.read_text())
                spools = [pathlib.Path(found["spool"])]
            except (OSError, ValueError, KeyError):
                continue
            if found.get("stale"):  # an earlier run's, which its worker could not remove
                spools.append(pathlib.Path(found["stale"]))
            for spool in spools:
                for path in (spool, spool.with_name(spool.name + ".log")):
                    left = remove_tree(path)
                    if left:
                        self.problems.append(f"a grading worker's spool could not be removed: "
                                             f"{left}; remove it by hand")
