"""Stored expected values for the visible checks.

Each assignment folder holds `expected.json`, generated from the reference solutions by
`python -m autograder expected` and released with the assignment. It maps the text of a call, as
written in a visible check (`"layer_shapes([4, 3, 1])"`), to the value the reference returns for
it, in utils/codec.py's form (the one the grader and the kernels use). Hidden tests never use it: they compute their expected values from a private reference.
"""

import ast
import contextlib
import copy
import functools
import inspect
import json
import linecache
import math
import pathlib
import sys
import types

import numpy as np

from .checks import RTOL, ATOL, CheckError, changed_input, check
from .codec import decode, encode
from .detect import check_call
from .raised import calling, converting

__all__ = ["EXPECTED_FILE", "expected", "check_expected", "keeps_inputs", "uses", "encode", "decode",
           "parse"]

EXPECTED_FILE = "expected.json"

_cache = {}


def parse(text):
    """The data of an expected.json text (NaN and infinities included); ValueError if malformed."""
    constants = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
    return json.loads(text, parse_constant=constants.__getitem__)


def expected(call, folder="."):
    """The stored reference value for `call`, the text of a call as written in a visible check."""
    values = _load(pathlib.Path(folder) / EXPECTED_FILE)
    if call not in values:
        raise KeyError(f"{EXPECTED_FILE} has no value for {call!r}. If you changed the text of a "
                       f"check, restore it; if you are the instructor, run "
                       f"`python -m autograder expected`.")
    return decode(values[call])


def check_expected(call, *, name=None, rtol=RTOL, atol=ATOL, hint=None):
    """Evaluate `call` in the notebook and check the result against its stored reference value.

    call: the text of a call, e.g. "layer_shapes([4, 3, 1])"; it is both what runs and the key
        of the stored value, so the check shows exactly what was called.
    name: the symbol the result stands for (e.g. "X"), shown as "X = <call>" and used to explain
        shape mistakes.
    """
    __tracebackhide__ = True
    namespace = sys._getframe(1).f_globals
    with _inputs_kept(call, namespace), calling(call):
        got = eval(_compiled(call), namespace)
    label = f"{name} = {call}" if name else call
    check_call(label, call, got, expected(call), namespace, rtol=rtol, atol=atol, hint=hint)


@contextlib.contextmanager
def keeps_inputs(*names):
    """Inside `with keeps_inputs("f", "g"):` every call of the notebook's f and g checks that it
    leaves its inputs as they were; one that writes into an input raises CheckError naming it."""
    __tracebackhide__ = True
    namespace = sys._getframe(2).f_globals
    with _inputs_kept(" ".join(f"{n}()" for n in names), namespace):
        yield


