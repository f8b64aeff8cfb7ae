"""Kernel side of the grader's probes: evaluate calls, print their values as one JSON line.

The grader inserts a probe cell before each graded test cell. The values are judged outside the
kernel, against references the kernel never sees, so nothing done here (or to this module) can
raise a score: a forged line must hold the right values, which takes a right implementation.
"""

import json

import numpy as np

from .expected import encode

MARK = "@@probe@@"


def _plain(value):
    """Numpy scalars as Python scalars, containers walked; the rest as it is."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (tuple, list)):
        return type(value)(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def outcome(call, namespace):
    """{"value": encoded} or {"raises": exception name} for `call` evaluated in `namespace`."""
    try:
        value = eval(call, namespace)
    except Exception as error:
        return {"raises": type(error).__name__}
    try:
        return {"value": encode(_plain(value))}
    except Exception as error:
        return {"unstorable": f"{type(error).__name__}: {error}"}


def report(grade_id, calls, namespace):
    namespace = dict(namespace)
    namespace.setdefault("np", np)
    print(MARK, json.dumps({"grade_id": grade_id,
                            "outcomes": [outcome(call, namespace) for call in calls]}))
