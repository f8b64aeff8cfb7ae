"""nbgrader preprocessors of the course."""

from nbgrader.preprocessors import NbGraderPreprocessor


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
