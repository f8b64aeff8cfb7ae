"""notebooks/ is exactly what `python -m autograder release` makes now, and gives nothing away."""

import re
import shutil

import nbformat
import pytest

from autograder.course import datasets, expected_values, provided
from autograder.course import NOTEBOOKS, SOLUTIONS, assignment_ids
from autograder.course.notebook_files import is_clean
from autograder.course.release import NOT_RELEASE, UTILS, release, release_files
from notebook_parts import SOLUTION_REGION, cells_by_id, graded_functions, \
    hidden_code, nbgrader_meta, source
from notebook_parts import release as release_notebook

MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
           "BEGIN MARK SCHEME", "END MARK SCHEME")


@pytest.mark.slow
def test_committed_release_is_current(fresh_release):
    assert sorted(p.name for p in NOTEBOOKS.iterdir() if release_files(p)) == assignment_ids()
    assert release_files(NOTEBOOKS) == release_files(fresh_release), \
        "notebooks/ is stale: run `python -m autograder release` and commit the result"


@pytest.mark.slow
def test_release_is_deterministic(fresh_release, tmp_path):
    assert release(out_dir=tmp_path)  # everything is new there
    assert release_files(tmp_path) == release_files(fresh_release)
    assert release(out_dir=tmp_path) == []  # and nothing changes the second time


def opened_in_jupyterlab(folder):
    """What JupyterLab and Python leave in a release folder a person opened and ran."""
    for assignment in ("01_notation", "05_deep_backprop"):
        (folder / assignment / ".ipynb_checkpoints").mkdir(parents=True, exist_ok=True)
        (folder / assignment / ".ipynb_checkpoints" / f"{assignment}-checkpoint.ipynb").write_text("{}")
        (folder / assignment / "Untitled.ipynb").write_text("{}")
    (folder / "05_deep_backprop" / "__pycache__").mkdir(exist_ok=True)
    (folder / "05_deep_backprop" / "__pycache__" / "course_functions.cpython-311.pyc").write_bytes(b"x")
    (folder / ".ipynb_checkpoints").mkdir(exist_ok=True)


def test_files_a_users_tools_create_are_not_the_release(tmp_path):
    shutil.copytree(NOTEBOOKS, tmp_path / "opened", ignore=shutil.ignore_patterns(*NOT_RELEASE))
    before = release_files(tmp_path / "opened")
    opened_in_jupyterlab(tmp_path / "opened")
    assert release_files(tmp_path / "opened") == before
    (tmp_path / "opened" / "01_notation" / "notes.txt").write_text("mine")
    assert release_files(tmp_path / "opened") != before  # anything else is not the release


@pytest.mark.slow
def test_release_leaves_what_a_users_tools_created(fresh_release, tmp_path):
    shutil.copytree(fresh_release, tmp_path / "opened")
    opened_in_jupyterlab(tmp_path / "opened")
    checkpoint = tmp_path / "opened" / "01_notation" / ".ipynb_checkpoints" / "01_notation-checkpoint.ipynb"
    assert release(["01_notation"], out_dir=tmp_path / "opened") == []
    assert checkpoint.read_text() == "{}"


def test_expected_values_are_current(assignment_id):
    assert expected_values.is_current(assignment_id), \
        f"solutions/{assignment_id}/expected.json is stale: run `python -m autograder expected`"


def test_provided_functions_are_current(assignment_id):
    assert provided.is_current(assignment_id), \
        f"solutions/{assignment_id}/{provided.FILE_NAME} is stale: run `python -m autograder release`"


def test_datasets_are_current(assignment_id):
    """06's datasets.npz is what scikit-learn gives now, and numpy reads it back."""
    assert datasets.is_current(assignment_id), \
        f"solutions/{assignment_id}/{datasets.FILE_NAME} is stale: run `python -m autograder release`"
    if assignment_id in datasets.DATASETS:
        import numpy as np
        from sklearn.datasets import load_digits

        with np.load(NOTEBOOKS / assignment_id / datasets.FILE_NAME) as stored:
            assert np.array_equal(stored["digits_images"], load_digits().images)
            assert stored["moons_X"].shape == (430, 2) and set(stored["moons_y"]) == {0, 1}


def test_notebooks_are_stored_clean():
    for path in list(SOLUTIONS.rglob("*.ipynb")) + list(NOTEBOOKS.rglob("*.ipynb")):
        assert is_clean(path), f"{path} has outputs, execution counts or extra metadata"


