"""One JSON form for numpy values, wherever a value crosses a boundary.

Used by the stored expected values (utils/expected.py, expected.json), by the calls between the
grader and a student's kernel (utils/probe.py, which adds what only a call needs: random
generators, ufuncs, functions, references to the caller's own objects) and by the grader when it
reads a kernel's reply (autograder/scoring/kernel_values.py, which checks every bound first).

    None, bool, int, str        as themselves
    float                       as itself; NaN and infinities as {"float": "nan" | "inf" | "-inf"}
    numpy scalar                {"scalar": number, "dtype": dtype.str}
    numpy array                 {"array": its bytes in C order, base64; "dtype": dtype.str;
                                 "shape": [...]}: exact to the bit, whatever the CPU prints
    tuple                       {"tuple": [...]}
    list                        [...]
    dict (str keys)             {"dict": [[key, value], ...]} (in order)
"""

import base64
import math

import numpy as np

MAX_DEPTH = 24


def encode(value, depth=0):
    """JSON-ready data of a plain value (see the module docstring); TypeError for anything else."""
    if depth > MAX_DEPTH:
        raise TypeError("value nested too deeply")
    if isinstance(value, np.ndarray):
        return encode_array(value)
    if isinstance(value, np.generic):
        return encode_scalar(value)
    if isinstance(value, float):
        return encode_float(value)
    if value is None or type(value) in (bool, int, str):
        return value
    if isinstance(value, tuple):
        return {"tuple": [encode(v, depth + 1) for v in value]}
    if isinstance(value, list):
        return [encode(v, depth + 1) for v in value]
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("only dicts with str keys can be encoded")
        return {"dict": [[k, encode(v, depth + 1)] for k, v in value.items()]}
    raise TypeError(f"cannot encode a value of type {type(value).__name__}: plain Python "
                    f"scalars, tuples, lists, dicts and numpy arrays only")


def decode(data):
    """The value `encode` describes (no bounds: for data this code base wrote itself)."""
    if isinstance(data, list):
        return [decode(v) for v in data]
    if not isinstance(data, dict):
        return data
    if "float" in data:
        return decode_float(data)
    if "array" in data:
        return decode_array(data)
    if "scalar" in data:
        return decode_scalar(data)
    if "tuple" in data:
        return tuple(decode(v) for v in data["tuple"])
    if "dict" in data:
        return {k: decode(v) for k, v in data["dict"]}
    raise ValueError(f"not an encoded value: {sorted(data)}")


def encode_array(array):
    """{"array": the entries' bytes in C order, base64; "dtype": numpy's dtype.str; "shape"}."""
    plain = np.ascontiguousarray(array)
    return {"array": base64.b64encode(plain.tobytes()).decode("ascii"), "dtype": plain.dtype.str,
            "shape": list(plain.shape)}


def decode_array(data):
    """The writable array that `encode_array` describes."""
    flat = np.frombuffer(base64.b64decode(data["array"]), dtype=np.dtype(data["dtype"]))
    return flat.reshape(data["shape"]).copy()


def encode_float(x):
    """A float as JSON carries it: NaN and infinities as {"float": text}."""
    return x if math.isfinite(x) else {"float": repr(x)}


def decode_float(data):
    return float(data["float"]) if isinstance(data, dict) else data


def encode_scalar(value):
    """{"scalar": the number, "dtype": dtype.str} of a numpy scalar."""
    number = value.item()
    return {"scalar": encode_float(number) if isinstance(number, float) else number,
            "dtype": value.dtype.str}


def decode_scalar(data):
    return np.dtype(data["dtype"]).type(decode_float(data["scalar"]))
