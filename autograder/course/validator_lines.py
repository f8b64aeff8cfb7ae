"""`nbgrader validate` with each line of a message wrapped onto the next ones instead of cut.

nbgrader's Validator cuts every line of a failing cell's error at Validator.width (90) characters
with "...", and a check's message (the call, the shapes, the hint) is longer than that: the student
would lose the very part that says what is wrong. `install()` makes the lines wrap instead.

The course configuration (autograder/course/nbgrader_config.py) installs it; `hub-config` writes this
file's code into the nbgrader_config.py of students' servers, which have nbgrader but not this
repository, so it needs nothing but nbgrader and the standard library.
"""
import textwrap

from nbconvert.filters import strip_ansi
from nbgrader.validator import Validator


def wrap_lines(validator, text):
    """Validator._indent that wraps a long line onto the next ones instead of cutting it."""
    room = max(20, validator.width - len(validator.indent))
    lines = []
    for line in strip_ansi(text).split("\n"):
        margin = validator.indent + line[:len(line) - len(line.lstrip())]
        lines += textwrap.wrap(line.strip(), room, initial_indent=margin,
                               subsequent_indent=margin + "  ", break_long_words=True,
                               break_on_hyphens=False) or [validator.indent + line.rstrip()]
    return "\n".join(lines)


def install():
    Validator._indent = wrap_lines
