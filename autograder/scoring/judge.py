"""Decide a graded test cell in the grader's process, on values fetched from the student's kernel.

A graded test cell's checks are its visible code (the test cell of the source notebook, as the
student reads it) followed by its hidden checks (`autograder/scoring/hidden_checks/<assignment>.py`, one
`# %% <grade_id>` section per cell, never released and never sent to a kernel). Both run here,
with `utils.checks` writing the messages, in a namespace where each function the student writes
is a `KernelFunction`: calling it fixes the truth first (`Truth`: the reference's value, the
state the inputs must be left in, the values of the graded functions it calls), then sends the
inputs to the student's kernel (utils.probe.answer) and compares what came back, read under
bounds (autograder.scoring.kernel_values). The reference solutions and every expected value stay in this
process; nothing the kernel does flows back into the grader's objects.
"""

import builtins
import contextlib
import functools
import hashlib
import inspect
import io
import json
import pathlib
import re
import time
import types
import warnings

import nbformat
import numpy as np

from utils.checks import ATOL, RTOL, CheckError, changed_input, check, check_raises
from utils.detect import check_call
from utils.expected import expected as stored_value
from utils.expected import uses as stored_uses
from utils.probe import MARK, encode_input, encode_value
from utils.raised import LEFT_ALONE, MAX_FRAMES, calling, raised_in

from autograder.scoring import kernel_values

from autograder.course import provided
from autograder.course import CourseError, source_notebook
from autograder.course.expected_values import reference_namespace
from autograder.course.nbgrader_cells import is_solution_code, is_test_code

CHECKS = pathlib.Path(__file__).with_name("hidden_checks")
SECTION = re.compile(r"^# %% (\S+)[ \t]*\n", re.M)
_BUILTIN_ERRORS = {name: getattr(builtins, name) for name in dir(builtins)
                   if isinstance(getattr(builtins, name), type)
                   and issubclass(getattr(builtins, name), Exception)}


class KernelError(Exception):
    """The kernel gave no usable answer (time limit, died, unreadable reply); message for the student."""


@functools.lru_cache(maxsize=None)
def hidden_checks(assignment_id):
    """{grade_id: the hidden checks' code} of an assignment."""
    path = CHECKS / f"{assignment_id}.py"
    if not path.is_file():
        return {}
    text = path.read_text()
    parts = SECTION.split(text)
    return {grade_id: code for grade_id, code in zip(parts[1::2], parts[2::2])}


@functools.lru_cache(maxsize=None)
def test_cells(assignment_id):
    """{grade_id: visible code} of the graded test cells of an assignment's source notebook."""
    nb = nbformat.read(source_notebook(assignment_id), as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells if is_test_code(c)}


@functools.lru_cache(maxsize=None)
def _sources(assignment_id):
    nb = nbformat.read(source_notebook(assignment_id), as_version=4)
    provided_code = provided.render(assignment_id) if assignment_id in provided.PROVIDED else ""
    return nb, provided_code


@functools.lru_cache(maxsize=None)
def student_functions(assignment_id):
    """Names of the functions the student writes: those the solution cells define."""
    nb, _ = _sources(assignment_id)
    names = []
    for cell in nb.cells:
        if is_solution_code(cell):
            names += re.findall(r"^def (\w+)\(", cell.source, re.M)
    return tuple(names)


@functools.lru_cache(maxsize=None)
def references(assignment_id):
    """The reference namespace: provided functions and reference solutions (never in a kernel)."""
    nb, provided_code = _sources(assignment_id)
    return reference_namespace(nb, provided_code)


@functools.lru_cache(maxsize=None)
def _provided(assignment_id):
    """Functions of earlier notebooks that this one is given (their reference code)."""
    _, provided_code = _sources(assignment_id)
    namespace = {"np": np}
    exec(compile(provided_code, provided.FILE_NAME, "exec"), namespace)
    return {k: v for k, v in namespace.items() if isinstance(v, types.FunctionType)}


