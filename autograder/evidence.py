"""The evidence kernel: a second, clean kernel per submission that only answers the grader's calls.

After nbgrader's Execute has run the notebook (that kernel's outputs become the feedback page and
decide nothing), `GatherEvidence` starts another kernel from the same place (in `grade`, forked by
the worker's fork server; under stock `nbgrader autograde`, an ordinary local kernel). It runs the
student's own cells there, in notebook order: every code cell except the graded test cells, which
never run in it (and cells that already ran past the cell limit in the notebook's run). Where a
graded test cell stands, `autograder.judge` runs that cell's visible and hidden checks in this
process, sending each call of a student's function to this kernel as it is made. No reference
code, expected value or hidden check ever runs in either kernel.

The verdicts go to `resources["autograder"]["verdicts"]` ({grade_id: (passed, message)}), where
`autograder.scores.SaveVerdicts` reads them, and each test cell of the notebook gets the verdict
as its last output: the first failing check's message (unless the cell already shows that very
error), or one line saying that the hidden tests passed.
"""

import ast
import math

import nbformat
from nbclient import NotebookClient
from nbgrader.preprocessors import Execute

from .preprocessors import timed_out_cells
from .sandbox.kernels import SandboxKernelManager
from .judge import KernelLink, is_test_cell, judge_cell, submission_salt

HIDDEN_PASSED = "All hidden tests of this exercise passed."
_NO_REPLY_SECONDS = 2


class GatherEvidence(Execute):
    """Judge every graded test cell against a clean kernel that ran only the student's cells."""

    def preprocess(self, nb, resources):
        assignment_id = resources["nbgrader"]["assignment"]
        # Kernel B runs the student's cells in notebook order, and each graded test cell is judged
        # where it stands, so its checks see the functions as the notebook's run saw them there.
        # A cell that ran past the cell limit in the notebook's run would only do it again.
        stopped = {id(nb.cells[i]) for i in timed_out_cells() if i < len(nb.cells)}
        steps = [c for c in nb.cells
                 if c.cell_type == "code" and (is_test_cell(c) or id(c) not in stopped)]
        evidence = nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_code_cell("" if is_test_cell(c) else c.source) for c in steps]
            + [nbformat.v4.new_code_cell("")], metadata=nb.metadata)
        NotebookClient.__init__(self, evidence, None)  # as ExecutePreprocessor.preprocess does
        self.reset_execution_trackers()
        self.resources = resources
        self._stopped = False
        verdicts = {}
        salt = submission_salt(assignment_id, nb)
        link = KernelLink(self._send, self.timeout)
        with self.setup_kernel():
            self.wait_for_reply(self.kc.kernel_info())
            for index, cell in enumerate(steps):
                if is_test_cell(cell):
                    grade_id = cell.metadata["nbgrader"]["grade_id"]
                    verdicts[grade_id] = judge_cell(assignment_id, grade_id, link, salt)
                elif not link.dead:
                    try:
                        self.execute_cell(evidence.cells[index], index, store_history=True)
                    except Exception:  # a dead or broken kernel: every later call fails
                        link.dead = True
        resources.setdefault("autograder", {})["verdicts"] = verdicts
        for cell in nb.cells:
            if is_test_cell(cell):
                output = _verdict_output(cell, *verdicts[cell.metadata["nbgrader"]["grade_id"]])
                if output is not None:
                    cell.outputs.append(output)
        return nb, resources

    def _send(self, code, limit, timeout):
        """Run `code` in the evidence kernel; (the replies it made, "ok" | "timeout" | "dead" |
        "overflow").

        The replies come back in the execute reply's user_expressions (utils.probe.take_replies),
        which no output of the student's code can write into; every stream is ignored.
        """
        slot = len(self.nb.cells) - 1
        cell = self.nb.cells[slot] = nbformat.v4.new_code_cell(code)
        self.timeout = max(1, math.ceil(timeout))
        self._stopped = False
        replies = {}
        execute = self.kc.execute

        def with_replies(source, **options):
            return execute(source, user_expressions={"replies": REPLIES}, **options)

        def keep_reply(cell, cell_index, execute_reply):
            replies.update(execute_reply.get("content", {}).get("user_expressions") or {})

        self.kc.execute, self.on_cell_executed = with_replies, keep_reply
        try:
            self.execute_cell(cell, slot, store_history=False)
        except Exception:  # died, or sent what jupyter_client cannot read (a kernel out of memory)
            return "", "dead"
        finally:
            self.kc.execute, self.on_cell_executed = execute, None
        captured, overflow = _replies_text(replies.get("replies"), limit)
        if self._stopped:  # this client stopped it at the limit: the kernel's word is not asked
            self.timeout = _NO_REPLY_SECONDS  # an interrupted kernel answers at once, or is lost
            self._stopped = False
            probe = self.nb.cells[slot] = nbformat.v4.new_code_cell("")
            try:
                self.execute_cell(probe, slot, store_history=False)
            except Exception:
                return "", "dead"
            return "", "dead" if self._stopped else "timeout"
        return captured, "overflow" if overflow else "ok"

    async def _async_handle_timeout(self, timeout, cell=None):
        self._stopped = True
        return await super()._async_handle_timeout(timeout, cell)

    def output(self, outs, msg, display_id, cell_index):
        """Keep no output: kernel B's outputs are neither shown nor read."""
        return None


REPLIES = "__import__('utils.probe').probe.take_replies()"


def _replies_text(expression, limit):
    """(the text of a user expression's value, whether it was over `limit` characters).

    The kernel shows a str value as its repr (text/plain); it is read as a literal, never run.
    """
    if not isinstance(expression, dict) or expression.get("status") != "ok":
        return "", False
    shown = expression.get("data", {}).get("text/plain", "")
    if not isinstance(shown, str) or len(shown) > 2 * limit + 64:
        return "", True
    try:
        text = ast.literal_eval(shown)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return "", False
    return (text, False) if isinstance(text, str) else ("", False)


class SandboxedEvidence(GatherEvidence):
    """GatherEvidence whose kernel is forked by the active fork server (autograder.sandbox)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxKernelManager)
        kwargs.setdefault("shutdown_kernel", "immediate")  # killing PID 1 ends its namespace
        super().__init__(*args, **kwargs)


def _verdict_output(cell, passed, message):
    """What the feedback shows under a test cell: the first failure, or that all passed."""
    if passed:
        return nbformat.v4.new_output("stream", name="stdout", text=HIDDEN_PASSED + "\n")
    ename, _, evalue = message.partition(": ")
    if any(o.output_type == "error" and o.get("ename") == ename and o.get("evalue") == evalue
           for o in cell.outputs):
        return None  # the student already reads this failure under the cell
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue,
                                  traceback=[f"{ename}: {evalue}"])
