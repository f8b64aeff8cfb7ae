"""Messages for an exception raised inside a student's own function while a check calls it.

`raised_in(function, names, args, kwargs, kind, text, frames)` makes the CheckError a
student sees instead of a raw traceback: the call, the type (and shape, dtype) of each argument,
the lines of the student's own code the error passed through (nothing of the checks' or numpy's
frames), and what that kind of error usually means here. The visible checks in the notebook
(utils.expected) and the grader (autograder.scoring.judge, from what utils.probe sends back) build it
with this one function, so that a page and the grader say the same thing. In the notebook,
`converting` wraps a function so that it raises that error, and `watch_check_cells` has every
check cell (one that starts with `from utils import`) call the notebook's functions so wrapped.

The error is an instance of a class named CheckError that is also a subclass of the kind raised
where Python allows it (ValueError, KeyError, ...): a check that expects a ValueError, or a test
cell that catches an IndexError to explain it, still sees one.
"""

import builtins
import functools
import linecache
import re
import sys
import traceback
import types

import numpy as np

from .checks import CheckError

__all__ = ["StudentRaised", "raised_in", "from_exception", "converting", "calling",
           "student_frames", "describe_argument", "watch_check_cells", "LEFT_ALONE"]

MAX_FRAMES = 4
MAX_KEYS = 8

# Raised on purpose, and already named by its traceback: the function is not written yet.
LEFT_ALONE = (NotImplementedError, KeyboardInterrupt, SystemExit)

_CALLS = []  # the text of the check's call being evaluated, innermost last (see `calling`)


class StudentRaised(CheckError):
    """CheckError for an exception raised in the student's function `function`.

    kind: the name of the exception raised (e.g. "KeyError"); text: its message as Python shows it
    ("'W4'" for a KeyError); frames: [(function, line, source)] of the student's own code.
    """

    def __init__(self, problem, hint=None, *, function="", kind="", text="", frames=()):
        super().__init__(problem, hint)
        self.function, self.kind, self.text, self.frames = function, kind, text, list(frames)

    def __str__(self):
        return self.problem + (f"\n  Hint: {self.hint}" if self.hint else "")


_CLASSES = {}


def _error_class(kind):
    """A class named CheckError, subclass of StudentRaised and of the built-in `kind` if any."""
    base = getattr(builtins, kind, None)
    if not (isinstance(base, type) and issubclass(base, Exception)
            and not issubclass(base, LEFT_ALONE)):
        kind, base = "", None  # the student's own exception classes share one class
    if kind not in _CLASSES:
        bases = (StudentRaised, base) if base else (StudentRaised,)
        try:
            _CLASSES[kind] = type("CheckError", bases, {"__module__": CheckError.__module__})
        except TypeError:  # a layout Python cannot combine
            _CLASSES[kind] = type("CheckError", (StudentRaised,),
                                  {"__module__": CheckError.__module__})
    return _CLASSES[kind]


class calling:
    """`with calling(text):` while a check evaluates the call written as `text`: a function that
    raises inside it is reported with that text (the call as the check wrote it)."""

    def __init__(self, text):
        self.text = text

    def __enter__(self):
        _CALLS.append(self.text)

    def __exit__(self, *exc):
        _CALLS.pop()
        return False


def _call_text(function, names):
    """The check's call if `function` is the one it calls first, else function(parameters)."""
    if _CALLS:
        found = re.search(r"[A-Za-z_]\w*(?=\()", _CALLS[-1])
        if found and found.group(0) == function:
            return _CALLS[-1]
    return f"{function}({', '.join(names)})"


def student_frames(tb, namespace):
    """[(function, line, source line)] of the traceback's frames that run the notebook's own code:
    functions whose globals are `namespace` (not the checks, numpy or the course's given code).
    Line numbers count from the top of the cell that defines the function."""
    frames = []
    for frame, line in traceback.walk_tb(tb):
        code = frame.f_code
        if frame.f_globals is not namespace or code.co_filename.startswith("<check of"):
            continue
        if code.co_name == "<module>":
            continue
        source = linecache.getline(code.co_filename, line).strip()
        frames.append((code.co_name, line, source[:200]))
    return frames[-MAX_FRAMES:]


