"""Decide a graded test cell in the grader's process, on values fetched from a clean kernel.

A graded test cell's checks are its visible code (the test cell of the source notebook, as the
student reads it) followed by its hidden checks (`autograder/hidden_checks/<assignment>.py`, one
`# %% <grade_id>` section per cell, never released and never sent to a kernel). Both run here,
with `utils.checks` writing the messages, in a namespace where each function the student writes
is a `KernelFunction`: calling it sends the inputs to the student's kernel (utils.probe.answer),
and returns the value that came back, read under bounds (autograder.kernel_values). The reference
solutions and every expected value stay in this process.
"""

import builtins
import contextlib
import copy
import functools
import io
import json
import pathlib
import re
import time
import types
import warnings

import nbformat
import numpy as np

from utils.checks import ATOL, RTOL, CheckError, check, check_raises
from utils.expected import expected as stored_value
from utils.expected import uses as stored_uses
from utils.probe import MARK, encode_input, encode_value

from . import kernel_values, provided
from .course import CourseError, source_notebook
from .expected_values import reference_namespace

CHECKS = pathlib.Path(__file__).with_name("hidden_checks")
SECTION = re.compile(r"^# %% (\S+)[ \t]*\n", re.M)
_BUILTIN_ERRORS = {name: getattr(builtins, name) for name in dir(builtins)
                   if isinstance(getattr(builtins, name), type)
                   and issubclass(getattr(builtins, name), Exception)}


class KernelError(Exception):
    """The kernel gave no usable answer (time limit, died, unreadable reply); message for the student."""


class RaisedInNotebook(Exception):
    """A student's function raised an exception that is not one of Python's built-in ones (each
    such exception is a subclass named as the student's was)."""


def is_test_cell(cell):
    meta = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "code" and meta.get("grade", False) and not meta.get("solution", False)


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
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells if is_test_cell(c)}


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
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution"):
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


def _request(name, args, kwargs):
    """The JSON text that asks the kernel for name(*args, **kwargs)."""
    return json.dumps({"function": name, "args": encode_input(list(args)),
                       "kwargs": encode_input(kwargs), "errstate": np.geterr()})


class Recorder:
    """Stands in for the kernel while a cell's checks run on the reference solutions: records
    each call the checks make, with the reference's reply (the plan sent to the kernel at once)."""

    def __init__(self):
        self.plan = []

    def call(self, name, args, kwargs, reference):
        request = _request(name, args, kwargs)
        try:
            value = reference(*args, **kwargs)
        except Exception as error:
            self.plan.append((request, json.dumps({"raises": type(error).__name__})))
            raise
        self.plan.append((request, json.dumps({"value": encode_value(value)})))
        return value


class KernelLink:
    """Sends a cell's calls to the student's kernel and keeps their time against the cell limit.

    send(code, limit, timeout) -> (stdout text, status), status one of "ok", "timeout", "dead",
    "overflow" (more than `limit` characters of output). A cell's calls are known in advance
    (its plan, recorded on the reference solutions), so they go to the kernel in one message;
    a call the plan did not foresee (the student's values led the checks elsewhere) is sent on
    its own when it is made.
    """

    def __init__(self, send, cell_timeout):
        self.send, self.cell_timeout = send, cell_timeout
        self.dead = False
        self.start_cell(())

    def start_cell(self, plan):
        """Send the calls of `plan` ([(request, reference's reply)]) and keep their replies."""
        self.used, self.plan, self.position, self.replies = 0.0, list(plan), 0, {}
        self.failure = None
        if not self.plan:
            return
        limit = sum(kernel_values.size_limit(expected) + 64 for _, expected in self.plan)
        requests = json.dumps([request for request, _ in self.plan])
        try:
            text = self._send(f"__import__('utils.probe').probe.answer_all(globals(), "
                              f"{requests!r})", limit, "the checks")
        except KernelError as error:
            self.failure = error
            return
        for line in text.splitlines():
            index, _, reply = line[len(MARK) + 1:].partition(" ")
            if line.startswith(MARK + " ") and index.isdigit():
                self.replies[int(index)] = reply

    def _send(self, code, limit, what):
        if self.dead:
            raise KernelError("the notebook's kernel had died, so the checks could not run")
        remaining = self.cell_timeout - self.used
        if remaining <= 0:
            raise KernelError(f"{what} ran longer than the {self.cell_timeout} s cell limit")
        started = time.monotonic()
        text, status = self.send(code, limit, remaining)
        self.used += time.monotonic() - started
        if status == "dead":
            self.dead = True
            raise KernelError(f"the notebook's kernel died while running {what}")
        if status == "timeout":
            raise KernelError(f"{what} ran longer than the {self.cell_timeout} s cell limit")
        if status == "overflow":
            raise KernelError(f"{what} printed far more than expected")
        return text

    def call(self, name, args, kwargs, reference):
        """The student's `name`(*args, **kwargs), computed in the kernel and read here."""
        if self.failure is not None:
            raise self.failure
        grader_objects = []
        _collect(list(args), grader_objects)
        _collect(kwargs, grader_objects)
        request = _request(name, args, kwargs)
        k, self.position = self.position, self.position + 1
        if k < len(self.plan) and self.plan[k][0] == request and k in self.replies:
            expected, text = self.plan[k][1], self.replies[k]
        else:
            self.plan = []  # the checks went elsewhere: from here on, call by call
            expected = _expected_reply(reference, args, kwargs)
            limit = kernel_values.size_limit(expected)
            code = f"__import__('utils.probe').probe.answer_all(globals(), {json.dumps([request])!r})"
            lines = [line for line in self._send(code, limit + 4096, f"{name}(...)").splitlines()
                     if line.startswith(f"{MARK} 0 ")]
            if not lines:
                raise KernelError(f"no value came back from {name}(...)")
            text = lines[-1][len(MARK) + 3:]
        return _reply(text, kernel_values.size_limit(expected), expected, grader_objects, args,
                      kwargs)


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


