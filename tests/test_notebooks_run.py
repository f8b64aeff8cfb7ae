"""The solutions run clean in a real kernel; the unfilled release fails every graded cell."""

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.course import NOTEBOOKS, SOLUTIONS
from notebook_parts import is_test

pytestmark = pytest.mark.slow


def execute(path):
    """Run a notebook top to bottom in a fresh kernel, errors allowed; return it executed."""
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=60, allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def errors(cell):
    return [o for o in cell.get("outputs", []) if o.output_type == "error"]


def test_solution_runs_clean(assignment_id):
    nb = execute(SOLUTIONS / assignment_id / f"{assignment_id}.ipynb")
    for index, cell in enumerate(nb.cells):
        assert not errors(cell), f"cell {index} failed: {errors(cell)[0].evalue}"
        if is_test(cell):
            stderr = [o for o in cell.outputs if o.output_type == "stream" and o.name == "stderr"]
            assert not stderr, f"graded cell {index} writes to stderr: {stderr[0].text}"
            stdout = "".join(o.text for o in cell.outputs if o.output_type == "stream")
            assert "all visible checks passed" in stdout


def test_unfilled_release_fails_every_graded_cell(assignment_id):
    nb = execute(NOTEBOOKS / assignment_id / f"{assignment_id}.ipynb")
    graded = [cell for cell in nb.cells if is_test(cell)]
    assert graded
    for cell in graded:
        assert errors(cell), f"{cell.metadata.nbgrader.grade_id} passed without an answer"
        assert errors(cell)[0].ename == "NotImplementedError"
    code_cells = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code_cells), "the kernel stopped before the end"


def test_per_group_chart_works_with_any_correct_gradient_check():
    """05's per-group gradient check reports a correct backward pass as correct whatever the
    student's gradient_check looks like inside (here: it calls a module-level helper)."""
    from submissions.s05_deep_backprop import GRADIENT_CHECK_WITH_HELPER

    path = SOLUTIONS / "05_deep_backprop" / "05_deep_backprop.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "gradient_check")
    cell.source = GRADIENT_CHECK_WITH_HELPER
    chart = next(i for i, c in enumerate(nb.cells) if "def errors_by_group" in c.source)
    nb.cells[chart + 1:] = [nbformat.v4.new_code_cell(
        'print(sorted(by_group["your model_backward"].items()))\n'
        'print(max(by_group["your model_backward"].values()) < TOLERANCE)')]
    NotebookClient(nb, timeout=60, resources={"metadata": {"path": str(path.parent)}}).execute()
    text = "".join(o.text for o in nb.cells[-1].outputs if o.output_type == "stream")
    assert text.splitlines()[-1] == "True", text