def describe_argument(value):
    """What a student needs to know of an argument: its type and, for arrays, shape and dtype."""
    if isinstance(value, np.ndarray):
        return f"a numpy array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, np.generic):
        return f"a numpy scalar of type numpy.{type(value).__name__}"
    if isinstance(value, dict):
        keys = list(value)
        shown = ", ".join(repr(k) for k in keys[:MAX_KEYS]) + (", ..." if len(keys) > MAX_KEYS else "")
        return f"a dict with keys [{shown}]"
    if isinstance(value, (list, tuple)):
        kinds = sorted({_kind(v) for v in value})
        entries = f"{kinds[0]}s" if len(kinds) == 1 else "entries"
        return f"a {type(value).__name__} of {len(value)} {entries}" if value else \
            f"an empty {type(value).__name__}"
    if isinstance(value, np.random.Generator):
        return "a numpy random Generator"
    if callable(value):
        return "a function"
    if value is None:
        return "None"
    if isinstance(value, (bool, int, float, str)):
        text = repr(value)
        return f"the {type(value).__name__} {text if len(text) <= 40 else text[:37] + '...'}"
    return f"a {type(value).__name__}"


def _kind(value):
    if isinstance(value, np.ndarray):
        return "array"
    return type(value).__name__


def raised_in(function, names, args, kwargs, kind, text, frames):
    """The StudentRaised for `function`(*args, **kwargs) having raised `kind` with message `text`.

    names: the parameter names of the function, in order (for unnamed positions: arg1, ...);
    frames: see student_frames.
    """
    names = list(names) + [f"argument {i + 1}" for i in range(len(names), len(args))]
    named = list(zip(names, args)) + list(kwargs.items())
    call = _call_text(function, [n for n, _ in named])
    lines = [f"{call} raised {kind}: {text}" if text else f"{call} raised {kind}."]
    if frames:
        lines.append("  In your code (line numbers count from the top of the function's cell):")
        for name, line, source in frames:
            lines.append(f"    {name}, line {line}: {source}")
    else:
        lines.append(f"  It happened inside {function}.")
    if named:
        lines.append("  The arguments: " + "; ".join(f"{n} is {describe_argument(v)}"
                                                   for n, v in named) + ".")
    hint = _meaning(kind, text, frames, named)
    return _error_class(kind)("\n".join(lines), hint, function=function, kind=kind, text=text,
                              frames=frames)


def from_exception(function, names, args, kwargs, error, namespace):
    """raised_in for an exception object caught in the notebook's own process."""
    return raised_in(function, names, args, kwargs, type(error).__name__, str(error),
                     student_frames(error.__traceback__, namespace))


_MATMUL = re.compile(r"matmul: Input operand (\d) has a mismatch in its core dimension (\d)")
_BROADCAST = re.compile(r"operands could not be broadcast together with shapes (.*)")
_ALIGNED = re.compile(r"shapes \(([^)]*)\) and \(([^)]*)\) not aligned")
_LAYER_KEY = re.compile(r"'([A-Za-z_]+?)(\d+)'")


def _meaning(kind, text, frames, named):
    """What an error of this kind, with this message, usually means in these exercises."""
    if kind == "KeyError":
        return _key_meaning(text, named)
    if kind == "ValueError" and (_MATMUL.search(text) or _ALIGNED.search(text)):
        return ("A matrix product (n, k) @ (k, m) needs as many columns on the left as rows on "
                "the right, and gives (n, m). Write the shape of each operand next to that line: "
                "one of them is transposed, or the two are in the wrong order.")
    if kind == "ValueError" and _BROADCAST.search(text):
        return ("+, -, * and / work entry by entry: their operands must have equal shapes, or "
                "shapes numpy can broadcast (an axis of size 1 stretches to match). Write the "
                "shape of each operand next to that line; where a sum over an index was meant, "
                "the operation is a matrix product (@), not *.")
    if kind == "UnboundLocalError":
        zeros = [n for n, v in named if type(v) is int and v == 0]
        return ("A local variable was read before any line gave it a value on the path the call "
                "took: it is assigned only inside an if branch that did not run, or inside a loop "
                "that ran zero times" + (f" (here {zeros[0]} is 0, so a loop over "
                                        f"range({zeros[0]}) runs zero times)" if zeros else "")
                + ". Give it a value on every path before the line that reads it.")
    if kind == "IndexError":
        return ("Positions count from 0: an axis (or a list) of length n has the indices "
                "0, ..., n - 1. Compare the index on that line with the length of what it "
                "indexes (the shapes are given above). Layers count from 1, list positions "
                "from 0.")
    if kind == "TypeError":
        if "as a data type" in text:
            return ("numpy read a number as a dtype: functions that build an array (np.zeros, "
                    "rng.standard_normal, ...) take its shape as one tuple, (n, m), and their "
                    "second argument is something else.")
        if "NoneType" in text:
            return ("A value on that line is None: a function that ends without `return` gives "
                    "None. Check what each function the line uses returns.")
        return ("A value on that line is not of the type the operation needs. Compare the types "
                "of the values it uses (those of the arguments are given above) with what the "
                "operation expects.")
    if kind == "ZeroDivisionError":
        return "A division by zero in plain Python: look at what the divisor is for these inputs."
    if kind in ("NameError", "AttributeError"):
        return ("A name is used that does not exist where that line runs: a typo, a variable "
                "of another cell or function, or a method the value's type does not have.")
    return None


