"""nbgrader preprocessors of the course."""

import re

from nbgrader.preprocessors import Execute
from nbgrader.preprocessors import NbGraderPreprocessor as _NbGraderPreprocessor
from traitlets import List

class CoursePreprocessor(_NbGraderPreprocessor):
    """nbgrader's preprocessor base, quiet under an HTML exporter.

    nbconvert's HTMLExporter configures `display_data_priority` for every NbConvertBase, and
    nbgrader's base redeclares that trait without `config=True`, so traitlets warned "Config option
    `display_data_priority` not recognized" once per preprocessor of the course on every feedback
    run (nbgrader's own GetGrades redeclares it the same way as here).
    """

    display_data_priority = List(_NbGraderPreprocessor.display_data_priority.default_value,
                                 config=True)


class StderrAsStdout(CoursePreprocessor):
    """Turn stderr stream outputs into stdout ones: a warning reads as ordinary text.

    Scores do not depend on outputs at all (they come from the grader's verdicts,
    autograder.scoring.scores.SaveVerdicts); this only shows the warning in the notebook and the feedback
    as ordinary output for the student to read.
    """

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code":
            for output in cell.outputs:
                if output.output_type == "stream" and output.name == "stderr":
                    output.name = "stdout"
        return cell, resources


EXERCISE_HEADING = re.compile(r"^#{1,6}\s+(Exercise\s+\d+\s*:.*?)\s*(\(\s*[\d.]+\s+points?\s*\))?\s*$",
                              re.M | re.I)


class NameTestCells(CoursePreprocessor):
    """Give each graded cell the name of its exercise, for the summary atop a feedback page.

    The name is the latest "### Exercise N: `function` (k points)" heading above the cell, without
    its points and backticks ("Exercise 3: linear_backward"); it goes in the cell's metadata as
    `exercise`. A graded cell with no heading above it keeps nbgrader's grade id.
    """

    def preprocess(self, nb, resources):
        exercise = None
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                headings = EXERCISE_HEADING.findall(cell.source)
                if headings:
                    exercise = headings[-1][0].replace("`", "")
            if exercise and cell.metadata.get("nbgrader", {}).get("grade"):
                cell.metadata["exercise"] = exercise
        return nb, resources


# "Cell In[17], line 2" in an IPython traceback, colour codes allowed between the words.
TRACEBACK_CELL = re.compile(r"(Cell(?:\x1b\[[0-9;]*m|\s)*In\[)(\d+)\]")


class NumberCellsInOrder(CoursePreprocessor):
    """Number the executed code cells 1, 2, 3, ... as a student who ran them in order would see.

    Cells the grader ran and removed (probes) leave gaps in the kernel's execution counts; the
    feedback shows consecutive numbers instead: on the In[...] prompt, its Out[...] results and
    the "Cell In[...]" lines of tracebacks, which name the cell a frame belongs to.
    """

    def preprocess(self, nb, resources):
        renumbered = {}
        for cell in nb.cells:
            if cell.cell_type == "code" and cell.get("execution_count") is not None:
                renumbered[cell.execution_count] = cell.execution_count = len(renumbered) + 1

        def cell_name(match):
            old = int(match.group(2))
            return f"{match.group(1)}{renumbered[old]}]" if old in renumbered else match.group(0)

        for cell in nb.cells:
            for output in cell.get("outputs", []):
                if output.output_type == "execute_result":
                    output.execution_count = cell.execution_count
                elif output.output_type == "error":
                    output.traceback = [TRACEBACK_CELL.sub(cell_name, line)
                                        for line in output.traceback]
        return nb, resources


class ObservedExecute(Execute):
    """nbgrader's Execute that records, itself, which cells it stopped at the cell time limit.

    A cell's outputs are the kernel's word, and a student can raise an exception of any name
    (`class CellTimeoutError(Exception)`): what ran past the limit is what this client saw run
    past it. `timed_out_cells()` gives the indices of the notebook last executed in this process
    (a grading worker grades one notebook at a time).
    """

    def preprocess(self, nb, resources=None, km=None):
        _TIMED_OUT.clear()
        return super().preprocess(nb, resources, km)

    async def _async_handle_timeout(self, timeout, cell=None):
        for index, known in enumerate(self.nb.cells):
            if known is cell:
                _TIMED_OUT.append(index)
        return await super()._async_handle_timeout(timeout, cell)


_TIMED_OUT = []


def timed_out_cells():
    """Indices of the cells that the last ObservedExecute of this process stopped at the limit."""
    return list(_TIMED_OUT)
