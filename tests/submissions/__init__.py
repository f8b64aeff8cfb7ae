"""Fixture submissions for the autograding tests, one module per notebook.

Each module defines submissions(): a list of Submission, built from the current release so that
they stay in step with it, each with the exact score nbgrader must give every graded cell.
"""

from dataclasses import dataclass, field


@dataclass
class Submission:
    student: str
    notebook: object          # NotebookNode as handed in
    scores: dict              # {test cell grade_id: points} under the course configuration
    stock_scores: dict = None  # the same under nbgrader's default settings, where it differs
    feedback_messages: list = field(default_factory=list)  # phrases the feedback must show
