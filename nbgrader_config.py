# Lets the stock `nbgrader` command, run from the repository root, use the course configuration.
# The path is this file's own, so that a configuration elsewhere can load this one by its path.
import os

c = get_config()  # noqa: F821
load_subconfig(os.path.join(os.path.dirname(__file__), "autograder", "course", "nbgrader_config.py"))  # noqa: F821
