"""utils.expected: stored values round-trip exactly, and lookups fail with clear messages."""

import ast
import json
import os
import re
import subprocess
import sys

import nbformat
import numpy as np
import pytest

from autograder.course import expected_values
from autograder.course import REPO
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
    with pytest.raises(TypeError, match="cannot encode a value of type set"):
        encode({"a": {1, 2}})
    with pytest.raises(TypeError, match="str keys"):
        encode({1: 2.0})


def test_stored_arrays_compare_as_numbers_not_as_bytes():
    """expected.json stores an array's bytes; whether it is current is decided on the numbers
    (another CPU may round the last bit differently), never on the bytes."""
    from autograder.course.expected_values import STORED_RTOL, same_values

    def text(array):
        return json.dumps({"about": "", "values": {"f()": encode(array)}})

    a = np.array([[0.1, 1 / 3], [np.nan, -2.0]])
    nudged = a * (1 + STORED_RTOL / 10)
    assert nudged.tobytes() != a.tobytes() and same_values(text(a), text(nudged))
    assert not same_values(text(a), text(a * (1 + STORED_RTOL * 10)))
    assert not same_values(text(a), text(a.astype(np.float32)))
    assert not same_values(text(a), text(a.T))
    assert not same_values(text(a), "{not json")


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


# a lookup's first argument: one string literal, or several side by side (implicitly joined)
LOOKUP = re.compile(r"""\b(?:check_expected|expected)\(((?:\s*"[^"\n]*"|\s*'[^'\n]*')+)""")


def test_the_release_stores_exactly_the_calls_its_test_cells_look_up(assignment_id):
    """Read independently of expected_values: the call texts that the released notebook's code
    cells pass to check_expected/expected (a plain text search) are the keys of the expected.json
    released beside it, no more and no fewer."""
    folder = REPO / "notebooks" / assignment_id
    released = nbformat.read(folder / f"{assignment_id}.ipynb", as_version=4)
    looked_up = {ast.literal_eval(f"({m.group(1)})") for cell in released.cells
                 if cell.cell_type == "code" for m in LOOKUP.finditer(cell.source)}
    stored = json.loads((folder / "expected.json").read_text())["values"]
    assert looked_up, assignment_id
    assert set(stored) == looked_up


def stored_text(assignment_id):
    return expected_values.path_of(assignment_id).read_text()


def nudged(text, factor):
    """`text` with every stored float, in arrays too, multiplied by `factor`."""
    def walk(value):
        if isinstance(value, np.ndarray):
            return value * factor if value.dtype.kind == "f" else value
        if isinstance(value, float):
            return value * factor
        if isinstance(value, (list, tuple)):
            return type(value)(walk(v) for v in value)
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value
    data = json.loads(text)
    data["values"] = {call: encode(walk(decode(stored))) for call, stored in data["values"].items()}
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


def test_a_float_from_another_cpu_is_current_a_wrong_one_is_not():
    text = stored_text("02_forward_propagation")
    assert expected_values.same_values(text, text)
    one_ulp = 1 + np.finfo(float).eps
    assert nudged(text, one_ulp) != text  # different bytes ...
    assert expected_values.same_values(nudged(text, one_ulp), text)  # ... the same values
    assert not expected_values.same_values(nudged(text, 1 + 1e-9), text)


def test_shapes_types_and_calls_must_match_exactly():
    text = stored_text("01_notation")
    data = json.loads(text)
    call = next(iter(data["values"]))
    for change in ({"values": dict(data["values"], **{call + " ": data["values"][call]})},
                   {"values": {k: v for k, v in data["values"].items() if k != call}}):
        assert not expected_values.same_values(json.dumps(dict(data, **change)), text)
    ints = json.dumps({"values": {"n": 3}})
    assert not expected_values.same_values(ints, json.dumps({"values": {"n": 3.0}}))
    assert not expected_values.same_values('{"values": {', text)


def dispatched_cpu_features():
    """numpy's optional SIMD kernels this CPU has (AVX2, AVX512_SKX, NEON extensions, ...)."""
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__
    return [f for f in __cpu_dispatch__ if __cpu_features__.get(f)]


@pytest.mark.slow
@pytest.mark.parametrize("which", ["all", "newest"])
def test_expected_values_are_current_with_fewer_cpu_features(which):
    """What `expected --check` says on this CPU it says with numpy's SIMD kernels switched off."""
    features = dispatched_cpu_features()
    if not features:
        pytest.skip("numpy has no optional SIMD kernels on this CPU: nothing to switch off")
    disabled = " ".join(features if which == "all" else features[-1:])
    result = subprocess.run([sys.executable, "-m", "autograder", "expected", "--check"],
                            cwd=REPO, capture_output=True, text=True,
                            env={**os.environ, "NPY_DISABLE_CPU_FEATURES": disabled})
    assert result.returncode == 0, f"with {disabled} disabled: {result.stdout}{result.stderr}"