def _request(name, args, kwargs, standins=()):
    """The JSON text that asks the kernel for name(*args, **kwargs) (inputs encoded), with the
    stand-ins that answer the graded functions it calls (see _recording)."""
    return json.dumps({"function": name, "args": args, "kwargs": kwargs,
                       "errstate": np.geterr(), "standins": list(standins)})


@contextlib.contextmanager
def _recording(reference, callees):
    """While the reference runs, record each call it makes of a graded function in `callees`.

    Yields the list of stand-in entries [callee, args, kwargs (encoded before the call), reply,
    args and kwargs after it, each None where the call left it as it was]: in the kernel, while the student's function runs for the grader, each
    callee's name answers from these (utils.probe), so that a graded function is judged with the
    reference in each callee's place and a mistake costs its own cell only. Only values enter the
    kernel, never the reference's code; only the calls the reference itself makes are recorded,
    not the calls inside them.
    """
    namespace = getattr(reference, "__globals__", {})
    names = [c for c in callees if callable(namespace.get(c))]
    entries, depth = [], [0]
    originals = {c: namespace[c] for c in names}

    def recorder(callee, original):
        @functools.wraps(original)
        def recorded(*args, **kwargs):
            if depth[0]:
                return original(*args, **kwargs)
            before = [encode_input(list(args)), encode_input(kwargs)]
            depth[0] += 1
            try:
                value = original(*args, **kwargs)
                reply = {"value": encode_value(value)}
            except Exception as error:
                reply = {"raises": type(error).__name__, "message": str(error)[:500]}
                raise
            finally:
                depth[0] -= 1
                after = [encode_input(list(args)), encode_input(kwargs)]
                # None: left as it was (the usual case, and half the text of the entry)
                entries.append([callee, *before, reply,
                                *(None if a == b else a for a, b in zip(after, before))])
            return value
        return recorded

    for callee in names:
        namespace[callee] = recorder(callee, originals[callee])
    try:
        yield entries
    finally:
        namespace.update(originals)


class Truth:
    """What the reference does with one call, fixed before the student's function sees its inputs.

    The request is encoded from the grader's objects as they are; then the reference runs on those
    very objects, so that they change only as the reference changes them (a random generator
    advances by the draws the exercise asks for; an input the reference leaves alone stays as it
    was). The kernel receives the request, never the objects, and nothing it does or says flows
    back into them.
    """

    def __init__(self, name, args, kwargs, reference, callees=(), encoded=None):
        self.name, self.args, self.kwargs = name, args, kwargs
        self.callees, self.errstate = tuple(callees), np.geterr()
        self.encoded = encoded = encoded or [encode_input(list(args)), encode_input(kwargs)]
        self.error, self._unchanged = None, None
        with _recording(reference, callees) as standins:
            try:
                with np.errstate(**np.geterr()):
                    self.value = reference(*args, **kwargs)
                self.reply = json.dumps({"value": encode_value(self.value)})
            except Exception as error:
                self.value, self.error = None, error
                self.reply = json.dumps({"raises": type(error).__name__})
        self.request = _request(name, *encoded, standins)
        # The inputs as the reference left them: what the kernel's must be after the call.
        self.after = [encode_input(list(args)), encode_input(kwargs)]
        try:
            bound = inspect.signature(reference).bind(*args, **kwargs)
            self.names = list(bound.arguments)
        except (TypeError, ValueError):
            self.names = []

    def holds_for(self, name, encoded, callees):
        """Whether this truth, fixed while the checks ran on the reference (their plan), is the
        truth of a call of `name` with inputs `encoded` now: the same function, callees, numpy
        error state and inputs, exactly as encoded, and the reference left those inputs as they
        were (so that running it again would change no grader object). No random generator may
        be among the inputs: the reference advances the grader's own."""
        if not (name == self.name and tuple(callees) == self.callees
                and np.geterr() == self.errstate and not _holds_generator(encoded)):
            return False
        if self._unchanged is None:  # the reference left its inputs as they were
            self._text = json.dumps(self.encoded)
            self._unchanged = self._text == json.dumps(self.after)
        # As text: 3 and 3.0, or 1 and True, are other inputs.
        return self._unchanged and json.dumps(encoded) == self._text


