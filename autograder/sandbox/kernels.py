"""Kernels for nbgrader's Execute that come from the active fork server instead of a new process.

`SandboxedExecute` is nbgrader's Execute preprocessor with two changes: its kernels are forked by
the fork server made active with `use(server)`, and each cell keeps at most `max_output_bytes` of
output (a flood of prints can no longer fill the grader's memory).
"""

import json
import os
import shutil
import stat
import time
import uuid
from queue import Empty

import nbformat
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from autograder.course.nbgrader_cells import is_grade, is_locked
from autograder.scoring.preprocessors import ObservedExecute
from traitlets import Integer, default

from .cleanup import remove_tree

_active = None
OUTPUT_CAP_NOTE = "[output stopped here"
# Sentences about job folders that could not be removed, since the last `take_cleanup_problems`.
_cleanup_problems = []


def take_cleanup_problems():
    """The clean-up failures of this process's kernels since the last call (then forgotten)."""
    found = list(_cleanup_problems)
    _cleanup_problems.clear()
    return found


def use(server):
    """Make `server` the fork server that kernels come from (one per grading process)."""
    global _active
    _active = server


class _ForkedKernel:
    """The Popen-like handle LocalProvisioner expects, backed by the fork server."""

    def __init__(self, server, pid):
        self.server, self.pid = server, pid
        self.returncode = None
        self.stdin = self.stdout = self.stderr = None

    def poll(self):
        if self.returncode is None:
            self.returncode = self.server.poll(self.pid)
        return self.returncode

    def wait(self, timeout=None):
        return self.poll()

    def send_signal(self, signum):
        if self.returncode is None:
            self.server.signal(self.pid, signum)

    def kill(self):
        if self.returncode is None:
            self.returncode = self.server.kill(self.pid)

    terminate = kill


