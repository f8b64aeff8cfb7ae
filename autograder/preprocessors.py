"""nbgrader preprocessors of the course."""

import re

from nbgrader.preprocessors import NbGraderPreprocessor

HIDDEN_TESTS = re.compile(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS", re.S)
HIDDEN_NOTE = "# Hidden tests ran here. Their source is not shown; a failure's message is below."


class StderrAsStdout(NbGraderPreprocessor):
    """Turn stderr stream outputs into stdout ones, so that a warning does not zero a grade cell.

    Runs after execution and before grades are read: a cell's score then depends only on whether
    it raised an error, and the warning text stays in the notebook for the student to read.
    """

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code":
            for output in cell.outputs:
                if output.output_type == "stream" and output.name == "stderr":
                    output.name = "stdout"
        return cell, resources


class HideHiddenTests(NbGraderPreprocessor):
    """Keep hidden-test source out of student feedback.

    nbgrader restores hidden tests for grading and leaves them in the feedback it generates. This
    replaces each hidden region with a one-line note and, in cells that had one, shortens error
    tracebacks to the error's message, since a traceback prints the source lines around the
    failing one. The student keeps every failure message and their own code.
    """

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and HIDDEN_TESTS.search(cell.source):
            cell.source = HIDDEN_TESTS.sub(HIDDEN_NOTE, cell.source)
            for output in cell.outputs:
                if output.output_type == "error":
                    output.traceback = [f"{output.ename}: {output.evalue}"]
        return cell, resources