def _key_meaning(text, named):
    """A KeyError: which key was asked for, which keys the dicts given have, and a layer's range."""
    dicts = [(n, v) for n, v in named if isinstance(v, dict)]
    hint = f"A dict was asked for the key {text}, which it does not hold."
    if dicts:
        hint += " " + "; ".join(f"{n} holds {_keys(v)}" for n, v in dicts) + "."
    else:
        hint += (" A dict built inside the function holds only the keys stored in it so far: a "
                 "key is read before the line that stores it, or under another number.")
    match = _LAYER_KEY.fullmatch(text)
    if match and dicts:
        prefix, number = match.group(1), int(match.group(2))
        layers = [int(m.group(2)) for _, v in dicts for k in v if isinstance(k, str)
                  for m in [_LAYER_KEY.fullmatch(repr(k))] if m and m.group(1) == prefix]
        if layers and number > max(layers):
            hint += (f" There is no layer {number}: the layers run from {min(layers)} to "
                     f"{max(layers)}, so the loop, or the number of layers L it counts to, goes "
                     f"past the last one. L is the number of layers, and each layer has one W "
                     f"and one b.")
        elif layers and number < min(layers):
            hint += (f" Layers are numbered from 1 (layer 0 is the input, which has no "
                     f"parameters): the loop starts one layer too low.")
    return hint


def _keys(value):
    keys = list(value)
    return "[" + ", ".join(repr(k) for k in keys[:MAX_KEYS]) + (", ...]" if len(keys) > MAX_KEYS
                                                                else "]")


def parameter_names(function, args):
    """The names of the positional parameters of `function` (a plain function) for `args`."""
    code = getattr(function, "__code__", None)
    if code is None:
        return [f"argument {i + 1}" for i in range(len(args))]
    names = list(code.co_varnames[:code.co_argcount])
    return names + [f"argument {i + 1}" for i in range(len(names), len(args))]




_DEPTH = [0]  # how many converting calls are running: only the outermost one converts


def converting(name, function, namespace):
    """`function` (the notebook's `name`), turning an exception raised inside it into the
    StudentRaised that says where and why; NotImplementedError and CheckError pass unchanged, and
    so does anything raised while another converting call is running (the outermost reports it,
    with every frame of the student's code)."""
    inner = getattr(function, "__wrapped__", function)

    @functools.wraps(function)
    def converted(*args, **kwargs):
        __tracebackhide__ = True
        outermost = _DEPTH[0] == 0
        _DEPTH[0] += 1
        try:
            return function(*args, **kwargs)
        except (CheckError, *LEFT_ALONE):
            raise
        except Exception as error:
            if not outermost:
                raise
            raise from_exception(name, parameter_names(inner, args), args, kwargs, error,
                                 namespace) from None
        finally:
            _DEPTH[0] -= 1
    return converted


def watch_check_cells():
    """In an IPython kernel: while a cell that starts with `from utils import` (a test or check
    cell) runs, each of the notebook's functions turns an exception raised inside it into the
    StudentRaised that says where and why, also where the cell calls it directly."""
    if "IPython" not in sys.modules:  # not in a notebook's kernel
        return
    shell = sys.modules["IPython"].get_ipython()
    if shell is None or getattr(shell, "_course_check_cells_watched", False):
        return
    shell._course_check_cells_watched = True
    wrapped = {}

    def before(info):
        wrapped.clear()
        if not (getattr(info, "raw_cell", "") or "").lstrip().startswith("from utils import"):
            return
        namespace = shell.user_ns
        for name, function in list(namespace.items()):
            if isinstance(function, types.FunctionType) and function.__globals__ is namespace \
                    and not name.startswith("_"):
                namespace[name] = wrapped[name] = converting(name, function, namespace)
                wrapped[name].__course_original__ = function

    def after(result):
        namespace = shell.user_ns
        for name, wrapper in wrapped.items():
            if namespace.get(name) is wrapper:  # not redefined by the cell itself
                namespace[name] = wrapper.__course_original__
        wrapped.clear()

    shell.events.register("pre_run_cell", before)
    shell.events.register("post_run_cell", after)
