"""Plausible wrong implementations of the graded functions, one module per notebook.

Each module defines MISTAKES: a list of Mistake. A mistake replaces one solution cell; the visible
check of that function must fail with a message containing `message`, and the hidden tests must
fail too. A knock-on case (`checked_in` set) is checked in the test cell of a function that calls
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

    def __str__(self):
        where = self.checked_in or self.caught_by.replace(" ", "-")
        return f"{self.function}-{self.name}" + (f"-in-{where}" if where else "")