def _holds_generator(encoded):
    """Whether encoded inputs (utils.probe.encode_input) contain a random generator."""
    if isinstance(encoded, dict):
        return "rng" in encoded or any(_holds_generator(v) for v in encoded.values())
    if isinstance(encoded, list):
        return any(_holds_generator(v) for v in encoded)
    return False


class Recorder:
    """Stands in for the kernel while a cell's checks run on the reference solutions: records
    each call the checks make, with the reference's reply (the plan sent to the kernel at once)."""

    def __init__(self):
        self.plan = []

    def call(self, name, args, kwargs, reference, standins=True):
        truth = Truth(name, args, kwargs, reference,
                      _callees(reference, name) if standins else ())
        self.plan.append(truth)
        if truth.error is not None:
            raise truth.error
        return truth.value


def _callees(reference, name):
    """The graded functions that may stand in for the student's own while `name` is judged."""
    return [c for c in getattr(reference, "graded", ()) if c != name]


class KernelLink:
    """Sends a cell's calls to the student's kernel and keeps their time against the cell limit.

    send(requests, limit, timeout) -> (the replies' text, status): requests, a JSON list of calls
    for utils.probe.answer_all; status one of "ok", "timeout", "dead", "overflow" (a reply text
    over `limit` characters). A cell's calls are known in advance
    (its plan, recorded on the reference solutions), so they go to the kernel in one message;
    a call the plan did not foresee (the student's values led the checks elsewhere) is sent on
    its own when it is made.
    """

    def __init__(self, send, cell_timeout):
        self.send, self.cell_timeout = send, cell_timeout
        self.dead = False
        self.start_cell(())

    def start_cell(self, plan):
        """Send the calls of `plan` (the Truths of a cell's checks run on the reference) and keep
        their replies."""
        self.used, self.plan, self.position, self.replies = 0.0, list(plan), 0, {}
        self.failure = None
        if not self.plan:
            return
        limit = sum(kernel_values.size_limit(truth.reply) + 64 for truth in self.plan)
        requests = json.dumps([truth.request for truth in self.plan])
        try:
            text = self._send(requests, limit, "the checks")
        except KernelError as error:
            self.failure = error
            return
        for line in text.splitlines():
            index, _, reply = line[len(MARK) + 1:].partition(" ")
            if line.startswith(MARK + " ") and index.isdigit():
                self.replies[int(index)] = reply

    def _send(self, requests, limit, what):
        if self.dead:
            raise KernelError("the notebook's kernel had died, so the checks could not run")
        remaining = self.cell_timeout - self.used
        if remaining <= 0:
            raise KernelError(f"{what} ran longer than the {self.cell_timeout} s cell limit")
        started = time.monotonic()
        text, status = self.send(requests, limit, remaining)
        self.used += time.monotonic() - started
        if status == "dead":
            self.dead = True
            raise KernelError(f"the notebook's kernel died while running {what}")
        if status == "timeout":
            raise KernelError(f"{what} ran longer than the {self.cell_timeout} s cell limit")
        if status == "overflow":
            raise KernelError(f"{what} printed far more than expected")
        return text

    def call(self, name, args, kwargs, reference, standins=True):
        """The student's `name`(*args, **kwargs), computed in the kernel and read here.

        standins: False calls it with the student's own graded functions in its callees' places
        (the notebook's own run, for the page), True with the reference's values (for the score).
        """
        if self.failure is not None:
            raise self.failure
        grader_objects = []
        _collect(list(args), grader_objects)
        _collect(kwargs, grader_objects)
        # The truth, before the kernel sees anything: the plan's, where it holds for this call,
        # else the reference run again on these objects.
        callees = _callees(reference, name) if standins else ()
        encoded = [encode_input(list(args)), encode_input(kwargs)]
        k, self.position = self.position, self.position + 1
        planned = self.plan[k] if k < len(self.plan) else None
        if planned is not None and planned.holds_for(name, encoded, callees):
            truth = planned
        else:
            truth = Truth(name, args, kwargs, reference, callees, encoded)
        if planned is not None and planned.request == truth.request and k in self.replies:
            text = self.replies[k]
        else:
            self.plan = []  # the checks went elsewhere: from here on, call by call
            limit = kernel_values.size_limit(truth.reply)
            requests = json.dumps([truth.request])
            lines = [line for line in self._send(requests, limit + 4096, f"{name}(...)").splitlines()
                     if line.startswith(f"{MARK} 0 ")]
            if not lines:
                raise KernelError(f"no value came back from {name}(...)")
            text = lines[-1][len(MARK) + 3:]
        return _reply(text, truth, grader_objects)


