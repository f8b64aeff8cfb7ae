"""Hidden checks and the values that cross the kernel boundary (no kernel started here).

Every graded test cell has its hidden checks, written once (autograder/scoring/hidden_checks/) and nowhere
in a notebook; the reference solutions pass them; inputs reach a kernel unchanged; and a reply
from a kernel is bounded before anything is built from it.
"""

import base64
import json

import numpy as np
import pytest

from autograder.scoring import kernel_values
from autograder.course import source_notebook
from autograder.scoring.judge import Truth, _collect, hidden_checks, plan
from autograder.scoring.judge import test_cells as graded_test_cells
from autograder.scoring.kernel_values import ReplyError
from utils.probe import decode_input, encode_input, encode_value


def test_every_graded_test_cell_has_hidden_checks_and_no_notebook_holds_any(assignment_id):
    assert set(hidden_checks(assignment_id)) == set(graded_test_cells(assignment_id))
    assert all(code.strip() for code in hidden_checks(assignment_id).values())
    assert "HIDDEN TESTS" not in source_notebook(assignment_id).read_text()


def test_the_references_pass_their_own_checks(assignment_id):
    for grade_id in graded_test_cells(assignment_id):
        calls = plan(assignment_id, grade_id)  # CourseError if a reference fails a check
        assert len(calls) >= 5, grade_id
        for truth in calls:
            assert "value" in json.loads(truth.reply) or "raises" in json.loads(truth.reply)


def test_inputs_reach_the_kernel_unchanged():
    rng = np.random.default_rng(7)
    scale = np.array([2.0, -1.0])
    inputs = [np.arange(6, dtype=np.int64).reshape(2, 3), np.array([np.nan, np.inf, -0.5]),
              {"W1": np.eye(2), "b1": (np.zeros((2, 1)), [1, 2.5, None])}, np.float64(3.5),
              rng, np.exp, lambda x, k=3.0: float(np.sum(scale * x) * k)]
    registry = []
    back = decode_input(json.loads(json.dumps(encode_input(inputs))), registry)
    assert back[0].dtype == np.int64 and np.array_equal(back[0], inputs[0])
    assert np.array_equal(back[1], inputs[1], equal_nan=True)
    assert back[2]["b1"][1] == [1, 2.5, None] and isinstance(back[2]["b1"], tuple)
    assert type(back[3]) is np.float64 and back[3] == 3.5
    assert back[4].standard_normal() == np.random.default_rng(7).standard_normal()
    assert back[5] is np.exp
    assert back[6](np.array([1.0, 1.0])) == 3.0 and back[6](np.ones(2), k=1.0) == 1.0
    grader_side = []
    _collect(inputs, grader_side)
    assert [type(o) for o in grader_side] == [type(o) for o in registry]


def test_a_reply_names_the_callers_own_objects():
    A_prev = np.ones((2, 3))
    registry = []
    (kernel_A,) = decode_input(encode_input([A_prev]), registry)
    reply = json.loads(json.dumps(encode_value((kernel_A, kernel_A.copy()), registry)))
    grader_side = []
    _collect([A_prev], grader_side)
    got = kernel_values.value(reply, grader_side, 100)
    assert got[0] is A_prev and got[1] is not A_prev and np.array_equal(got[1], A_prev)


@pytest.mark.parametrize("text, words", [
    ('{"value": ' + "[" * 15000 + "]" * 15000 + "}", "nested too deeply"),
    ('{"value": "' + "x" * 200000 + '"}', "far larger than expected"),
    ('{"value": [1, 2', "could not be read"),
])
def test_an_unreadable_reply_is_an_error_for_that_student(text, words):
    with pytest.raises(ReplyError, match=words):
        kernel_values.parse(text, kernel_values.size_limit('{"value": [1.0]}'))


def b64(*numbers, dtype="<f8"):
    """Entries as utils.probe.encode_array sends them."""
    return base64.b64encode(np.array(numbers, dtype=dtype).tobytes()).decode()


