"""Where people start: a student's copy of the course in JupyterLab, the student package, the
instructor's view, and which of nbgrader's tools each role sees (docs/architecture.md)."""
