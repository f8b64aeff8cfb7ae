"""Instructor tooling: release the course and grade it with nbgrader."""
