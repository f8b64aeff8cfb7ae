"""Grading a whole class in parallel on top of real nbgrader (`python -m autograder grade`)."""
