"""A live Jupyter kernel the tests send code to, cell by cell."""

from dataclasses import dataclass, field

from jupyter_client.manager import start_new_kernel


@dataclass
class Run:
    """What one execution produced."""
    status: str
    stdout: str = ""
    stderr: str = ""
    error: str = ""
    traceback: str = ""
    outputs: list = field(default_factory=list)

    @property
    def ok(self):
        return self.status == "ok"


class Kernel:
    """A real IPython kernel started in `cwd`; use as a context manager."""

    def __init__(self, cwd, timeout=60):
        self.cwd, self.timeout = str(cwd), timeout

    def __enter__(self):
        self.manager, self.client = start_new_kernel(kernel_name="python3", cwd=self.cwd)
        return self

    def __exit__(self, *exc):
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)

    def run(self, code, user_expressions=None):
        """Execute code as one cell; return a Run with its streams and error (ename: evalue), and
        the user expressions' results in `run.expressions`."""
        run = Run(status="ok")

        def collect(message):
            kind, content = message["msg_type"], message["content"]
            if kind == "stream":
                if content["name"] == "stdout":
                    run.stdout += content["text"]
                else:
                    run.stderr += content["text"]
            elif kind == "error":
                run.error = f"{content['ename']}: {content['evalue']}"
                run.traceback = "\n".join(content["traceback"])
            if kind in ("stream", "error", "execute_result", "display_data"):
                run.outputs.append(message)

        reply = self.client.execute_interactive(code, output_hook=collect, timeout=self.timeout,
                                                allow_stdin=False,
                                                user_expressions=user_expressions or {})
        run.status = reply["content"]["status"]
        run.expressions = reply["content"].get("user_expressions", {})
        return run

    def alive(self):
        return self.manager.is_alive() and self.run("1 + 1").ok


def kernel_link(kernel, cell_timeout=60):
    """An autograder.scoring.judge.KernelLink whose calls run in `kernel` (as the grader's kernel B)."""
    from autograder.scoring.judge import KernelLink

    from autograder.scoring.evidence import CALLS, _replies_text

    def send(requests, limit, timeout):
        run = kernel.run("pass", user_expressions={"replies": CALLS.format(requests)})
        text, overflow = _replies_text(run.expressions.get("replies"), limit)
        return text, "overflow" if overflow else "ok"

    return KernelLink(send, cell_timeout)
