"""The Dask engine: one Dask task per submission, on the cluster whose scheduler is at --scheduler.

A worker plugin, registered when the run's jobs start (DaskEngine.start_jobs, with the run's
template gradebook), sets up every Dask worker (those that join later too): it checks that the
worker holds the grader's course and packages (fingerprint.py) and can run the sandbox, and starts
a LocalEngine of its own there, one grading process (with its fork server) per Dask thread. A
task grades its job on that engine, so the job time limit and the kill of a job's kernels work as
on one machine.

What travels: the template gradebook in the plugin; each submission's files with its task, taken
in on the grader as a job takes them in (no link followed; the notebook bounded by --max-mib, the
other files by the intake limits); the Result back as JSON text (Result.to_plain), with the
feedback page and the autograded notebook as content. So workers need no shared file system,
only the same checkout and environment. The grader reaches the scheduler over TLS with the
course's certificates (client_security), so only the course's workers and grader get in.

Faults: a Dask worker that dies mid-task (killed, out of memory) loses nothing: the scheduler runs
the task again on another worker, at most `distributed.scheduler.allowed-failures` times (3 by
default), then gives up with KilledWorker, which becomes a failed Result with a problem line
(engines.result_future, as for a local job). A worker that cannot grade refuses: the reason
reaches the class grader, which stops the run.
"""

import asyncio
import concurrent.futures
import dataclasses
import functools
import hashlib
import multiprocessing
import pathlib
import tempfile
import uuid

import distributed
from distributed.diagnostics.plugin import WorkerPlugin
from distributed.utils_comm import retry

from autograder.course import CourseError
from autograder.sandbox import SandboxError
from autograder.sandbox.cleanup import remove_tree

from ..intake import IntakeLimits, Refused, take_in
from ..job import Result
from .base import REFUSALS, Engine, result_future
from .fingerprint import course_fingerprint
from .local import LocalEngine

REFUSAL_NAMED = {kind.__name__: kind for kind in REFUSALS}  # a worker's refusal travels as names
LOST = ("the Dask workers that graded this submission died each time (killed, or out of memory), "
        "so it was not tried again; scored 0")


class SandboxPlugin(WorkerPlugin):
    """Sets up a Dask worker to grade: course check, template gradebook, a local engine."""

    def __init__(self, name, settings, fingerprint, template):
        self.name, self.settings, self.fingerprint = name, settings, fingerprint
        self.template = template
        self.error, self.engine, self.folder = None, None, None

    async def setup(self, worker):
        await asyncio.to_thread(self._setup, worker)

    def _setup(self, worker):
        try:
            here = course_fingerprint()
            if here != self.fingerprint:
                raise CourseError(f"this worker holds another version of the course or of "
                                  f"the packages that grade (fingerprint {here} of solutions/, "
                                  f"autograder/, utils/, Python and the packages of "
                                  f"fingerprint.PACKAGES; the grader's is {self.fingerprint}): "
                                  f"update its checkout and environment")
            allow_grading_processes()
            self.folder = pathlib.Path(worker.local_directory) / self.name
            self.folder.mkdir(parents=True, exist_ok=True)
            template = self.folder / "template.db"
            template.write_bytes(self.template)
            self.template = str(template)
            processes = max(1, worker.state.nthreads)  # one grading process per Dask thread
            self.engine = LocalEngine(dataclasses.replace(self.settings, workers=processes),
                                      self.folder / "workers", processes)
        except (SandboxError, CourseError) as error:
            self.error = (type(error).__name__, str(error))

    def teardown(self, worker):
        """Never raises: a clean-up that fails must not take the Dask worker down."""
        try:
            if self.engine is not None:
                self.engine.close(cancel=True)
        except Exception:
            pass  # the worker's processes end with it; its folder goes below
        if self.folder is not None:
            remove_tree(self.folder)

    def grade(self, job, files):
        """Grade `job`, whose submission folder is `files` ({relative path: bytes}), on this
        worker's engine, in a scratch folder of this worker; return the Result as JSON text."""
        if self.error:
            kind, message = self.error
            raise REFUSAL_NAMED[kind](f"Dask worker {distributed.get_worker().address}: "
                                      f"{message}")
        scratch = self.folder / "jobs" / uuid.uuid4().hex
        submission = scratch / "submission"
        try:
            unpack_submission(files, submission)
        except (OSError, ValueError) as error:
            remove_tree(scratch)
            return Result.failed(f"the submission could not be written on the Dask worker "
                                 f"({error}); scored 0").to_plain()
        job = dataclasses.replace(job, template_db=self.template, submission_dir=str(submission),
                                  scratch_dir=str(scratch / "course"))
        try:
            result = self.engine.submit(job).result()
        finally:
            left = remove_tree(scratch)
        if left:  # the submission that caused it gets the line; the worker goes on
            result.problems.append(f"the job's scratch folder could not be removed: {left}")
        return result.to_plain()


