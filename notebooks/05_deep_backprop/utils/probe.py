"""How the grader calls a student's function in a kernel, and how values cross the kernel boundary.

The grader runs each graded cell's checks in its own process. When a check calls a function the
student wrote, the grader sends the call's inputs to a kernel that ran only the student's cells;
`answer` (run there) calls the function and makes one line: MARK and a JSON reply, which the grader
reads from the execute reply's user_expressions (`take_replies`), never from printed output. The grader
then compares the reply with its reference values itself, so nothing done in the kernel (to this
module included) can make a wrong value right.

Inputs (grader -> kernel), `encode_input` / `decode_input`: arrays, numpy scalars, Python scalars,
tuples, lists, dicts with str keys, numpy Generators (as their state), numpy ufuncs (by name) and
Python functions (code, defaults and closure, for checks that pass a function to differentiate).

Replies (kernel -> grader), `encode_value`: the same plain containers, numpy scalars with their
dtype, anything else as a short description.

Arrays, scalars and floats go both ways in utils/codec.py's form, the one expected.json uses too:
an array as its bytes in base64 with dtype and shape, exact to the bit, NaN and infinities
included, and a tenth of the time that a list of numbers takes to write and read (a 05
submission's checks send about 3 MB). An object
that *is* one of the call's inputs comes back as {"ref": index} (a cache that holds the caller's
arrays); inputs the call changed come back after it. The grader reads replies with
`autograder.scoring.kernel_values`, which bounds them before building anything.
"""

import base64
import builtins
import json
import marshal
import math
import types

import numpy as np

from .codec import (MAX_DEPTH, decode_array, decode_float, decode_scalar, encode_array,
                    encode_float, encode_scalar)
from .raised import student_frames

MARK = "@@probe@@"
_MODULES = {"numpy": np, "math": math}


# ---- inputs: grader -> kernel -------------------------------------------------------------------

def encode_input(value, depth=0):
    """JSON-ready form of a call's input (see the module docstring for what is accepted)."""
    if depth > MAX_DEPTH:
        raise TypeError("input nested too deeply")
    if isinstance(value, np.ndarray):
        return encode_array(value)
    if isinstance(value, np.generic):
        return encode_scalar(value)
    if isinstance(value, float):
        return encode_float(value)
    if value is None or type(value) in (bool, int, str):
        return value
    if isinstance(value, tuple):
        return {"tuple": [encode_input(v, depth + 1) for v in value]}
    if isinstance(value, list):
        return [encode_input(v, depth + 1) for v in value]
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("only dicts with str keys can be sent")
        return {"dict": [[k, encode_input(v, depth + 1)] for k, v in value.items()]}
    if isinstance(value, np.random.Generator):
        return {"rng": value.bit_generator.state}
    if isinstance(value, np.ufunc):
        return {"ufunc": value.__name__}
    if isinstance(value, types.FunctionType):
        return _encode_function(value, depth)
    if isinstance(value, types.ModuleType) and value.__name__ in _MODULES:
        return {"module": value.__name__}
    raise TypeError(f"cannot send a {type(value).__name__} to the kernel")


def _encode_function(function, depth):
    code = function.__code__
    names = _global_names(code)
    bindings = {name: encode_input(function.__globals__[name], depth + 1)
                for name in names if name in function.__globals__}
    return {"function": base64.b64encode(marshal.dumps(code)).decode(),
            "defaults": encode_input(function.__defaults__, depth + 1),
            "kwdefaults": encode_input(function.__kwdefaults__ or {}, depth + 1),
            "closure": [encode_input(cell.cell_contents, depth + 1)
                        for cell in function.__closure__ or ()],
            "globals": {"dict": [[k, v] for k, v in bindings.items()]}}


def _global_names(code):
    names = set(code.co_names)
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            names |= _global_names(constant)
    return {n for n in names if not hasattr(builtins, n)}


