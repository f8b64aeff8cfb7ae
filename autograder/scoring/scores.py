"""Scores from the grader's verdicts alone, recorded in the gradebook by nbgrader.

nbgrader's SaveAutoGrades scores a graded code cell from its outputs (an error or stderr: 0; a
result display: that number, or full marks if it is not one). Outputs come from the student's
kernel, so here they decide nothing: a graded test cell gets its points exactly when its verdict
from `autograder.scoring.evidence.RunOnce` passed, and 0 when it failed or is missing. Cells graded
by hand (written answers, solution cells) are left to nbgrader as before.
"""

from nbgrader.preprocessors import SaveAutoGrades

from autograder.course.nbgrader_cells import is_test_code


class SaveVerdicts(SaveAutoGrades):
    """SaveAutoGrades, with each graded test cell's score taken from resources["autograder"]."""

    def preprocess(self, nb, resources):
        self._verdicts = resources.get("autograder", {}).get("verdicts", {})
        return super().preprocess(nb, resources)

    def _add_score(self, cell, resources):
        if not is_test_code(cell):
            return super()._add_score(cell, resources)
        grade = self.gradebook.find_grade(cell.metadata["nbgrader"]["grade_id"], self.notebook_id,
                                          self.assignment_id, self.student_id)
        passed, _ = self._verdicts.get(cell.metadata["nbgrader"]["grade_id"], (False, None))
        grade.auto_score = float(cell.metadata["nbgrader"]["points"]) if passed else 0.0
        grade.needs_manual_grade = grade.manual_score is not None
        self.gradebook.db.commit()