@pytest.mark.parametrize("data", [
    {"array": b64(0.0), "dtype": "<f8", "shape": [40000, 40000]},        # 12.8 GB declared
    {"array": b64(*[0.0] * 5000), "dtype": "<f8", "shape": [5000]},      # more than the bound
    {"array": b64(0.0), "dtype": "|O", "shape": [1]},                    # object dtype
    {"array": b64(0.0), "dtype": "|V16", "shape": [1]},                  # structured / void
    {"array": b64(0.0), "dtype": "<U1000000000", "shape": [1]},          # a string dtype
    {"array": b64(0.0, 1.0), "dtype": "<f8", "shape": [3]},              # shape and data disagree
    {"array": b64(0.0, 1.0, 2.0), "dtype": "<f8", "shape": [2]},         # more data than the shape
    {"array": b64(0.0)[:-1], "dtype": "<f8", "shape": [1]},              # bytes cut short
    {"array": "not base64!", "dtype": "<f8", "shape": [1]},              # not numbers
    {"array": [0.0], "dtype": "<f8", "shape": [1]},                      # a list, not bytes
    {"array": b64(0.0), "dtype": "<f8", "shape": [-1]},
    {"ref": 5},
    {"scalar": 2 ** 70, "dtype": "<i8"},
    {"surprise": 1},
])
def test_a_hostile_value_is_refused_before_it_is_built(data):
    with pytest.raises(ReplyError):
        kernel_values.value(data, [], max_size=4100)


def test_arrays_cross_exactly_to_the_bit():
    """NaN, infinities, -0.0 and the last bit of a float arrive as they were sent, both ways."""
    A = np.array([[np.nan, -np.inf, -0.0], [1 / 3, 5e-324, 2.0 ** 60]])
    (sent,) = decode_input(json.loads(json.dumps(encode_input([A]))))
    assert sent.flags.writeable and sent.tobytes() == A.tobytes()
    got = kernel_values.value(json.loads(json.dumps(encode_value(sent))), [], 100)
    assert got.dtype == A.dtype and got.shape == (2, 3) and got.tobytes() == A.tobytes()
    mask = kernel_values.value({"array": base64.b64encode(bytes([0, 1, 7])).decode(),
                                "dtype": "|b1", "shape": [3]}, [], 100)
    assert mask.tolist() == [False, True, True]


def test_a_plain_reply_is_read_with_its_types():
    reply = encode_value({"W1": np.eye(2, dtype=np.float32), "n": np.int64(3), "c": [1.5, 2],
                          "t": (None, True, float("nan"))})
    got = kernel_values.value(json.loads(json.dumps(reply)), [], 100)
    assert got["W1"].dtype == np.float32 and np.array_equal(got["W1"], np.eye(2))
    assert type(got["n"]) is np.int64 and got["c"] == [1.5, 2]
    assert got["t"][:2] == (None, True) and np.isnan(got["t"][2])


def test_a_planned_truth_is_reused_only_for_the_very_same_call():
    """The checks' second run (against the kernel) takes the plan's truth instead of running the
    reference again only where nothing can differ: same function, callees, inputs (every bit)
    and error state, no random generator, inputs left as they were."""
    def scaled(A, k):
        return A * k

    def doubles_in_place(A):
        A *= 2
        return A

    def draws(rng, n):
        return rng.standard_normal(n)

    A = np.arange(4.0).reshape(2, 2)

    def encoded(*args):
        return [encode_input(list(args)), encode_input({})]

    planned = Truth("scaled", (A, 3.0), {}, scaled)
    assert planned.holds_for("scaled", encoded(A.copy(), 3.0), ())
    assert not planned.holds_for("scaled", encoded(A + 1e-300, 3.0), ())  # not every bit
    assert not planned.holds_for("scaled", encoded(A, 3), ())              # int, not float
    assert not planned.holds_for("other", encoded(A, 3.0), ())
    assert not planned.holds_for("scaled", encoded(A, 3.0), ("sigmoid",))
    with np.errstate(over="raise"):
        assert not planned.holds_for("scaled", encoded(A, 3.0), ())
    B = A.copy()
    changing = Truth("doubles_in_place", (B,), {}, doubles_in_place)
    assert not changing.holds_for("doubles_in_place", encoded(A), ())
    rng = np.random.default_rng(3)
    before = encoded(rng, 2)
    drawing = Truth("draws", (rng, 2), {}, draws)
    assert not drawing.holds_for("draws", before, ())