def decode_input(data, registry=None):
    """Inverse of encode_input. registry: a list that receives every array, list and dict built,
    in order (the indices by which a reply refers to the caller's objects)."""
    registry = [] if registry is None else registry
    if isinstance(data, list):
        value = []
        registry.append(value)
        value.extend(decode_input(v, registry) for v in data)
        return value
    if not isinstance(data, dict):
        return data
    if "float" in data:
        return decode_float(data)
    if "array" in data:
        value = decode_array(data)
        registry.append(value)
        return value
    if "scalar" in data:
        return decode_scalar(data)
    if "tuple" in data:
        return tuple(decode_input(v, registry) for v in data["tuple"])
    if "dict" in data:
        value = {}
        registry.append(value)
        for k, v in data["dict"]:
            value[k] = decode_input(v, registry)
        return value
    if "rng" in data:
        rng = np.random.default_rng()
        rng.bit_generator.state = data["rng"]
        return rng
    if "ufunc" in data:
        return getattr(np, data["ufunc"])
    if "module" in data:
        return _MODULES[data["module"]]
    if "function" in data:
        namespace = {"__builtins__": builtins, "np": np}
        namespace.update(decode_input(data["globals"]))
        closure = tuple(types.CellType(decode_input(v)) for v in data["closure"]) or None
        function = types.FunctionType(marshal.loads(base64.b64decode(data["function"])),
                                      namespace, None, decode_input(data["defaults"]), closure)
        function.__kwdefaults__ = decode_input(data["kwdefaults"]) or None
        return function
    raise ValueError(f"unknown input {sorted(data)}")


# ---- replies: kernel -> grader ------------------------------------------------------------------

def encode_value(value, inputs=(), depth=0):
    """JSON-ready form of a value a student's function returned.

    inputs: the call's decoded arrays, lists and dicts; a value that is one of them (the same
    object) is sent as {"ref": its index}.
    """
    for index, known in enumerate(inputs):
        if value is known:
            return {"ref": index}
    if depth > MAX_DEPTH:
        return {"other": "a value nested more than %d levels deep" % MAX_DEPTH}
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf" or value.dtype.fields is not None:
            return {"other": f"a numpy array of dtype {value.dtype}", "shape": list(value.shape)}
        return dict(encode_array(np.asarray(value)), matrix=isinstance(value, np.matrix))
    if isinstance(value, np.generic):
        if value.dtype.kind not in "biuf":
            return {"other": f"a numpy scalar of type numpy.{type(value).__name__}"}
        return encode_scalar(value)
    if type(value) is float:
        return encode_float(value)
    if value is None or type(value) in (bool, int):
        return value
    if type(value) is str:
        return value[:1000]
    if type(value) is tuple:
        return {"tuple": [encode_value(v, inputs, depth + 1) for v in value]}
    if type(value) is list:
        return [encode_value(v, inputs, depth + 1) for v in value]
    if type(value) is dict and all(type(k) is str for k in value):
        return {"dict": [[k[:200], encode_value(v, inputs, depth + 1)] for k, v in value.items()]}
    return {"other": _describe(value)}


def _describe(value):
    name = type(value).__name__
    try:
        size = f" of length {len(value)}"
    except Exception:
        size = ""
    return f"a {name}{size}"[:200]


_REPLIES = []


def answer_all(namespace, requests):
    """Answer each request of the JSON list `requests` in turn, keeping each reply for
    `take_replies`: nothing is printed, so nothing the student's code prints can pass for one."""
    _REPLIES.clear()
    for index, request in enumerate(json.loads(requests)):
        _REPLIES.append(f"{MARK} {index} {json.dumps(answer(namespace, request))}")


def answer_json(namespace, requests):
    """answer_all, then take_replies: the one expression the grader has the kernel evaluate (in
    the execute request's user_expressions, so that no call leaves a trace in the kernel's
    history, `In` or linecache)."""
    answer_all(namespace, requests)
    return take_replies()


def take_replies():
    """The replies of the last answer_all, one line "MARK index reply" each, and forget them.

    The grader asks for this text in the execute request's user_expressions, which the kernel
    evaluates after the code and returns in its execute reply, not on an output stream.
    """
    text = "\n".join(_REPLIES)
    _REPLIES.clear()
    return text