def pack_submission(job):
    """({relative path: bytes}, problems) of the submission folder of `job`, taken in as a job
    takes it in (no link followed, bounded by the job's limits, --max-mib for the notebook), so
    that it travels with its task; Refused when the notebook cannot be graded."""
    with tempfile.TemporaryDirectory(prefix="autograder-send-") as folder:
        target = pathlib.Path(folder) / "submission"
        problems = take_in(job.submission_dir, target, f"{job.assignment_id}.ipynb",
                           IntakeLimits(**job.intake))
        files = {str(path.relative_to(target)): path.read_bytes()
                 for path in sorted(target.rglob("*")) if path.is_file()}
    return files, problems


def unpack_submission(files, folder):
    """Write `files` ({relative path: bytes}) under the new `folder`; ValueError for a path that
    would leave it."""
    folder.mkdir(parents=True)
    for name, content in files.items():
        path = folder / name
        if pathlib.PurePath(name).is_absolute() or ".." in pathlib.PurePath(name).parts \
                or not isinstance(content, bytes):
            raise ValueError(f"a file outside the submission folder: {name!r}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def allow_grading_processes():
    """Let this Dask worker start its grading processes, also when a nanny started it as a
    daemon process (Dask's default), which multiprocessing forbids to start processes: that
    rule is there so that no child outlives a daemon, and a grading process ends with its
    parent anyway (engines/worker.py watches it), so the flag is cleared."""
    process = multiprocessing.current_process()
    if process.daemon:
        process.daemon = False


def grade_remotely(job, files, plugin):
    """The Dask task: grade `job` (its submission: `files`) with the plugin named `plugin` of the
    worker running it; the Result as JSON text."""
    worker = distributed.get_worker()
    found = worker.plugins.get(plugin)
    if found is None:
        raise SandboxError(f"Dask worker {worker.address}: the grading plugin is not set up")
    return found.grade(job, files)


def refusal(plugin, dask_worker=None):
    """(kind, message) why this Dask worker cannot grade, or None (run on every worker)."""
    found = dask_worker.plugins.get(plugin)
    return ("SandboxError", "the grading plugin is not set up") if found is None else found.error


TLS_HOWTO = ("set up TLS: `python -m autograder cluster-certs DIR` writes a CA and the "
             "certificates of the scheduler, the workers and the grader, and prints the "
             "commands that use them (docs/grading.md, \"Grading on a cluster\")")


def client_security(address):
    """The grader's distributed.Security, from Dask's own configuration (distributed.comm.tls.*,
    in its config files or DASK_* variables); CourseError for a scheduler that would let anyone
    in: plain tcp:// beyond the loopback interface, or tls:// without the grader's certificate."""
    scheme, _, rest = address.rpartition("://")
    host = distributed.comm.parse_host_port(rest, default_port=8786)[0] if rest else ""
    if scheme in ("", "tcp"):
        if not is_loopback(host):
            raise CourseError(f"refusing the unencrypted Dask scheduler {address}: anyone who "
                              f"reaches it can run code as root on the workers and change "
                              f"scores; {TLS_HOWTO}, then pass --scheduler tls://{rest}")
        return distributed.Security()
    if scheme != "tls":
        raise CourseError(f"the Dask scheduler's address {address} must start with tls:// "
                          f"(or tcp:// on this machine only)")
    security = distributed.Security(require_encryption=True)
    if not (security.tls_ca_file and security.tls_client_cert):
        raise CourseError(f"no certificate for the grader in Dask's configuration "
                          f"(distributed.comm.tls.ca-file and .client.cert/.key): {TLS_HOWTO}")
    return security


def is_loopback(host):
    """Whether `host` names this machine's loopback interface only."""
    import ipaddress
    import socket
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError):
        return False
    return bool(addresses) and all(ipaddress.ip_address(a.split("%")[0]).is_loopback
                                   for a in addresses)


