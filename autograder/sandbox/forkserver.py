"""Kernel fork server: import the kernel's libraries once, then fork one fresh kernel per request.

This file runs on its own (standard library, ipykernel and the preloaded libraries only), inside
the bubblewrap sandbox that `autograder.sandbox.server.ForkServer` starts, where the course's
solutions, the gradebook and the submissions are not mounted at all.

Protocol: one JSON request per line on stdin, one JSON reply per line on stdout.
    {"op": "ping"}                                   -> {"ok": true, "preloaded": [...]}
    {"op": "start", "job": DIR, "connection": {...}, "env": {...}, "limits": {...}}
                                                     -> {"pid": PID}
    {"op": "signal", "pid": PID, "signum": N}        -> {"ok": true}
    {"op": "poll", "pid": PID}                       -> {"exit": null | CODE}
    {"op": "kill", "pid": PID}                       -> {"exit": CODE}
Errors come back as {"error": "..."}.

Each kernel, when `isolate` is on (the default), gets namespaces of its own: a PID namespace in
which it is process 1 (so killing it ends every process it started), an empty network namespace,
private IPC, and a mount namespace with fresh size-limited tmpfs on /tmp, /dev/shm and its working
folder. It binds its ZeroMQ sockets (ipc transport, in DIR/ipc) while still root, then sets
resource limits and no_new_privs, and drops to an unprivileged uid of its own before any
submission code runs.
"""

import ctypes
import json
import os
import resource
import shutil
import signal
import stat
import sys
import traceback

PRELOAD = ["numpy", "matplotlib", "matplotlib.pyplot", "matplotlib.patches", "sklearn.datasets",
           "threadpoolctl", "utils", "ipykernel.kernelapp", "ipykernel.ipkernel",
           "ipykernel.debugger", "IPython.extensions.storemagic", "PIL.features",
           "matplotlib_inline.backend_inline"]

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWPID, CLONE_NEWNET = 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND = 1, 2, 4, 32, 4096
MS_REC, MS_PRIVATE = 16384, 1 << 18
PR_SET_NO_NEW_PRIVS = 38
M_ARENA_MAX = -8
WORKDIR = "/job"

_libc = ctypes.CDLL(None, use_errno=True)


def _call(name, *args):
    if getattr(_libc, name)(*args) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{name}{args!r}: {os.strerror(errno)}")


def _mount_tmpfs(target, mib, mode="1777"):
    os.makedirs(target, exist_ok=True)
    _call("mount", b"tmpfs", target.encode(), b"tmpfs", MS_NOSUID | MS_NODEV,
          f"size={mib}m,mode={mode}".encode())


def _private_tmp(mib, keep):
    """A fresh /tmp; the read-only binds under the old one (a venv in /tmp, say) stay visible."""
    old = os.open("/tmp", os.O_PATH | os.O_DIRECTORY)
    _mount_tmpfs("/tmp", mib)
    for path, writable in keep:
        source = f"/proc/self/fd/{old}/{os.path.relpath(path, '/tmp')}".encode()
        os.makedirs(path, exist_ok=True)
        _call("mount", source, path.encode(), None, MS_BIND | MS_REC, None)
        if not writable:
            _call("mount", None, path.encode(), None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID,
                  None)
    os.close(old)


def preload():
    """Import what kernels need, as an ipykernel process would, before any fork."""
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    loaded, failed = [], {}
    for name in PRELOAD:
        try:
            __import__(name)
            loaded.append(name)
        except Exception as error:  # a missing optional library is imported later by the kernel
            failed[name] = f"{type(error).__name__}: {error}"
    _warm_matplotlib()
    return loaded, failed


def _warm_matplotlib():
    """Draw one figure, so that fonts, mathtext and the PNG writer are loaded once, not per kernel."""
    try:
        import io
        import matplotlib.pyplot as plt
        fig, axes = plt.subplots(1, 2, figsize=(4, 2), layout="constrained")
        for ax in axes:
            ax.plot([0, 1], [0, 1], label=r"$\sigma(z)$")
            ax.set_title(r"$\frac{\partial L}{\partial W}$ title")
            ax.set_xlabel("x")
            ax.legend()
            ax.imshow([[0, 1], [1, 0]])
            ax.text(0.5, 0.5, "text", bbox={"boxstyle": "round"})
        fig.savefig(io.BytesIO(), format="png")
        plt.close(fig)
    except Exception:
        pass


def start(request, replies):
    """Fork a kernel for `request`; return its pid as seen from this server."""
    reader, writer = os.pipe()
    waiter = os.fork()
    if waiter == 0:  # the waiter: enters the new namespaces, forks the kernel, reports its exit
        code = 70
        try:
            os.close(reader)
            replies.close()
            if request.get("isolate", True):
                _call("unshare", CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC
                      | CLONE_NEWUTS)
            ready_reader, ready_writer = os.pipe()
            kernel = os.fork()
            if kernel == 0:
                os.close(writer)
                os.close(ready_reader)
                run_kernel(request, ready_writer)
            os.close(ready_writer)
            os.read(ready_reader, 1)  # its sockets are bound (or it died): clients connect at once
            os.close(ready_reader)
            os.write(writer, str(kernel).encode())
            os.close(writer)
            code = os.waitstatus_to_exitcode(os.waitpid(kernel, 0)[1])
        except BaseException:
            traceback.print_exc()
        os._exit(code if code >= 0 else 128 - code)
    os.close(writer)
    data = b""
    while chunk := os.read(reader, 64):
        data += chunk
    os.close(reader)
    if not data:
        os.waitpid(waiter, 0)
        raise RuntimeError("the kernel could not be started (see the fork server's log)")
    return int(data), waiter


