"""utils.expected: stored values round-trip exactly, and lookups fail with clear messages."""

import json

import numpy as np
import pytest

from autograder import expected_values
from notebook_parts import source
from utils import CheckError
from utils.expected import check_expected, decode, encode, expected


def test_round_trip_is_exact():
    value = {"W1": np.random.default_rng(0).standard_normal((3, 2)), "b1": np.zeros((3, 1)),
             "shape": (3, 2), "costs": [0.1, float("nan"), float("inf")], "n": 7,
             "labels": np.array([[1, 0, 1]]), "empty": np.zeros((0, 4)), "name": "relu"}
    text = json.dumps(encode(value))
    back = decode(json.loads(text))
    assert back.keys() == value.keys()
    assert np.array_equal(back["W1"], value["W1"]) and back["W1"].dtype == np.float64
    assert back["labels"].dtype == np.int64 and back["empty"].shape == (0, 4)
    assert back["shape"] == (3, 2) and type(back["n"]) is int and back["name"] == "relu"
    assert back["costs"][0] == 0.1 and np.isnan(back["costs"][1]) and back["costs"][2] == np.inf


def test_encode_refuses_what_it_cannot_store():
    with pytest.raises(TypeError, match="cannot store"):
        encode(np.float64(1.0))


@pytest.fixture
def store(tmp_path, monkeypatch):
    values = {"double(2.0)": encode(4.0), "ident()": encode(np.ones((2, 1)))}
    (tmp_path / "expected.json").write_text(json.dumps({"values": values}))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def double(x):
    return 2 * x


def ident():
    return np.ones((1, 2))


def test_check_expected_evaluates_the_call_in_the_caller(store):
    check_expected("double(2.0)")
    with pytest.raises(CheckError, match=r"X = ident\(\) has shape \(1, 2\), expected \(2, 1\)"):
        check_expected("ident()", name="X")


def unfilled(examples):
    raise NotImplementedError()


def test_a_traceback_through_a_check_shows_the_call_as_written(store):
    """IPython's traceback of an unfilled function shows the check's call and the student's line
    (the kernel formats tracebacks with this class), not a note that the source is missing."""
    from IPython.core.ultratb import AutoFormattedTB

    with pytest.raises(NotImplementedError) as raised:
        check_expected("unfilled([1, 2])")
    text = AutoFormattedTB(mode="Context", theme_name="nocolor").text(
        raised.type, raised.value, raised.tb)
    missing = " ".join(["Could", "not", "get", "source"])  # not in this file's own lines
    assert missing not in text
    assert "----> 1 unfilled([1, 2])" in text
    assert "raise NotImplementedError()" in text


def test_unknown_call_says_how_to_fix_it(store):
    with pytest.raises(KeyError, match="restore it"):
        expected("double(3.0)")


def test_missing_file_says_how_to_fix_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match="ships with the assignment"):
        expected("double(2.0)")


def test_corrupt_file_says_how_to_fix_it(tmp_path, monkeypatch):
    (tmp_path / "expected.json").write_text('{"values": {')
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match="not valid JSON"):
        expected("double(2.0)")


def test_visible_calls_are_found_outside_hidden_tests(assignment_id):
    calls = expected_values.visible_calls(source(assignment_id))
    assert calls
    stored = json.loads(expected_values.path_of(assignment_id).read_text())["values"]
    assert sorted(stored) == sorted(calls)
