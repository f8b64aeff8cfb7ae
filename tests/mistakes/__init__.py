"""Plausible wrong implementations of the graded functions, one module per notebook.

Each module defines MISTAKES: a list of Mistake. A mistake replaces one solution cell; the visible
check of that function must fail with a message containing `message`, and the hidden tests must
fail too. With `exact` set, `message` is the whole message: the visible check's error must be
exactly "CheckError: <message>", and so must the grader's verdict on the cell (or "CheckError:
<grader>" where the grader, judging with the reference in the callees' places, finds it sooner). A knock-on case (`checked_in` set) is checked in the test cell of a function that calls
the wrong one, where the reference of that caller is correct: its message must name the callee.
A case with `caught_by` set is checked by an ungraded check cell instead, the one that ends with
`passed("<caught_by>")` (an optional exercise's check, a per-layer check): that cell must fail with
`message`; no grade is involved.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Mistake:
    function: str   # grade_id of the solution cell it replaces
    name: str       # short id, used in test names
    code: str       # the wrong cell
    message: str    # a phrase the visible check's message must contain
    checked_in: str = ""  # grade_id of a correct caller whose test cell must blame this mistake
    caught_by: str = ""   # what the ungraded check cell that must catch it passes to passed()
    exact: bool = False   # `message` is the whole message, on the page and in the grader's verdict
    grader: str = ""      # with `exact`: the grader's whole message where it differs from the page's

    def __str__(self):
        where = self.checked_in or self.caught_by.replace(" ", "-")
        return f"{self.function}-{self.name}" + (f"-in-{where}" if where else "")


# Written into every generated in-place case: changes the first array (or, with none, list) that
# it finds in what it is given, the way `A -= Y` or `layer_dims.append(...)` would.
SCRIBBLE = '''
def _scribble(value, lists_too=False):
    import numpy as _np
    if isinstance(value, _np.ndarray) and value.size and value.flags.writeable \\
            and value.dtype.kind == "f":
        value.flat[0] = value.flat[0] * 2.0 + 1.0
        return True
    if isinstance(value, dict):
        return any(_scribble(v, lists_too) for v in list(value.values()))
    if isinstance(value, (list, tuple)):
        if any(_scribble(v, lists_too) for v in value):
            return True
        if lists_too and isinstance(value, list) and value:
            value.append(value[-1])
            return True
    return False
'''


def writes_into_an_input(function, reference):
    """A Mistake: the reference of `function`, which also writes into one of its inputs (an array
    entry, or a list it is given) just before it returns: every value right, an input changed.

    reference: the reference solution's code (defines `function`).
    """
    import re

    signature = re.search(rf"^def {function}\((.*?)\):", reference, re.M | re.S).group(1)
    params = [p.split("=")[0].split(":")[0].strip().lstrip("*")
              for p in signature.replace("\n", " ").split(",") if p.strip()]
    listed = "[" + ", ".join(params) + "]"
    code = re.sub(r"^(\s+)return\b",
                  lambda m: f"{m.group(1)}_scribble({listed}) or _scribble({listed}, True)\n"
                            f"{m.group(1)}return", reference, flags=re.M)
    return Mistake(function, "writes-into-an-input", SCRIBBLE + code,
                   f"{function} changed its argument")
