"""Plausible wrong implementations of the graded functions, one module per notebook.

Each module defines MISTAKES: a list of Mistake. A mistake replaces one solution cell; the visible
check of that function must fail with a message containing `message`, and the hidden tests must
fail too.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Mistake:
    function: str   # grade_id of the solution cell it replaces
    name: str       # short id, used in test names
    code: str       # the wrong cell
    message: str    # a phrase the visible check's message must contain

    def __str__(self):
        return f"{self.function}-{self.name}"
