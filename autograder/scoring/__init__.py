"""Scoring: a graded cell decided in the grader's process on values read from the student's kernel,
and the scores nbgrader records from those verdicts alone (docs/architecture.md)."""
