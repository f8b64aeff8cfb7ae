"""Kernels for nbgrader's Execute that come from the active fork server instead of a new process.

`SandboxedExecute` is nbgrader's Execute preprocessor with two changes: its kernels are forked by
the fork server made active with `use(server)`, and each cell keeps at most `max_output_bytes` of
output (a flood of prints can no longer fill the grader's memory).
"""

import json
import shutil
import time
import uuid
from queue import Empty

import nbformat
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from nbgrader.preprocessors import Execute
from traitlets import Integer, default

_active = None
OUTPUT_CAP_NOTE = "[output stopped here"


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


class SandboxProvisioner(LocalProvisioner):
    """Launch = ask the fork server; the ZeroMQ sockets use the ipc transport in the job folder."""

    async def launch_kernel(self, cmd, **kwargs):
        km = self.parent
        cwd = kwargs.get("cwd")
        if cwd:  # the student's other files; notebooks stay out (the graded copy holds tests)
            shutil.copytree(cwd, km.job / "files", dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints"))
        with open(km.connection_file) as f:
            connection = json.load(f)
        pid = _active.start_kernel(km.job, connection, kwargs.get("env", {}))
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
            shutil.rmtree(job, ignore_errors=True)


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


class SandboxedExecute(Execute):
    """nbgrader's Execute with sandboxed kernels and a cap on each cell's output."""

    max_output_bytes = Integer(1024 * 1024, help="Output kept per cell; the rest is dropped.",
                               ).tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxKernelManager)
        kwargs.setdefault("shutdown_kernel", "immediate")  # killing PID 1 ends its namespace
        super().__init__(*args, **kwargs)
        self._output_cell, self._output_bytes = None, 0

    def output(self, outs, msg, display_id, cell_index):
        if cell_index != self._output_cell:
            self._output_cell, self._output_bytes = cell_index, 0
        size = len(json.dumps(msg.get("content", {}), default=str))
        if self._output_bytes >= self.max_output_bytes:
            return None
        self._output_bytes += size
        if self._output_bytes >= self.max_output_bytes:
            # display data, which nbgrader's LimitOutput neither merges nor shortens
            outs.append(nbformat.v4.new_output("display_data", data={"text/plain": (
                f"{OUTPUT_CAP_NOTE}: more than {self.max_output_bytes // 1024} KiB from one "
                f"cell]")}))
            return None
        return super().output(outs, msg, display_id, cell_index)
