"""Inside a grading worker process: one fork server for the process's whole life, jobs one by one.

`start` is the process pool's initializer. It makes the process the leader of a process group of
its own (its fork server joins it), so that stopping the worker (SIGTERM from the pool at the job
time limit, or its parent's death) kills the whole group: fork server, bubblewrap and kernels
(which end with their PID namespaces). It claims a free slot folder under the pool's folder
(`<slot>/settings.json` names the slot's sandbox spool and kernel uid, and an earlier spool that
could not be removed; `<slot>/worker.log` takes the process's output) and starts the fork server there. A replacement worker takes the freed slot,
with its spool and uid.

A sandbox that cannot start is not raised in the initializer (the pool would only see a dead
process): the reason is kept, and every job on this worker raises it.
"""

import fcntl
import json
import os
import pathlib
import signal
import tempfile
import threading
import time

from autograder.sandbox import ForkServer, SandboxError
from autograder.sandbox.server import StaleSpoolError
from autograder.sandbox import kernels

from .. import job as grading_job

MAX_SLOTS = 64     # worker processes of one pool; kernel uids are first_uid + slot
STATE = {}         # this process's fork server, or the reason it has none


def start(folder, first_uid, settings):
    """Pool initializer: group, slot, log, then the fork server (never raises)."""
    os.setsid()
    signal.signal(signal.SIGTERM, _end_group)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the class grader's to handle
    _end_with_parent()
    try:
        slot, STATE["lock"] = _claim_slot(pathlib.Path(folder))
        home = pathlib.Path(folder) / str(slot)
        log = os.open(home / "worker.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
        described = home / "settings.json"
        spool = None
        if described.is_file():  # the slot's earlier worker was stopped: same spool, same uid
            spool = json.loads(described.read_text()).get("spool")
        # Kernel sockets live in the spool, and a unix socket path has at most 107 bytes: the
        # spool sits in the system's temporary folder, not under a deep work directory.
        spool = spool or tempfile.mkdtemp(prefix=f"autograder-{slot}-")
        uid = first_uid + slot
        described.write_text(json.dumps({"spool": spool, "uid": uid, "pid": os.getpid()}))
        try:
            server = _fork_server(spool, uid, settings)
        except StaleSpoolError as error:  # it cannot go: a fresh spool; the engine reports it
            print(f"{error}; this worker takes a fresh spool", flush=True)
            stale, spool = spool, tempfile.mkdtemp(prefix=f"autograder-{slot}-")
            described.write_text(json.dumps({"spool": spool, "uid": uid, "pid": os.getpid(),
                                             "stale": stale}))
            server = _fork_server(spool, uid, settings)
    except Exception as error:  # whatever it is, every job on this worker says so
        STATE["error"] = str(error) if isinstance(error, (SandboxError, OSError)) else \
            f"the grading worker could not start ({type(error).__name__}: {error})"
        return
    kernels.use(server)
    STATE["server"] = server


def _fork_server(spool, uid, settings):
    return ForkServer(spool, uid=uid, limits=settings.limits(), isolate=settings.sandbox,
                      figures=settings.figures)


def ready():
    """The preloaded libraries of this worker's sandbox; SandboxError if it has none."""
    if "server" not in STATE:
        raise SandboxError(STATE.get("error", "the grading worker was not started"))
    return STATE["server"].preloaded


def run(job):
    """Grade one GradingJob here; return its Result."""
    ready()
    return grading_job.grade(job)


def _claim_slot(folder):
    """The first slot folder no live worker holds (an flock, released when its holder dies)."""
    for slot in range(MAX_SLOTS):
        home = folder / str(slot)
        home.mkdir(parents=True, exist_ok=True)
        lock = open(home / "lock", "w")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return slot, lock
        except BlockingIOError:
            lock.close()
    raise SandboxError(f"more than {MAX_SLOTS} grading workers in {folder}")


def _end_group(signum=None, frame=None):
    """Kill this worker's process group: itself, its fork server, bubblewrap and the kernels."""
    os.killpg(0, signal.SIGKILL)


def _end_with_parent():
    """End with the process that started this worker (the class grader, or a Dask worker).

    PR_SET_PDEATHSIG would fire when the parent's *thread* that started the worker ends, so the
    parent is watched instead.
    """
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        _end_group()

    threading.Thread(target=watch, daemon=True).start()