def _expected_reply(reference, args, kwargs):
    """The reference's reply to the same call, as JSON text: what bounds the kernel's reply."""
    try:
        with np.errstate(**np.geterr()):
            value = reference(*copy.deepcopy(args), **copy.deepcopy(kwargs))
        return json.dumps({"value": encode_value(value)})
    except Exception as error:
        return json.dumps({"raises": type(error).__name__})


def _reply(text, limit, expected, grader_objects, args, kwargs):
    reply = kernel_values.parse(text, limit)
    if not isinstance(reply, dict):
        raise kernel_values.ReplyError("the value that came back is malformed")
    max_size = 4 * kernel_values.count(json.loads(expected)) + 4096
    changed, after = reply.get("changed", []), reply.get("after", [])
    if not (isinstance(changed, list) and isinstance(after, list) and len(changed) == len(after)
            and all(i in (0, 1) for i in changed)):
        raise kernel_values.ReplyError("the value that came back is malformed")
    for i, data in zip(changed, after):
        _write_back([list(args), kwargs][i], data, max_size)
    if "raises" in reply:
        name, message = str(reply["raises"])[:100], str(reply.get("message", ""))[:500]
        if name in _BUILTIN_ERRORS:
            raise _BUILTIN_ERRORS[name](message)
        raise type(name, (RaisedInNotebook,), {})(message)  # shown under the student's own name
    if "value" not in reply:
        raise kernel_values.ReplyError("the value that came back is malformed")
    return kernel_values.value(reply["value"], grader_objects, max_size)


def _write_back(original, data, max_size, depth=0):
    """Make the caller's `original` what the call left it as (the kernel's `data`)."""
    if depth > 30:
        return
    if isinstance(original, np.ndarray) and isinstance(data, dict) and "array" in data:
        new = kernel_values.value(data, [], max(max_size, 4 * original.size + 4096))
        try:
            if new.shape != original.shape:
                if new.size == original.size:
                    original.shape = new.shape
                else:
                    original.resize(new.shape, refcheck=False)
            original[...] = new
        except (ValueError, TypeError, AttributeError):
            pass
    elif isinstance(original, np.random.Generator) and isinstance(data, dict) and "rng" in data:
        try:
            original.bit_generator.state = data["rng"]
        except (ValueError, TypeError, KeyError):
            raise kernel_values.ReplyError("a random generator came back malformed") from None
    elif isinstance(original, list) and isinstance(data, list):
        kept = []
        for i, item in enumerate(data):
            if i < len(original) and _same_kind(original[i], item):
                _write_back(original[i], item, max_size, depth + 1)
                kept.append(original[i])
            elif i < len(original) and _opaque(item):
                kept.append(original[i])
            else:
                kept.append(kernel_values.value(item, [], max_size))
        original[:] = kept
    elif isinstance(original, tuple) and isinstance(data, dict) and "tuple" in data:
        for item, new in zip(original, data["tuple"]):
            _write_back(item, new, max_size, depth + 1)
    elif isinstance(original, dict) and isinstance(data, dict) and "dict" in data:
        pairs = [p for p in data["dict"] if isinstance(p, list) and len(p) == 2
                 and isinstance(p[0], str)]
        new = {}
        for key, item in pairs:
            if key in original and _same_kind(original[key], item):
                _write_back(original[key], item, max_size, depth + 1)
                new[key] = original[key]
            elif key in original and _opaque(item):
                new[key] = original[key]
            else:
                new[key] = kernel_values.value(item, [], max_size)
        original.clear()
        original.update(new)