def run_kernel(request, ready):
    """In the forked kernel process: build its sandbox, then serve until shut down. Never returns."""
    try:
        os.setsid()  # a group and session of its own: kill(0, ...) reaches nothing else
        limits = request["limits"]
        job = request["job"]
        isolate = request.get("isolate", True)
        if isolate:
            _call("mount", None, b"/", None, MS_REC | MS_PRIVATE, None)
            _call("mount", b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV, None)
            _private_tmp(limits["tmp_mib"], request.get("keep", []))
            _mount_tmpfs("/dev/shm", limits["tmp_mib"])
            _mount_tmpfs(WORKDIR, limits["workdir_mib"], mode="0700")
            _call("sethostname", b"sandbox", 7)
            workdir = WORKDIR
        else:
            workdir = os.path.join(job, "work")
            os.makedirs(workdir, exist_ok=True)
        shutil.copytree(os.path.join(job, "files"), workdir, dirs_exist_ok=True)

        os.environ.clear()
        os.environ.update(request["env"])
        os.environ.update(HOME=workdir, IPYTHONDIR=os.path.join(workdir, ".ipython"),
                          MPLCONFIGDIR=os.path.join(workdir, ".matplotlib"),
                          MPLBACKEND="module://matplotlib_inline.backend_inline")
        os.chdir(workdir)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        _close_channels(keep=ready)

        connection_file = os.path.join(job, "ipc", "kernel.json")
        with open(connection_file, "w") as f:
            json.dump(request["connection"], f)
        from ipykernel.kernelapp import IPKernelApp
        app = IPKernelApp.instance()
        app.initialize(["-f", connection_file, "--HistoryManager.enabled=False",
                        "--IPKernelApp.quiet=True"])  # binds the sockets while still root
        os.write(ready, b"1")
        os.close(ready)

        # glibc reserves 64 MiB of address space per thread arena; under RLIMIT_AS a few threads
        # would exhaust it with almost nothing in use, so honest threaded code shares two.
        _libc.mallopt(M_ARENA_MAX, 2)
        _set_limits(limits)
        _call("prctl", PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
        if isolate:
            uid = request["uid"]
            for root, dirs, files in os.walk(workdir):
                for name in [root] + [os.path.join(root, n) for n in dirs + files]:
                    os.lchown(name, uid, uid)
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)  # every thread; drops every capability
        _configure_figures(app.shell, request.get("figures", True))
        app.start()
    except BaseException:
        traceback.print_exc(file=sys.__stderr__)
        os._exit(71)
    os._exit(0)


def _close_channels(keep):
    """Close every inherited pipe and socket (the server's links to its worker) except `keep`.

    Regular files stay open: libraries hold some from the preload (FreeType keeps its font files
    open), and closing them under the library crashes it later.
    """
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd > 2 and fd != keep:
            try:
                mode = os.fstat(fd).st_mode
            except OSError:
                continue
            if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
                os.close(fd)


def _configure_figures(shell, render):
    """Inline figures as in Jupyter; without `render`, a figure shows as its one-line text form.

    Drawing a course figure to PNG takes 0.3-1 s, more than the rest of a cell, and no score
    depends on it.
    """
    try:
        from matplotlib.figure import Figure
        from matplotlib_inline.backend_inline import configure_inline_support
        configure_inline_support(shell, "inline")
        if not render:
            for formatter in shell.display_formatter.formatters.values():
                formatter.type_printers.pop(Figure, None)
    except Exception:
        pass


def _set_limits(limits):
    """Lower each limit to the requested value, never above the hard limit already in force."""
    for name, value in (("RLIMIT_AS", limits["memory_mib"] * 1024 * 1024),
                        ("RLIMIT_CPU", limits["cpu_seconds"]),
                        ("RLIMIT_FSIZE", limits["file_mib"] * 1024 * 1024),
                        ("RLIMIT_NOFILE", limits["open_files"]),
                        ("RLIMIT_NPROC", limits["processes"]),
                        ("RLIMIT_CORE", 0)):
        which = getattr(resource, name)
        _, hard = resource.getrlimit(which)
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(which, (value, value))


def serve():
    replies = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # stray prints go to the log, never into the protocol
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    loaded, failed = preload()
    waiters = {}  # kernel pid -> waiter pid
    for line in sys.stdin:
        try:
            request = json.loads(line)
            op = request["op"]
            if op == "ping":
                reply = {"ok": True, "preloaded": loaded, "failed": failed}
            elif op == "start":
                pid, waiter = start(request, replies)
                waiters[pid] = waiter
                reply = {"pid": pid}
            elif op == "signal":
                os.kill(request["pid"], request["signum"])
                reply = {"ok": True}
            elif op in ("poll", "kill"):
                pid = request["pid"]
                if op == "kill":
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                    if not request.get("isolate", True):
                        try:
                            os.killpg(pid, signal.SIGKILL)
                        except (ProcessLookupError, PermissionError):
                            pass
                flags = 0 if op == "kill" else os.WNOHANG
                waiter = waiters.get(pid)
                if waiter is None:
                    reply = {"exit": -9}
                else:
                    done, status = os.waitpid(waiter, flags)
                    reply = {"exit": os.waitstatus_to_exitcode(status) if done else None}
                    if done:
                        del waiters[pid]
            else:
                reply = {"error": f"unknown op {op!r}"}
        except Exception as error:
            reply = {"error": f"{type(error).__name__}: {error}"}
        replies.write(json.dumps(reply) + "\n")


if __name__ == "__main__":
    serve()