def test_release_leaks_no_solution_or_hidden_test(assignment_id):
    folder = NOTEBOOKS / assignment_id
    released = "\n".join(
        "\n".join(c.source for c in nbformat.read(p, as_version=4).cells) if p.suffix == ".ipynb"
        else p.read_text() for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix != ".npz")  # data, not code
    for marker in MARKERS:
        assert marker not in released
    secret_lines = set()
    for cell in source(assignment_id).cells:
        for region in SOLUTION_REGION.findall(cell.source) + [hidden_code(cell)]:
            secret_lines |= {line.strip() for line in region.splitlines()}
    secret_lines = {line for line in secret_lines
                    if len(line) > 12 and not line.startswith("#") and re.search(r"\w", line)}
    public = "\n".join(SOLUTION_REGION.sub("", c.source)
                       for c in source(assignment_id).cells)
    public += "\n".join(content.decode() for content in release_files(UTILS).values())
    leaked = sorted(line for line in secret_lines if line in released and line not in public)
    assert not leaked, f"solution or hidden-test lines in the release: {leaked}"


def test_every_graded_function_has_a_test_cell_with_points(assignment_id):
    nb = source(assignment_id)
    pairs = graded_functions(nb)
    by_id = cells_by_id(nb)
    assert pairs, "no graded functions found"
    headings = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for function, test_id in pairs.items():
        test_cell = by_id[test_id]
        points = test_cell.metadata["nbgrader"]["points"]
        assert points > 0
        unit = "point" if points == 1 else "points"
        assert re.search(rf"### Exercise \d+: `{function}` \({points:g} {unit}\)", headings), \
            f"no exercise heading for {function} stating its {points:g} {unit}"
        assert hidden_code(test_cell).strip(), f"{test_id} has no hidden tests"
        assert f"def {function}(" in by_id[function].source


def test_each_assignment_carries_the_current_utils(assignment_id):
    """A fetched assignment imports the utils/ beside it: it must be today's package, whole."""
    vendored = release_files(NOTEBOOKS / assignment_id / "utils")
    assert vendored == release_files(UTILS), (
        f"notebooks/{assignment_id}/utils/ differs from utils/: run `python -m autograder release`")
    assert "__init__.py" in {p.name for p in vendored}


def _code_lines(text):
    """The non-trivial lines of some code, whitespace removed: no blank lines, comments, docstring
    quotes, and nothing shorter than 12 characters (`return grads`, `else:`, `costs = []`)."""
    lines = []
    for line in text.splitlines():
        line = re.sub(r"\s+", "", line)
        if len(line) >= 12 and not line.startswith(("#", '"""', "'''")):
            lines.append(line)
    return lines


def _lines_in_order(wanted, found):
    """How many lines of `wanted` occur in `found` in the same order: their longest common
    subsequence."""
    previous = [0] * (len(found) + 1)
    for line in wanted:
        current = [0]
        for j, other in enumerate(found):
            current.append(previous[j] + 1 if line == other else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def copied_solutions(releases):
    """[(solution, later cell, lines)]: graded solutions of which 3 or more non-trivial lines
    reappear, in the solution's order, in one later code cell of the release (the same notebook
    after the solution, or any later notebook).

    releases: [(assignment id, source notebook, release notebook)] in course order.
    """
    copies = []
    for position, (assignment_id, nb, _) in enumerate(releases):
        cells = nb.cells
        for function, _test in graded_functions(nb).items():
            index = next(i for i, c in enumerate(cells) if nbgrader_meta(c).get("grade_id") == function)
            solution = _code_lines("\n".join(SOLUTION_REGION.findall(cells[index].source)))
            later = [(assignment_id, i, c) for i, c in enumerate(releases[position][2].cells)
                     if i > index]
            later += [(other_id, i, c) for other_id, _, other in releases[position + 1:]
                      for i, c in enumerate(other.cells)]
            for other_id, i, cell in later:
                if cell.cell_type != "code" or nbgrader_meta(cell).get("solution"):
                    continue
                common = _lines_in_order(solution, _code_lines(cell.source))
                if common >= 3:
                    copies.append((f"{assignment_id}:{function}", f"{other_id} cell {i}", common))
    return copies


def test_no_later_cell_repeats_a_graded_solution():
    """A student must not find an answer in a later cell: no demonstration re-implements a graded
    function with 3 or more of its solution's lines (05's per-group check once copied 4 lines
    of gradient_check)."""
    releases = [(a, source(a), release_notebook(a)) for a in assignment_ids()]
    assert copied_solutions(releases) == []