def _opaque(data):
    """Inputs that are not data (functions, ufuncs, modules): the caller keeps its own."""
    return isinstance(data, dict) and any(k in data for k in ("function", "ufunc", "module",
                                                              "other"))


def _same_kind(original, data):
    return ((isinstance(original, np.ndarray) and isinstance(data, dict) and "array" in data)
            or (isinstance(original, list) and isinstance(data, list))
            or (isinstance(original, dict) and isinstance(data, dict) and "dict" in data)
            or (isinstance(original, tuple) and isinstance(data, dict) and "tuple" in data)
            or (isinstance(original, np.random.Generator) and isinstance(data, dict)
                and "rng" in data))


class KernelFunction:
    """Stands for a student's function in the checks: each call is computed in the kernel."""

    def __init__(self, name, link, reference):
        self.__name__, self.link, self.reference = name, link, reference

    def __call__(self, *args, **kwargs):
        return self.link.call(self.__name__, args, kwargs, self.reference)


def _namespace(assignment_id, link):
    """Globals for a cell's checks: numpy, the checks, given functions, the student's functions."""
    folder = source_notebook(assignment_id).parent
    namespace = {"np": np, "__name__": "checks"}

    def expected(call):
        return stored_value(call, folder=folder)

    def check_expected(call, *, name=None, rtol=RTOL, atol=ATOL, hint=None):
        got = eval(call, namespace)
        check(f"{name} = {call}" if name else call, got, expected(call), rtol=rtol, atol=atol,
              hint=hint)

    def uses(*callees):
        return stored_uses(*callees, namespace=namespace, folder=folder)

    checks = types.SimpleNamespace(check=check, check_raises=check_raises, CheckError=CheckError,
                                   check_expected=check_expected, expected=expected, uses=uses,
                                   passed=lambda what: None)

    def importer(name, globals=None, locals=None, fromlist=(), level=0):
        if name == "utils" or name.startswith("utils."):
            return checks
        return builtins.__import__(name, globals, locals, fromlist, level)

    namespace["__builtins__"] = dict(vars(builtins), __import__=importer)
    namespace.update(_provided(assignment_id))
    reference = references(assignment_id)
    for name in student_functions(assignment_id):
        namespace[name] = KernelFunction(name, link, reference[name])
    return namespace


def _run_checks(assignment_id, grade_id, link):
    """Run a graded cell's visible then hidden checks; (passed, first failure as "Name: message")."""
    visible = test_cells(assignment_id).get(grade_id)
    if visible is None:
        raise CourseError(f"{assignment_id} has no graded test cell {grade_id!r}")
    hidden = hidden_checks(assignment_id).get(grade_id, "")
    namespace = _namespace(assignment_id, link)
    for part, code in (("visible", visible), ("hidden", hidden)):
        try:
            with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                exec(compile(code, f"<{grade_id}: {part} checks>", "exec"), namespace)
        except Exception as error:
            return False, f"{type(error).__name__}: {error}"
    return True, None


@functools.lru_cache(maxsize=None)
def plan(assignment_id, grade_id):
    """The calls a cell's checks make when every function is right, with the reference's replies."""
    recorder = Recorder()
    passed, message = _run_checks(assignment_id, grade_id, recorder)
    if not passed:
        raise CourseError(f"{assignment_id} {grade_id}: the reference solutions fail their own "
                          f"checks: {message}")
    return tuple(recorder.plan)


def judge_cell(assignment_id, grade_id, link):
    """(passed, message) for one graded test cell: its visible code, then its hidden checks, run
    here against the student's functions in the kernel behind `link`. message: the first failure,
    as "Name: message" (None when everything passed)."""
    link.start_cell(plan(assignment_id, grade_id))
    return _run_checks(assignment_id, grade_id, link)