@contextlib.contextmanager
def _inputs_kept(call, namespace):
    """While `call` is evaluated, each notebook function it names checks that it leaves its
    inputs as they were (every bit); one that writes into an input raises CheckError naming it,
    and an exception raised inside one becomes the CheckError that says where and why
    (utils.raised).

    A random generator is an input that a function may draw from: it is not compared.
    """
    __tracebackhide__ = True
    names = {node.func.id for node in ast.walk(ast.parse(call))
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    watched = {n: namespace[n] for n in names
               if isinstance(namespace.get(n), types.FunctionType)}

    def watching(name, function):
        converted = converting(name, function, namespace)

        @functools.wraps(function)
        def watched_call(*args, **kwargs):
            __tracebackhide__ = True
            kept = copy.deepcopy((args, kwargs))
            value = converted(*args, **kwargs)
            try:
                bound = inspect.signature(function).bind(*args, **kwargs).arguments
                before = inspect.signature(function).bind(*kept[0], **kept[1]).arguments
            except (TypeError, ValueError):
                return value
            for argument, now in bound.items():
                if not _unchanged(now, before[argument]):
                    raise changed_input(name, argument)
            return value
        return watched_call

    for n, function in watched.items():
        namespace[n] = watching(n, function)
    try:
        yield
    finally:
        namespace.update(watched)


def _unchanged(now, before):
    """Whether an input holds exactly what it held before the call (generators aside)."""
    if isinstance(now, np.random.Generator):
        return True
    if isinstance(now, np.ndarray) or isinstance(before, np.ndarray):
        return (isinstance(now, np.ndarray) and isinstance(before, np.ndarray)
                and now.shape == before.shape and now.dtype == before.dtype
                and bool(np.array_equal(now, before, equal_nan=now.dtype.kind in "fc")))
    if isinstance(now, (list, tuple)) and isinstance(before, (list, tuple)):
        return (type(now) is type(before) and len(now) == len(before)
                and all(_unchanged(a, b) for a, b in zip(now, before)))
    if isinstance(now, dict) and isinstance(before, dict):
        return (list(now) == list(before)
                and all(_unchanged(now[k], before[k]) for k in now))
    return True  # scalars, strings, functions: nothing a call can write into


# What a wrong function a caller depends on makes the caller's check raise: a wrong value, or an
# error of the kind wrong numpy code raises (a shape that does not fit, a missing key, ...). A
# NotImplementedError is left alone: its traceback already names the function not written yet,
# which may be the caller itself.
_KNOCK_ON = (CheckError, ArithmeticError, AttributeError, IndexError, KeyError, TypeError,
             ValueError)


class uses:
    """Checks inside `with uses("f", "g"):` test a function that calls f and g; when one of them
    fails, f and g are checked on their own stored calls, and a wrong one is named as the cause.

    A caller is checked on its own first, so a caller written without its callees is judged on
    its own merit; only when it fails is the blame put where it belongs. The callees are named
    in the course's order, the earliest first: the first wrong one is reported.
    namespace, folder: where the stored calls are evaluated and found (the notebook's globals
    and folder unless given).
    """

    def __init__(self, *callees, namespace=None, folder="."):
        self.callees = callees
        self.namespace = namespace if namespace is not None else sys._getframe(1).f_globals
        self.folder = folder

    def __enter__(self):
        # While the cell's checks run, an exception raised inside any of the notebook's functions
        # becomes a CheckError that says where and why (utils.raised).
        self.own = {n: f for n, f in self.namespace.items()
                    if isinstance(f, types.FunctionType) and f.__globals__ is self.namespace
                    and not n.startswith("_")}
        for n, function in self.own.items():
            self.namespace[n] = converting(n, function, self.namespace)
        return self

    def __exit__(self, kind, error, traceback):
        __tracebackhide__ = True
        self.namespace.update(self.own)
        if error is None or not isinstance(error, _KNOCK_ON):
            return False
        for callee in self.callees:
            problem = self._problem_of(callee)
            if problem is not None:
                found = error.problem if isinstance(error, CheckError) else (
                    f"{type(error).__name__}: {error}")
                raise CheckError(
                    f"{callee} is wrong, and the function checked here uses it: fix {callee} first "
                    f"(its own test cell says how), then run this cell again.\n  {problem}\n"
                    f"  With {callee} as it is, this cell found: {found}") from None
        return False

    def _problem_of(self, callee):
        """What is wrong with `callee` on its stored calls, or None if they all pass."""
        values = _load(pathlib.Path(self.folder) / EXPECTED_FILE)
        for call, value in values.items():
            if not call.startswith(callee + "("):
                continue
            try:
                check(call, eval(_compiled(call), self.namespace), decode(value))
            except CheckError as error:
                return error.problem
            except NotImplementedError:
                return f"{callee} is not written yet: it raises NotImplementedError."
            except _KNOCK_ON as error:
                return f"{call} raised {type(error).__name__}: {error}"
        return None


def _compiled(call):
    """`call` compiled so that a traceback through it shows the call, as written in the check.

    A plain eval() of text leaves IPython no source to show for that frame ("Could not get
    source..."), and that is the first error every student sees. The text is registered in
    linecache, as IPython does for notebook cells, under a name that says where it came from.
    """
    filename = f"<check of {call}>"
    linecache.cache[filename] = (len(call) + 1, None, [call + "\n"], filename)
    return compile(call, filename, "eval")


def _load(path):
    path = path.resolve()
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise FileNotFoundError(
            f"{path} is missing. It ships with the assignment, next to the notebook; "
            f"download the assignment folder again.") from None
    if _cache.get(path, (None,))[0] != stamp:
        try:
            data = parse(path.read_text())
        except ValueError as error:
            raise ValueError(f"{path} is not valid JSON ({error}); download it again.") from None
        _cache[path] = (stamp, data["values"])
    return _cache[path][1]
