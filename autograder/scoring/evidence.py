"""One run per submission: the student's cells in a kernel, each graded test cell judged in its place.

`RunOnce` is the course's Execute. It runs the notebook's code cells in order in one kernel (in
`grade`, forked by the worker's fork server; under stock `nbgrader autograde`, an ordinary local
kernel), except the graded test cells: no test-cell code ever runs in the kernel. Where a graded
test cell stands, `autograder.scoring.judge` runs that cell's checks in this process, calling the
student's functions in the kernel as they are at that point of the run:
- for the page, the cell's visible checks as the notebook's own run would show them (the student's
  own callees; a wrong one named as the one to fix first), written into the cell as its output:
  the lines they print, or the first failure;
- for the score, the visible and the hidden checks, with the reference's values in the place of
  every graded function the checked one calls: the verdict, in
  `resources["autograder"]["verdicts"]` ({grade_id: (passed, message)}), which
  `autograder.scoring.scores.SaveVerdicts` records, and under the page's output one line saying that the
  hidden tests passed, or the first failure (unless the page already shows that very error).
No reference code, expected value or hidden check ever runs in the kernel.
"""

import ast
import math
import time

import nbformat

from autograder.scoring.judge import KernelLink, judge_and_show, submission_salt
from autograder.course.nbgrader_cells import is_test_code
from autograder.scoring.preprocessors import ObservedExecute
from autograder.sandbox.kernels import SandboxedExecute
from autograder.grading.stage_times import add as add_stage_time
from autograder.grading.stage_times import stage

HIDDEN_PASSED = "All hidden tests of this exercise passed."
_LAST_VERDICTS = {}  # of this process's last run (a grading worker runs one notebook at a time)


def take_verdicts():
    """{grade_id: (passed, first failure as "Name: message" or None)} of the last RunOnce in this
    process, as the judge gave them (nothing read back from the notebook's outputs); then forgets
    them."""
    verdicts = dict(_LAST_VERDICTS)
    _LAST_VERDICTS.clear()
    return verdicts
_NO_REPLY_SECONDS = 2


class RunOnce(ObservedExecute):
    """Execute that runs the student's cells once and judges each graded test cell in its place."""

    def preprocess(self, nb, resources=None, km=None):
        self._assignment = resources["nbgrader"]["assignment"]
        self._salt = submission_salt(self._assignment, nb)
        self._verdicts, self._stopped = {}, False
        self._link = KernelLink(self._send, self.timeout)
        nb.cells.append(_slot(""))  # where the grader's calls run; never part of the page
        self._clock = self._started = time.perf_counter()
        try:
            nb, resources = super().preprocess(nb, resources, km)
        finally:
            nb.cells.pop()
            add_stage_time("teardown", time.perf_counter() - self._clock)
        resources.setdefault("autograder", {})["verdicts"] = self._verdicts
        _LAST_VERDICTS.clear()
        _LAST_VERDICTS.update(self._verdicts)
        return nb, resources

    def preprocess_cell(self, cell, resources, index):
        if index == 0:  # the kernel is up: what came before was its start
            add_stage_time("fork", time.perf_counter() - self._started)
        if index == len(self.nb.cells) - 1:
            self._clock = time.perf_counter()
            return cell, resources  # the slot
        if is_test_code(cell):
            with stage("checks"):
                self._judge(cell, index)
            return cell, resources
        if self._link.dead:  # a grader's call killed the kernel: the rest of the run is lost
            if cell.cell_type == "code":
                cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=(
                    "Not run: the notebook's kernel died while the checks of an earlier exercise "
                    "called one of its functions.\n"))]
            return cell, resources
        with stage("cells"):
            return super().preprocess_cell(cell, resources, index)

    def _judge(self, cell, index):
        """The page's output and the verdict of one graded test cell (see the module docstring)."""
        grade_id = cell.metadata["nbgrader"]["grade_id"]
        verdict, (printed, failure) = judge_and_show(self._assignment, grade_id, self._link,
                                                     self._salt)
        self._verdicts[grade_id] = verdict
        cell.outputs = []
        # Not executed, but in the run's order: a count no kernel gives, which the feedback's
        # NumberCellsInOrder turns into the cell's place among the numbered cells.
        cell.execution_count = 10 ** 6 + index
        if printed:
            cell.outputs.append(nbformat.v4.new_output("stream", name="stdout", text=printed))
        if failure:
            ename, _, evalue = failure.partition(": ")
            cell.outputs.append(nbformat.v4.new_output(
                "error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"]))
        output = _verdict_output(cell, *verdict)
        if output is not None:
            cell.outputs.append(output)

    def _send(self, requests, limit, timeout):
        """Have the kernel answer `requests` (a JSON list of calls); (the replies' text, "ok" |
        "timeout" | "dead" | "overflow").

        The calls are made by the execute request's user_expressions (utils.probe.answer_json),
        so they leave no trace in the kernel's history, `In` or linecache, and their replies come
        back in the execute reply, which no output of the student's code can write into; every
        stream is ignored. The cell limit of the student's cells is left as it was.
        """
        cell_limit = self.timeout
        try:
            return self._call(CALLS.format(requests), limit, timeout)
        finally:
            self.timeout = cell_limit

    def _call(self, expression, limit, timeout):
        slot = len(self.nb.cells) - 1
        cell = self.nb.cells[slot] = _slot("pass")
        self.timeout = max(1, math.ceil(timeout))
        self._stopped = False
        replies = {}
        execute = self.kc.execute

        def with_replies(source, **options):
            return execute(source, user_expressions={"replies": expression}, **options)

        def keep_reply(cell, cell_index, execute_reply):
            replies.update(execute_reply.get("content", {}).get("user_expressions") or {})

        recorded = self.on_cell_executed
        self.kc.execute, self.on_cell_executed = with_replies, keep_reply
        try:
            self.execute_cell(cell, slot, store_history=False)
        except Exception:  # died, or sent what jupyter_client cannot read (a kernel out of memory)
            return "", "dead"
        finally:
            self.kc.execute, self.on_cell_executed = execute, recorded
        captured, overflow = _replies_text(replies.get("replies"), limit)
        if self._stopped:  # this client stopped it at the limit: the kernel's word is not asked
            self.timeout = _NO_REPLY_SECONDS  # an interrupted kernel answers at once, or is lost
            self._stopped = False
            probe = self.nb.cells[slot] = _slot("pass")
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
        """Keep the student's cells' outputs; drop those of the grader's calls (never read)."""
        if cell_index == len(self.nb.cells) - 1:
            return None
        return super().output(outs, msg, display_id, cell_index)


def _slot(code):
    """The cell where the grader's calls run: locked, so the output caps do not count it."""
    return nbformat.v4.new_code_cell(code, metadata={"nbgrader": {"locked": True}})


CALLS = "__import__('utils.probe').probe.answer_json(globals(), {!r})"


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


class SandboxedRunOnce(RunOnce, SandboxedExecute):
    """RunOnce whose kernel is forked by the active fork server, with SandboxedExecute's output
    caps (autograder.sandbox)."""


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
