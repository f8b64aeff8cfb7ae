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
folder. Then it sets resource limits and no_new_privs, empties its capability bounding set and
drops to an unprivileged uid of its own, all before it opens anything of the job; only then does
IPython start (binding its ZeroMQ sockets, ipc transport, in DIR/ipc) and are the student's other
files copied in (see run_kernel).
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

# What the course's notebooks import (no notebook imports scikit-learn: it cost 1.6 s per worker).
PRELOAD = ["numpy", "matplotlib", "matplotlib.pyplot", "matplotlib.patches", "threadpoolctl",
           "utils", "ipykernel.kernelapp", "ipykernel.ipkernel",
           "ipykernel.debugger", "IPython.extensions.storemagic", "PIL.features",
           "matplotlib_inline.backend_inline"]

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWPID, CLONE_NEWNET = 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND = 1, 2, 4, 32, 4096
MS_REC, MS_PRIVATE = 16384, 1 << 18
PR_SET_NO_NEW_PRIVS, PR_CAPBSET_DROP, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 38, 24, 47, 4
_LINUX_CAPABILITY_VERSION_3, EINVAL = 0x20080522, 22
M_ARENA_MAX = -8
WORKDIR = "/job"

_libc = ctypes.CDLL(None, use_errno=True)


def _call(name, *args):
    if getattr(_libc, name)(*args) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{name}{args!r}: {os.strerror(errno)}")


def _mount_tmpfs(target, mib, inodes, mode="1777"):
    """A tmpfs of at most `mib` MiB and `inodes` files and folders: the kernel's scratch space,
    which ends with its mount namespace (nothing of it is on the host's disk)."""
    os.makedirs(target, exist_ok=True)
    _call("mount", b"tmpfs", target.encode(), b"tmpfs", MS_NOSUID | MS_NODEV,
          f"size={mib}m,nr_inodes={inodes},mode={mode}".encode())


def _private_tmp(mib, inodes, keep):
    """A fresh /tmp; the binds under the old one (a venv in /tmp, say, or the job's spool folder)
    stay visible, each writable or not as `keep` says."""
    old = os.open("/tmp", os.O_PATH | os.O_DIRECTORY)
    _mount_tmpfs("/tmp", mib, inodes)
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
    """In the forked kernel process: build its sandbox, then serve until shut down. Never returns.

    The order is the defence: namespaces and mounts first (they need privileges but open nothing
    of the job), then every privilege dropped, then IPython started from configuration folders
    the kernel cannot write and an empty working folder, and only then the student's files
    copied in. Nothing a student handed in is opened, imported or executed before the drop, and
    no start-up code (IPython profile and config files, matplotlibrc, sitecustomize, .pth) can
    come from them at all.
    """
    try:
        os.setsid()  # a group and session of its own: kill(0, ...) reaches nothing else
        limits = request["limits"]
        job = request["job"]
        isolate = request.get("isolate", True)
        uid = request["uid"] if isolate else os.getuid()
        if isolate:
            _call("mount", None, b"/", None, MS_REC | MS_PRIVATE, None)
            _call("mount", b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV, None)
            inodes = limits["scratch_files"]
            _private_tmp(limits["tmp_mib"], inodes, request.get("keep", []))
            _mount_tmpfs("/dev/shm", limits["tmp_mib"], inodes)
            _mount_tmpfs(WORKDIR, limits["workdir_mib"], inodes,
                         mode=f"0700,uid={uid},gid={uid}")
            _call("sethostname", b"sandbox", 7)
            workdir = WORKDIR
        else:
            workdir = os.path.join(job, "work")
            os.makedirs(workdir, exist_ok=True)
        config = _config_folders("/tmp/.config-ro" if isolate else os.path.join(job, "config"))

        os.environ.clear()
        os.environ.update(request["env"])
        os.environ.update(config, MPLBACKEND="module://matplotlib_inline.backend_inline")
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        _close_channels(keep=ready)

        # glibc reserves 64 MiB of address space per thread arena; under RLIMIT_AS a few threads
        # would exhaust it with almost nothing in use, so honest threaded code shares two.
        _libc.mallopt(M_ARENA_MAX, 2)
        _set_limits(limits)
        _call("prctl", PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
        if isolate:
            drop_privileges(uid)
        os.chdir(workdir)  # empty yet: no configuration is read from it while IPython starts

        connection_file = os.path.join(job, "ipc", "kernel.json")
        with open(connection_file, "w") as f:
            json.dump(request["connection"], f)
        from ipykernel.kernelapp import IPKernelApp
        app = IPKernelApp.instance()
        app.initialize(["-f", connection_file, "--HistoryManager.enabled=False",
                        "--IPKernelApp.quiet=True", f"--ipython-dir={config['IPYTHONDIR']}"])
        os.write(ready, b"1")
        os.close(ready)

        # Only now, unprivileged and started, the student's other files; no link is followed.
        shutil.copytree(os.path.join(job, "files"), workdir, symlinks=True, dirs_exist_ok=True)
        _configure_figures(app.shell, request.get("figures", True))
        app.start()
    except BaseException:
        traceback.print_exc(file=sys.__stderr__)
        os._exit(71)
    os._exit(0)


def _config_folders(base):
    """HOME, IPython's, matplotlib's and the XDG folders: fresh, empty and root's (not writable
    by the kernel), under `base` (in the kernel's private /tmp), made before anything of the job.
    """
    folders = {"HOME": "home", "IPYTHONDIR": "ipython", "MPLCONFIGDIR": "matplotlib",
               "XDG_CONFIG_HOME": "xdg-config", "XDG_CACHE_HOME": "xdg-cache",
               "XDG_DATA_HOME": "xdg-data", "JUPYTER_CONFIG_DIR": "jupyter",
               "JUPYTER_DATA_DIR": "jupyter-data", "JUPYTER_RUNTIME_DIR": "jupyter-runtime"}
    paths = {name: os.path.join(base, folder) for name, folder in folders.items()}
    profile = os.path.join(paths["IPYTHONDIR"], "profile_default")
    for path in list(paths.values()) + [os.path.join(profile, sub) for sub in
                                        ("startup", "security", "log", "pid", "db")]:
        os.makedirs(path, mode=0o755, exist_ok=True)
    paths["PYTHONNOUSERSITE"] = "1"
    return paths


def drop_privileges(uid):
    """Empty the bounding set, leave every group, take `uid` as every uid and gid, and clear the
    capability sets (inheritable included: setuid clears only the others)."""
    for cap in range(64):
        if _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 and ctypes.get_errno() != EINVAL:
            errno = ctypes.get_errno()
            raise OSError(errno, f"PR_CAPBSET_DROP {cap}: {os.strerror(errno)}")
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)  # every thread (glibc); drops the permitted and effective sets

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                    ("inheritable", ctypes.c_uint32)]

    header, data = Header(_LINUX_CAPABILITY_VERSION_3, 0), (Data * 2)()
    _call("capset", ctypes.byref(header), ctypes.byref(data))
    _call("prctl", PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    if os.getuid() == 0 or os.geteuid() == 0:
        raise OSError("the kernel still runs as root after the drop")


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