def _collect(value, objects):
    """The caller's arrays, lists and dicts in the order utils.probe.decode_input registers them."""
    if isinstance(value, list):
        objects.append(value)
        for v in value:
            _collect(v, objects)
    elif isinstance(value, np.ndarray):
        objects.append(value)
    elif isinstance(value, tuple):
        for v in value:
            _collect(v, objects)
    elif isinstance(value, dict):
        objects.append(value)
        for v in value.values():
            _collect(v, objects)


def _reply(text, truth, grader_objects):
    """The value the kernel's reply describes, read under the bounds the truth sets.

    Raises what the student's function raised, or CheckError when the call left an input other
    than the reference leaves it (changed in place, or a random generator drawn from differently).
    """
    limit = kernel_values.size_limit(truth.reply)
    reply = kernel_values.parse(text, limit)
    if not isinstance(reply, dict):
        raise kernel_values.ReplyError("the value that came back is malformed")
    max_size = 4 * kernel_values.count(json.loads(truth.reply)) + 4096
    changed, after = reply.get("changed", []), reply.get("after", [])
    if not (isinstance(changed, list) and isinstance(after, list) and len(changed) == len(after)
            and all(i in (0, 1) for i in changed)):
        raise kernel_values.ReplyError("the value that came back is malformed")
    left = list(truth.encoded)  # the request's inputs, as the grader encoded them
    for i, data in zip(changed, after):
        left[i] = data
    if "raises" in reply:
        name, message = str(reply["raises"])[:100], str(reply.get("message", ""))[:500]
        if truth.error is not None:  # raising is right here: how it left its inputs still counts
            _check_inputs_left(truth, left)
        if name in {kind.__name__ for kind in LEFT_ALONE} and name in _BUILTIN_ERRORS:
            raise _BUILTIN_ERRORS[name](message)  # its traceback names the function not written
        # An error raised inside the student's function: the message names the call, the lines
        # of the student's code it passed through and the arguments (utils.raised), as the
        # notebook's own visible checks word it.
        names = truth.names[:len(truth.args)]
        raise raised_in(truth.name, names, truth.args, truth.kwargs, name, message,
                        _frames(reply.get("trace"))) from None
    _check_inputs_left(truth, left)
    if "value" not in reply:
        raise kernel_values.ReplyError("the value that came back is malformed")
    return kernel_values.value(reply["value"], grader_objects, max_size)


def _frames(trace):
    """The student's frames a reply lists, as [(function, line, source)]; anything malformed is
    left out (the reply comes from the student's kernel)."""
    frames = []
    for entry in trace if isinstance(trace, list) else []:
        if (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], str)
                and type(entry[1]) is int and isinstance(entry[2], str)):
            frames.append((entry[0][:100], entry[1], entry[2][:200]))
    return frames[-MAX_FRAMES:]


def _check_inputs_left(truth, left):
    """CheckError if the kernel's inputs after the call differ from the reference's after it.

    Compared exactly, as encoded: where the reference leaves an input alone, "unchanged" means
    every bit (adding eps and subtracting it again is a change).

    left: [args, kwargs] as the kernel encoded them after the call. Only this comparison reads
    them: nothing of them is written into the grader's objects.
    """
    got = (left[0] if isinstance(left[0], list) else []) + \
        [v for _, v in (left[1].get("dict", []) if isinstance(left[1], dict) else [])]
    want = truth.after[0] + [v for _, v in truth.after[1]["dict"]]
    for position, wanted in enumerate(want):
        given = got[position] if position < len(got) else None
        if given == wanted or _opaque(wanted):  # exactly: "unchanged" means every bit
            continue
        argument = truth.names[position] if position < len(truth.names) else f"#{position + 1}"
        if isinstance(wanted, dict) and "rng" in wanted:
            raise CheckError(
                f"{truth.name} left the random generator {argument} in another state than the "
                f"exercise does: it must draw exactly the numbers the exercise asks for, in that "
                f"order, from {argument}, and nothing else.")
        raise changed_input(truth.name, argument)


