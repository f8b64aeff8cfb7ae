"""Read a kernel's reply (utils.probe, in utils.codec's form) in the grader's process, bounded
before anything is built.

The kernel runs student code, so its reply is hostile input here. Before parsing, the reply's size
is bounded by the size of the value expected (the reference's reply to the same call) and its
nesting depth is limited; arrays (their bytes in base64) must declare a plain numeric dtype and a
shape whose size matches the bytes sent and stays within a few times the expected size. Anything else is a `ReplyError`,
which fails that student's check with a message; it never stops the grader.
"""

import base64
import json
import math
import re

import numpy as np

from utils.codec import MAX_DEPTH

DTYPES = {np.dtype(t).str: np.dtype(t) for t in
          ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
           "float16", "float32", "float64")}
MAX_NDIM = 32
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKETS = re.compile(r"[\[\]{}]")


class ReplyError(Exception):
    """A reply from the kernel that cannot be read; the message says why, for the student."""


def size_limit(expected_reply):
    """Largest reply text accepted when the reference's reply is `expected_reply` (JSON text)."""
    return 4 * len(expected_reply) + 65536


def parse(text, limit):
    """The reply JSON of `text`, which must be at most `limit` characters and nested at most
    MAX_DEPTH + 8 levels; ReplyError otherwise."""
    if len(text) > limit:
        raise ReplyError(f"the value that came back is far larger than expected "
                         f"({len(text)} characters)")
    depth = 0
    for match in _BRACKETS.finditer(_STRINGS.sub('""', text)):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_DEPTH + 8:
            raise ReplyError("the value that came back is nested too deeply")
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as error:
        raise ReplyError(f"the value that came back could not be read ({type(error).__name__})")


def count(data):
    """How many scalars a decoded-to-be reply holds (bounds the arrays built from it); data: the
    reference's reply, as the grader itself encoded it."""
    if isinstance(data, list):
        return sum(count(v) for v in data)
    if isinstance(data, dict):
        if "array" in data and isinstance(data.get("shape"), list):
            return math.prod(data["shape"])
        return sum(count(v) for v in data.values())
    return 1


def value(data, inputs, max_size, depth=0):
    """Build the value a reply describes. inputs: the caller's objects a {"ref": i} points to;
    max_size: the most array entries any one array may have."""
    if depth > MAX_DEPTH + 4:
        raise ReplyError("the value that came back is nested too deeply")
    if data is None or isinstance(data, (bool, int, float, str)):
        if isinstance(data, int) and not isinstance(data, bool) and abs(data) > 2 ** 4096:
            raise ReplyError("an integer that came back is too large")
        return data
    if isinstance(data, list):
        return [value(v, inputs, max_size, depth + 1) for v in data]
    if not isinstance(data, dict) or len(data) > 5:
        raise ReplyError("the value that came back is malformed")
    if "ref" in data:
        index = data["ref"]
        if type(index) is not int or not 0 <= index < len(inputs):
            raise ReplyError("the value that came back refers to nothing")
        return inputs[index]
    if "float" in data:
        return _float(data["float"])
    if "array" in data:
        return _array(data, max_size)
    if "scalar" in data:
        dtype = DTYPES.get(data.get("dtype"))
        if dtype is None:
            raise ReplyError("a numpy scalar came back with an unsupported dtype")
        x = data["scalar"]
        x = _float(x["float"]) if isinstance(x, dict) else x
        if not isinstance(x, (bool, int, float)):
            raise ReplyError("a numpy scalar came back malformed")
        try:
            return dtype.type(x)
        except (OverflowError, ValueError):
            raise ReplyError("a numpy scalar came back out of range") from None
    if "tuple" in data and isinstance(data["tuple"], list):
        return tuple(value(v, inputs, max_size, depth + 1) for v in data["tuple"])
    if "dict" in data and isinstance(data["dict"], list):
        result = {}
        for pair in data["dict"]:
            if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
                raise ReplyError("a dict came back malformed")
            result[pair[0]] = value(pair[1], inputs, max_size, depth + 1)
        return result
    if "other" in data:
        return Unreadable(str(data["other"])[:200])
    raise ReplyError("the value that came back is malformed")


def _float(text):
    if text not in ("nan", "inf", "-inf"):
        raise ReplyError("a float came back malformed")
    return float(text)


def _array(data, max_size):
    """The array of a reply's {"array": base64 bytes, "dtype", "shape"} (utils.probe.encode_array):
    a plain numeric dtype, a shape whose size is at most max_size entries, and exactly the bytes
    that shape needs."""
    dtype = DTYPES.get(data.get("dtype"))
    shape, text = data.get("shape"), data.get("array")
    if dtype is None:
        raise ReplyError(f"an array came back with dtype {str(data.get('dtype'))[:40]!r}, "
                         f"which is not a plain numeric dtype")
    if (not isinstance(shape, list) or len(shape) > MAX_NDIM
            or not all(type(n) is int and 0 <= n <= max_size for n in shape)):
        raise ReplyError("an array came back with an invalid shape")
    size = math.prod(shape)
    if (size > max_size or not isinstance(text, str)
            or len(text) > 4 * (size * dtype.itemsize + 2) // 3 + 4):
        raise ReplyError(f"an array came back declaring shape {tuple(shape)} but holding other "
                         f"data, or far more than expected")
    try:
        raw = base64.b64decode(text, validate=True)
    except (ValueError, TypeError):
        raise ReplyError("an array came back holding something other than numbers") from None
    if len(raw) != size * dtype.itemsize:
        raise ReplyError(f"an array came back declaring shape {tuple(shape)} but holding "
                         f"{len(raw) // dtype.itemsize} entries")
    if dtype.kind == "b":  # a byte other than 0 or 1 is still a truth value: True
        array = (np.frombuffer(raw, dtype=np.uint8) != 0).reshape(shape)
    else:
        array = np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    return np.asmatrix(array) if data.get("matrix") is True and array.ndim == 2 else array


class Unreadable:
    """A value of a type that cannot cross from the kernel: compares equal to nothing."""

    def __init__(self, description):
        self.description = description

    def __repr__(self):
        return self.description

    def __eq__(self, other):
        return False

    __hash__ = object.__hash__