def stage_files(source, target):
    """Copy the student's other files (notebooks stay out: the graded copy holds the tests) from
    the job's autograded folder to the kernel's files/ folder: root's, and only readable by the
    kernel, which copies them into its own /job (so it can write nothing on the host's disk).

    The folder was taken in by autograder/grading/intake.py (regular files and folders only, at
    most 8 deep); links are copied as links all the same, never followed, and the kernel reads
    them only after it has dropped its privileges.
    """
    shutil.copytree(source, target, symlinks=True, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints"))
    for folder, subfolders, files in os.walk(target):
        for name in subfolders + files:
            path = os.path.join(folder, name)
            mode = os.lstat(path).st_mode
            if stat.S_ISDIR(mode):
                os.chmod(path, 0o755)
            elif stat.S_ISREG(mode):
                os.chmod(path, 0o644)


class SandboxProvisioner(LocalProvisioner):
    """Launch = ask the fork server; the ZeroMQ sockets use the ipc transport in the job folder."""

    async def launch_kernel(self, cmd, **kwargs):
        km = self.parent
        cwd = kwargs.get("cwd")
        if cwd:
            stage_files(cwd, km.job / "files")
        with open(km.connection_file) as f:
            connection = json.load(f)
        pid = _active.start_kernel(km.job, connection, kwargs.get("env", {}))
        if _active.isolate:  # its sockets are bound: from now on it may not swap them for links
            os.chown(km.job / "ipc", 0, 0)
        self.process, self.pid, self.pgid, self.cwd = _ForkedKernel(_active, pid), pid, None, cwd
        return self.connection_info

    async def kill(self, restart=False):
        if self.process:
            self.process.kill()

    terminate = kill

    async def cleanup(self, restart=False):
        await super().cleanup(restart)
        job = getattr(self.parent, "job", None)
        if job is not None and not restart:
            left = remove_tree(job)
            if left:
                _cleanup_problems.append(f"the notebook's files could not be removed: {left}")


class ReadyKernelClient(AsyncKernelClient):
    """jupyter_client's client, minus 0.2-0.4 s of fixed waits when the kernel is already up.

    A forked kernel has bound its sockets before the client connects, so the kernel_info reply
    and the first IOPub message come within milliseconds; waiting 0.2 s for more is dead time.
    """

    async def _async_wait_for_ready(self, timeout=None):
        deadline = time.monotonic() + (timeout or 60)
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                try:
                    await self.iopub_channel.get_msg(timeout=0.05)
                except Empty:
                    pass
                else:
                    self._handle_kernel_info_reply(reply)
                    break
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")
        while True:  # drop the start-up messages still on IOPub
            try:
                await self.iopub_channel.get_msg(timeout=0.02)
            except Empty:
                break

    wait_for_ready = _async_wait_for_ready


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel is forked in the sandbox of the active fork server."""

    @default("client_factory")
    def _default_client_factory(self):
        return ReadyKernelClient

    async def _async_pre_start_kernel(self, **kw):
        if _active is None:
            raise RuntimeError("no fork server is active (autograder.sandbox.kernels.use)")
        self.kernel_id = self.kernel_id or kw.pop("kernel_id", None) or str(uuid.uuid4())
        if self.provisioner is None:
            self.job = _active.new_job()
            self.transport, self.ip = "ipc", str(self.job / "ipc" / "kernel")
            self.connection_file = str(self.job / "connection.json")
            self.provisioner = SandboxProvisioner(kernel_id=self.kernel_id,
                                                  kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)


def _students_cell(cell):
    """Whether the notebook's output cap applies to `cell`: not to the course's locked or graded
    cells (restored from the gradebook before they run), so that output from the student's own
    cells can never crowd out what grading reads."""
    return not (is_locked(cell) or is_grade(cell))


class SandboxedExecute(ObservedExecute):
    """nbgrader's Execute with sandboxed kernels and a cap on the output each cell and each
    notebook may keep.

    Every message that can grow the notebook counts, by what it adds: a stream, a display or a
    result by its size; a display that shares its display_id with N earlier ones, or an update
    of it, by N + 1 times its size (nbclient rewrites every output with that id); widget (comm)
    messages by their size. Past a cap the rest of the cell's output is dropped and a note says so.
    The notebook's cap counts only the student's own cells (see _students_cell).
    """

    max_output_bytes = Integer(1024 * 1024, help="Output kept per cell; the rest is dropped.",
                               ).tag(config=True)
    max_notebook_output_bytes = Integer(
        8 * 1024 * 1024, help="Output kept per notebook; the rest is dropped.").tag(config=True)

    @default("iopub_timeout")
    def _default_iopub_timeout(self):
        # After a cell's reply, its last outputs may still be on their way: 4 s (nbclient's
        # default) is too short for a cell that sent thousands of messages on a loaded machine,
        # and nbgrader then fails the whole notebook. Waiting up to the cell limit costs nothing
        # when they come at once.
        return max(4, self.timeout or 0)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxKernelManager)
        kwargs.setdefault("shutdown_kernel", "immediate")  # killing PID 1 ends its namespace
        super().__init__(*args, **kwargs)
        self._output_cell, self._output_bytes, self._notebook_bytes = None, 0, 0
        self._capped = self._stderr_kept = False

    def preprocess(self, nb, resources=None, km=None):
        self._output_cell, self._output_bytes, self._notebook_bytes = None, 0, 0
        return super().preprocess(nb, resources, km)

    def process_message(self, msg, cell, cell_index):
        msg_type = msg["msg_type"]
        if msg_type in ("status", "execute_input", "clear_output"):
            return super().process_message(msg, cell, cell_index)
        if cell_index != self._output_cell:
            self._output_cell, self._output_bytes, self._capped = cell_index, 0, False
            self._stderr_kept = False
        content = msg.get("content") or {}
        if self._capped:
            return self._keep_what_scores(msg, cell, cell_index)
        size = len(json.dumps(content, default=str))
        transient = content.get("transient") if isinstance(content, dict) else None
        display_id = transient.get("display_id") if isinstance(transient, dict) else None
        if display_id and msg_type in ("execute_result", "display_data", "update_display_data"):
            copies = sum(len(indices) for indices in
                         self._display_id_map.get(display_id, {}).values())
            size *= copies + 1
        counted = _students_cell(cell)
        if (self._output_bytes + size > self.max_output_bytes
                or (counted and self._notebook_bytes + size > self.max_notebook_output_bytes)):
            self._capped = True
            # display data, which nbgrader's LimitOutput neither merges nor shortens
            cell.outputs.append(nbformat.v4.new_output("display_data", data={"text/plain": (
                f"{OUTPUT_CAP_NOTE}: more than {self.max_output_bytes // 1024} KiB from one "
                f"cell, or {self.max_notebook_output_bytes // 1024 // 1024} MiB from the "
                f"notebook]")}))
            return self._keep_what_scores(msg, cell, cell_index)
        self._output_bytes += size
        self._notebook_bytes += size if counted else 0
        return super().process_message(msg, cell, cell_index)

    def _keep_what_scores(self, msg, cell, cell_index):
        """Past the cap: a shortened copy of an error, a result and the cell's first stderr text is
        still kept, so the student reads why a cell failed or what it returned. Scores do not
        depend on outputs (they come from the grader's verdicts, autograder.scoring.scores)."""
        content, kind = msg.get("content") or {}, msg["msg_type"]
        if kind == "error":
            msg["content"] = {"ename": str(content.get("ename", ""))[:200],
                              "evalue": str(content.get("evalue", ""))[:2000],
                              "traceback": [str(line)[:2000] for line in
                                            list(content.get("traceback") or [])[-20:]]}
        elif kind == "execute_result":
            text = str((content.get("data") or {}).get("text/plain", ""))[:2000]
            msg["content"] = {"data": {"text/plain": text}, "metadata": {},
                              "execution_count": content.get("execution_count")}
        elif kind == "stream" and content.get("name") == "stderr" and not self._stderr_kept:
            self._stderr_kept = True
            msg["content"] = {"name": "stderr", "text": str(content.get("text", ""))[:2000]}
        else:
            return None
        return super().process_message(msg, cell, cell_index)