def _opaque(data):
    """Inputs that are not data (functions, ufuncs, modules): a kernel's copy is its own."""
    return isinstance(data, dict) and any(k in data for k in ("function", "ufunc", "module"))


class KernelFunction:
    """Stands for a student's function in the checks: each call is computed in the kernel."""

    def __init__(self, name, link, reference, standins=True):
        self.__name__, self.link, self.reference = name, link, reference
        self.standins = standins

    def __call__(self, *args, **kwargs):
        return self.link.call(self.__name__, args, kwargs, self.reference, self.standins)


def submission_salt(assignment_id, nb):
    """The number that varies a submission's hidden trials: from its own code and a course secret.

    The secret is the text of the assignment's hidden checks (never released); the code is every
    code cell but the graded test cells (which grading restores). The same notebook always gets
    the same trials, so a regrade gives the same score; another notebook gets other trials, so a
    value that a page showed once does not come back when it is pasted into a resubmission.
    """
    digest = hashlib.sha256((CHECKS / f"{assignment_id}.py").read_bytes()
                            if (CHECKS / f"{assignment_id}.py").is_file() else b"")
    for cell in nb.cells:
        if cell.cell_type == "code" and not is_test_code(cell):
            digest.update(cell.source.encode() + b"\0")
    return int.from_bytes(digest.digest()[:8], "big")


def _trial_rng(salt):
    """trial_rng(seed) of the hidden checks: the generator of their random inputs."""
    def trial_rng(seed):
        return np.random.default_rng(seed if salt == 0 else [seed, salt])
    return trial_rng


def _namespace(assignment_id, link, salt=0, page=False):
    """Globals for a cell's checks: numpy, the checks, given functions, the student's functions.

    salt: see submission_salt (0: the hidden checks' own seeds, as the course's tests use them).
    page: True for the visible checks as the notebook's own run shows them (the student's own
        callees, a wrong one named by `uses`, and the lines `passed` prints); False for the score
        (the reference's values in each callee's place, no callee blamed).
    """
    folder = source_notebook(assignment_id).parent
    namespace = {"np": np, "__name__": "checks", "trial_rng": _trial_rng(salt)}

    def expected(call):
        return stored_value(call, folder=folder)

    def check_expected(call, *, name=None, rtol=RTOL, atol=ATOL, hint=None):
        with calling(call):
            got = eval(call, namespace)
        check_call(f"{name} = {call}" if name else call, call, got, expected(call), namespace,
                   rtol=rtol, atol=atol, hint=hint)

    def uses(*callees):
        # For the score each graded callee answers with the reference's values (see _recording),
        # so a caller that fails is wrong on its own: no callee is blamed. For the page, the
        # student's own callees run, and a wrong one is named as the one to fix first.
        if page:
            return stored_uses(*callees, namespace=namespace, folder=folder)
        return contextlib.nullcontext()

    def passed(what):
        print(f"{what}: all visible checks passed.")  # captured: see _run_checks

    # keeps_inputs: the grader compares every call's inputs with the reference's itself (Truth).
    checks = types.SimpleNamespace(keeps_inputs=lambda *names: contextlib.nullcontext(),
                                   check=check, check_raises=check_raises, CheckError=CheckError,
                                   check_expected=check_expected, expected=expected, uses=uses,
                                   passed=passed)

    def importer(name, globals=None, locals=None, fromlist=(), level=0):
        if name == "utils" or name.startswith("utils."):
            return checks
        return builtins.__import__(name, globals, locals, fromlist, level)

    namespace["__builtins__"] = dict(vars(builtins), __import__=importer)
    namespace.update(_provided(assignment_id))
    reference = references(assignment_id)
    for name in student_functions(assignment_id):
        reference[name].graded = student_functions(assignment_id)
        namespace[name] = KernelFunction(name, link, reference[name], standins=not page)
    # Hidden checks compute what they compare with from these alone, never from a student's
    # function: `reference.model_backward(...)`.
    namespace["reference"] = types.SimpleNamespace(
        **{name: reference[name] for name in student_functions(assignment_id)})
    return namespace


