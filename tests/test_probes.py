"""Probe calls: every graded test cell has some, they are private, and the references answer them."""

import json

import nbformat

from autograder.course import SOLUTIONS, source_notebook
from autograder.probes import probe_calls, references, verdict


def graded_test_cells(assignment_id):
    nb = nbformat.read(source_notebook(assignment_id), as_version=4)
    return [c.metadata["nbgrader"]["grade_id"] for c in nb.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")
            and not c.metadata["nbgrader"].get("solution")]


def test_every_graded_test_cell_has_probe_calls(assignment_id):
    calls = probe_calls(assignment_id)
    assert set(calls) == set(graded_test_cells(assignment_id))
    assert all(len(texts) >= 2 for texts in calls.values())


def test_probe_calls_are_not_visible_checks(assignment_id):
    visible = json.loads((SOLUTIONS / assignment_id / "expected.json").read_text())["values"]
    assert not {call for texts in probe_calls(assignment_id).values() for call in texts} & set(visible)


def test_the_references_pass_their_own_probes_and_a_wrong_value_fails(assignment_id):
    for grade_id, expected in references(assignment_id).items():
        outcomes = [outcome for _, outcome in expected]
        assert verdict(expected, {"grade_id": grade_id, "outcomes": outcomes}) is None
        assert verdict(expected, None) is not None
        assert verdict(expected, {"grade_id": grade_id, "outcomes": outcomes[:-1]}) is not None
        wrong = [{"value": 12345.0}] + outcomes[1:]
        assert verdict(expected, {"grade_id": grade_id, "outcomes": wrong}) is not None
