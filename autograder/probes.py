"""Verdicts the student's kernel cannot touch: probe calls judged outside it.

Hidden tests run in the student's kernel, where code the student wrote runs too and can replace
anything (numpy, utils, builtins, IPython's error display) or read the tests' own reference code.
So a graded test cell scores only if, besides passing in the kernel, its probe passes: before the
cell runs, `InsertProbes` adds a cell that evaluates the calls listed for it in
`autograder/probe_calls/<assignment>.json` (instructor-side, never released) and prints their
values; after execution, `JudgeProbes` removes that cell and compares the values, in the grader's
own process, with those of the reference solutions. A mismatch adds an error to the test cell, so
nbgrader scores it 0 and the feedback says why.
"""

import functools
import json
import pathlib

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor

from utils.checks import CheckError, check
from utils.expected import decode, encode
from utils.probe import MARK

from . import provided
from .course import source_notebook
from .expected_values import reference_namespace

CALLS = pathlib.Path(__file__).with_name("probe_calls")
PROBE_TAG = "autograder_probe"


def probe_calls(assignment_id):
    """{test cell grade_id: [call text, ...]} for an assignment ({} if it has none)."""
    path = CALLS / f"{assignment_id}.json"
    return json.loads(path.read_text())["calls"] if path.is_file() else {}


@functools.lru_cache(maxsize=None)
def references(assignment_id):
    """{grade_id: [(call, outcome)]}, the outcomes of the reference solutions (see utils.probe)."""
    nb = nbformat.read(source_notebook(assignment_id), as_version=4)
    provided_code = provided.render(assignment_id) if assignment_id in provided.PROVIDED else ""
    namespace = reference_namespace(nb, provided_code)
    result = {}
    for grade_id, calls in probe_calls(assignment_id).items():
        result[grade_id] = []
        for call in calls:
            try:
                outcome = {"value": encode(eval(call, dict(namespace)))}
            except Exception as error:
                outcome = {"raises": type(error).__name__}
            result[grade_id].append((call, outcome))
    return result


def verdict(expected, reported):
    """None if `reported` (the probe's JSON, or None) matches `expected`; else what is wrong."""
    if reported is None:
        return "the checks did not run to the end (no values came back from the notebook)"
    outcomes = reported.get("outcomes")
    if not isinstance(outcomes, list) or len(outcomes) != len(expected):
        return "the checks did not run to the end (the values that came back are incomplete)"
    for (call, want), got in zip(expected, outcomes):
        if not isinstance(got, dict):
            return f"{call}: no value came back"
        if "raises" in want or "raises" in got:
            if want.get("raises") != got.get("raises"):
                what = f"raised {got['raises']}" if "raises" in got else "raised nothing"
                return f"{call} {what}; expected " + (
                    f"{want['raises']}" if "raises" in want else "a value")
            continue
        if "value" not in got:
            return f"{call}: {got.get('unstorable', 'no value came back')}"
        try:
            check(call, decode(got["value"]), decode(want["value"]))
        except CheckError as error:
            return str(error)
        except Exception as error:
            return f"{call}: the value that came back could not be read ({type(error).__name__})"
    return None


def _grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


class InsertProbes(NbGraderPreprocessor):
    """Before execution: a probe cell in front of each test cell that has probe calls."""

    def preprocess(self, nb, resources):
        calls = probe_calls(resources["nbgrader"]["assignment"])
        cells = []
        for cell in nb.cells:
            grade_id = _grade_id(cell)
            if cell.cell_type == "code" and grade_id in calls:
                probe = nbformat.v4.new_code_cell(
                    f"__import__('utils.probe').probe.report({grade_id!r}, "
                    f"{calls[grade_id]!r}, globals())")
                probe.metadata[PROBE_TAG] = grade_id
                cells.append(probe)
            cells.append(cell)
        nb.cells = cells
        return nb, resources


class JudgeProbes(NbGraderPreprocessor):
    """After execution: judge and remove the probe cells; a failed probe fails its test cell."""

    def preprocess(self, nb, resources):
        expected = references(resources["nbgrader"]["assignment"])
        reported, kept = {}, []
        for cell in nb.cells:
            grade_id = cell.metadata.get(PROBE_TAG)
            if grade_id is None:
                kept.append(cell)
                continue
            reported[grade_id] = _report(cell, grade_id)
        nb.cells = kept
        for cell in nb.cells:
            grade_id = _grade_id(cell)
            if grade_id in expected:
                problem = verdict(expected[grade_id], reported.get(grade_id))
                if problem:
                    cell.outputs.append(nbformat.v4.new_output(
                        "error", ename="CheckError",
                        evalue=f"checks run outside the notebook failed: {problem}",
                        traceback=[f"CheckError: checks run outside the notebook failed: "
                                   f"{problem}"]))
        return nb, resources


def _report(cell, grade_id):
    """The probe's JSON for `grade_id` from the cell's printed output, or None."""
    text = "".join(o.get("text", "") for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream")
    for line in text.splitlines():
        if line.startswith(MARK + " "):
            try:
                data = json.loads(line[len(MARK) + 1:])
            except ValueError:
                continue
            if isinstance(data, dict) and data.get("grade_id") == grade_id:
                return data
    return None