def answer(namespace, request):
    """Call the function a request names, in `namespace`; return the JSON-ready reply.

    request: JSON text {"function": name, "args": [...], "kwargs": {...}, "errstate": {...}}.
    The reply: {"value": ...} or {"raises": name, "message": text, "trace": the student's frames
    [[function, line, source]]}, and "changed": the inputs
    (by position in the request) that the call modified, as they are after it.
    """
    request = json.loads(request)
    registry = []
    args = decode_input(request["args"], registry)
    kwargs = decode_input(request["kwargs"], registry)
    reply = {}
    standins = request.get("standins", [])
    own = {name: namespace.get(name, _MISSING) for name, *_ in standins}
    try:
        for name in own:
            namespace[name] = _standin(name, [e for e in standins if e[0] == name],
                                       request["function"])
        function = own.get(request["function"], namespace[request["function"]])
        with np.errstate(**request.get("errstate", {})):
            value = function(*args, **kwargs)
        reply["value"] = encode_value(value, registry)
    except Exception as error:
        reply["raises"] = type(error).__name__
        reply["message"] = str(error)[:500]
        # The lines of the student's own code it passed through (utils.raised words the message).
        reply["trace"] = [list(frame) for frame in student_frames(error.__traceback__, namespace)]
    finally:
        for name, kept in own.items():
            if kept is _MISSING:
                namespace.pop(name, None)
            else:
                namespace[name] = kept
    after = [encode_input_safely(args), encode_input_safely(kwargs)]
    reply["changed"] = [i for i in range(2) if after[i] != [request["args"], request["kwargs"]][i]]
    reply["after"] = [after[i] for i in reply["changed"]]
    return reply


_MISSING = object()


class NotTheExercisesInputs(Exception):
    """A graded function called another one with inputs that the exercise's steps never give it."""


def _standin(name, entries, caller):
    """What answers for the graded function `name` while the grader judges `caller`.

    entries: [name, args, kwargs, reply, args after, kwargs after] as the reference made those
    calls (autograder.scoring.judge._recording); an "after" of None: left as it was. A call with the same inputs (or the same to 1e-9) gets
    that reply, and its inputs are left as the reference left them; the student's own `name` is
    judged in its own cell.
    """
    def standin(*args, **kwargs):
        given = [encode_input_safely(list(args)), encode_input_safely(kwargs)]
        entry = next((e for e in entries if [e[1], e[2]] == given), None) or next(
            (e for e in entries if _close(decode_input(e[1]), list(args))
             and _close(decode_input(e[2]), kwargs)), None)
        if entry is None:
            raise NotTheExercisesInputs(
                f"{caller} called {name} with inputs that the exercise's {caller} never passes it "
                f"here; check what {caller} gives {name} (its own test cell checks {name}).")
        for before, after, value in ((entry[1], entry[4], list(args)), (entry[2], entry[5], kwargs)):
            if after is not None and before != after:
                _restore(value, decode_input(after))
        reply = entry[3]
        if "raises" in reply:
            raise getattr(builtins, reply["raises"], RuntimeError)(reply.get("message", ""))
        return decode_input(reply["value"])
    standin.__name__ = name
    return standin


def _close(a, b):
    """Whether two decoded inputs hold the same numbers to 1e-9 (relative)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and a.dtype.kind in "biuf" and b.dtype.kind in "biuf" and \
            bool(np.allclose(a, b, rtol=1e-9, atol=1e-12, equal_nan=True))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, np.random.Generator) and isinstance(b, np.random.Generator):
        return a.bit_generator.state == b.bit_generator.state
    return type(a) is type(b) and a == b


def _restore(value, after):
    """Leave `value` (the caller's object) as `after` says the reference left it."""
    if isinstance(value, np.ndarray) and isinstance(after, np.ndarray):
        value[...] = after
    elif isinstance(value, np.random.Generator) and isinstance(after, np.random.Generator):
        value.bit_generator.state = after.bit_generator.state
    elif isinstance(value, list) and isinstance(after, list):
        for item, new in zip(value, after):
            _restore(item, new)
    elif isinstance(value, tuple) and isinstance(after, tuple):
        for item, new in zip(value, after):
            _restore(item, new)
    elif isinstance(value, dict) and isinstance(after, dict):
        for key in value.keys() & after.keys():
            _restore(value[key], after[key])


def encode_input_safely(value):
    """An input as it is after the call; a value the call turned into something unsendable is
    described instead."""
    try:
        return encode_input(value)
    except Exception as error:
        return {"other": str(error)[:200]}
