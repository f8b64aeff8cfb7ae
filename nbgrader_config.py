# Lets the stock `nbgrader` command, run from the repository root, use the course configuration.
c = get_config()  # noqa: F821
load_subconfig("autograder/nbgrader_config.py")  # noqa: F821