class DaskEngine(Engine):
    """Grades on the Dask cluster at settings.scheduler; `folder` is not used on this machine
    (each Dask worker keeps its grading processes in a folder of its own)."""

    def __init__(self, settings, folder, jobs):
        self.settings, self.folder, self.jobs = settings, pathlib.Path(folder), jobs
        security = client_security(settings.scheduler)
        try:
            self.client = distributed.Client(settings.scheduler, timeout="120s",
                                             set_as_default=False, security=security)
        except (OSError, TimeoutError) as error:
            raise CourseError(f"cannot reach the Dask scheduler at {settings.scheduler} "
                              f"({error})") from None
        self.plugin, self.futures = None, set()

    def start_jobs(self, template):
        """Register this run's plugin, with the template gradebook in it, on every worker (and
        those that join later); a worker that cannot grade stops the run before any result.
        Nothing to do for a run without jobs."""
        if self.jobs == 0:
            return
        name = f"autograder-{uuid.uuid4().hex[:12]}"
        plugin = SandboxPlugin(name, self.settings, course_fingerprint(),
                               pathlib.Path(template).read_bytes())
        self._register(plugin, name)
        self.plugin = name
        states = self.client.run(refusal, name, on_error="return")
        for address, refused in sorted(states.items()):
            if refused and not isinstance(refused, BaseException):  # an exception: worker lost
                kind, message = refused
                raise REFUSAL_NAMED[kind](f"Dask worker {address}: {message}")

    def _register(self, plugin, name):
        """Register `plugin` as `name`, trying twice more when the broadcast breaks (OSError,
        CommClosedError among them: a worker was lost meanwhile); the scheduler keeps the plugin
        for the workers left and those that join."""
        attempt = functools.partial(asyncio.to_thread, self.client.register_plugin, plugin,
                                    name=name)
        self.client.sync(retry, attempt, count=2, delay_min=0.5, delay_max=2,
                         retry_on_exceptions=OSError, operation=f"registering plugin {name}")

    def submit(self, job):
        if self.plugin is None:
            raise RuntimeError("DaskEngine.start_jobs(template) must come before submit(job)")
        try:
            files, sent_problems = pack_submission(job)
        except Refused as refused:  # as the job itself would say
            outcome = concurrent.futures.Future()
            outcome.set_result(Result.failed(f"{refused}; scored 0", status="not graded"))
            return outcome
        key = (f"grade-{hashlib.sha256(job.student_id.encode()).hexdigest()[:12]}-"
               f"{job.assignment_id}-{uuid.uuid4().hex[:8]}")
        task = self.client.submit(grade_remotely, job, files, self.plugin, key=key, pure=False)
        self.futures.add(task)  # a task whose future is forgotten is cancelled
        task.add_done_callback(self.futures.discard)

        def read(plain):
            result = Result.from_plain(plain)
            result.problems[:0] = sent_problems  # first, as in a local job
            return result

        return result_future(task, {distributed.scheduler.KilledWorker: LOST}, read=read)

    def close(self, cancel=False):
        if self.client is None:
            return
        client, self.client = self.client, None
        try:
            if cancel and self.futures:
                client.cancel(list(self.futures))
            if self.plugin is not None:
                client.unregister_worker_plugin(self.plugin)
        except Exception:
            pass  # the scheduler is gone: nothing of this run is left to release
        finally:
            client.close()
