"""Grading a whole class in parallel on top of real nbgrader (`python -m autograder grade`):
take in, grade on an engine, record, report (docs/architecture.md, stages 4-7)."""