def _run_checks(assignment_id, grade_id, link, salt=0, page=False):
    """Run a graded cell's visible then hidden checks (page: the visible ones only); return
    (passed, first failure as "Name: message" or None, what the visible checks printed, the part
    that failed: "visible", "hidden" or None)."""
    visible = test_cells(assignment_id).get(grade_id)
    if visible is None:
        raise CourseError(f"{assignment_id} has no graded test cell {grade_id!r}")
    hidden = "" if page else hidden_checks(assignment_id).get(grade_id, "")
    namespace = _namespace(assignment_id, link, salt, page)
    printed = {"visible": io.StringIO(), "hidden": io.StringIO()}
    for part, code in (("visible", visible), ("hidden", hidden)):
        try:
            with contextlib.redirect_stdout(printed[part]), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                exec(compile(code, f"<{grade_id}: {part} checks>", "exec"), namespace)
        except Exception as error:
            return False, f"{type(error).__name__}: {error}", printed["visible"].getvalue(), part
    return True, None, printed["visible"].getvalue(), None


@functools.lru_cache(maxsize=16)  # a plan is some MiB, and a submission's salt is its own
def plan(assignment_id, grade_id, salt=0, page=False):
    """The calls a cell's checks make when every function is right: their Truths, in order."""
    recorder = Recorder()
    passed, message, _, _ = _run_checks(assignment_id, grade_id, recorder, salt, page)
    if not passed:
        raise CourseError(f"{assignment_id} {grade_id}: the reference solutions fail their own "
                          f"checks: {message}")
    return tuple(recorder.plan)


def judge_cell(assignment_id, grade_id, link, salt=0):
    """(passed, message) for one graded test cell: its visible code, then its hidden checks, run
    here against the student's functions in the kernel behind `link`. message: the first failure,
    as "Name: message" (None when everything passed). salt: see submission_salt."""
    return judge_and_show(assignment_id, grade_id, link, salt, page=False)[0]


def judge_and_show(assignment_id, grade_id, link, salt=0, page=True):
    """((passed, message), (printed, failure)): the verdict of a graded test cell, as judge_cell
    gives it, and (page=True) its visible checks as the notebook's own run shows them: the lines
    they print and their first failure as "Name: message" or None.

    The page differs from the verdict's visible part only where a graded function calls another
    (the student's own callees run for the page, the reference's values for the score) or the
    cell blames a callee with `uses`; elsewhere the visible part of the verdict's run is the page.
    """
    link.start_cell(plan(assignment_id, grade_id, salt))
    passed, message, printed, part = _run_checks(assignment_id, grade_id, link, salt)
    shown = (printed, message if part == "visible" else None)
    if page and _page_may_differ(assignment_id, grade_id):
        link.start_cell(plan(assignment_id, grade_id, salt, page=True))
        _, failure, printed, _ = _run_checks(assignment_id, grade_id, link, salt, page=True)
        shown = (printed, failure)
    return (passed, message), shown


@functools.lru_cache(maxsize=None)
def _page_may_differ(assignment_id, grade_id):
    """Whether a cell's visible checks use `uses` or call a graded function whose reference calls
    another graded function."""
    graded = set(student_functions(assignment_id))
    names = references(assignment_id)
    callers = {f for f in graded if (graded - {f}) & set(names[f].__code__.co_names)}
    code = test_cells(assignment_id)[grade_id]
    return "uses(" in code or any(re.search(rf"\b{f}\(", code) for f in callers)
