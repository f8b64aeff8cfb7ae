"""Instructor tooling: release the course and grade it with nbgrader."""

import sys

# jsonschema, which nbformat and nbgrader import, also imports rfc3987_syntax when it is installed
# (jupyterlab's dependencies install it) to check strings of the "iri" format. That import builds
# a grammar and takes 1.1-1.5 s in every process: the grader and each of its workers. No schema
# these processes validate (notebooks, nbgrader's cell metadata) uses the format, so the module
# is marked missing here, and jsonschema goes without that check. This takes effect where
# `autograder` is imported before jsonschema: `python -m autograder` and its workers.
sys.modules.setdefault("rfc3987_syntax", None)
