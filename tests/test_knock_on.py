"""utils.uses: a caller's failure caused by a wrong callee names the callee; a caller that is
right on its own, or wrong on its own, is judged as it is."""

import json

import numpy as np
import pytest

from utils import CheckError, check, uses
from utils.codec import encode


@pytest.fixture
def folder(tmp_path):
    values = {"double(np.array([1.0, 2.0]))": encode(np.array([2.0, 4.0]))}
    (tmp_path / "expected.json").write_text(json.dumps({"values": values}))
    return tmp_path


def run(folder, double, quadruple, want=np.array([4.0, 8.0])):
    namespace = {"np": np, "double": double}
    with uses("double", namespace=namespace, folder=folder):
        check("quadruple(x)", quadruple(np.array([1.0, 2.0])), want, hint="Multiply by 4.")


def test_a_wrong_callee_is_named_before_the_caller(folder):
    def double(x):
        return 3 * x

    with pytest.raises(CheckError) as failure:
        run(folder, double, lambda x: double(double(x)))
    assert str(failure.value) == (
        "double is wrong, and the function checked here uses it: fix double first (its own test "
        "cell says how), then run this cell again.\n"
        "  double(np.array([1.0, 2.0])) has the right shape (2,) and dtype float64, but 2 of 2 "
        "entries differ (rtol=1e-07, atol=1e-10).\n"
        "    at [0]: got 3.0, expected 2.0\n"
        "    at [1]: got 6.0, expected 4.0\n"
        "  Every entry is 1.5 times the expected one: look for a missing or extra factor.\n"
        "  With double as it is, this cell found: quadruple(x) has the right shape (2,) and dtype "
        "float64, but 2 of 2 entries differ (rtol=1e-07, atol=1e-10).\n"
        "    at [0]: got 9.0, expected 4.0\n"
        "    at [1]: got 18.0, expected 8.0\n"
        "  Every entry is 2.25 times the expected one: look for a missing or extra factor.")
    assert failure.value.hint is None


def test_an_unwritten_callee_is_named(folder):
    def double(x):
        raise NotImplementedError()

    with pytest.raises(CheckError, match="double is not written yet"):
        run(folder, double, lambda x: 5 * x)
    with pytest.raises(NotImplementedError):  # the traceback names the function not written
        run(folder, double, lambda x: double(double(x)))


def test_a_caller_that_does_not_use_the_wrong_callee_passes(folder):
    run(folder, lambda x: 3 * x, lambda x: 4 * x)


def test_a_wrong_caller_of_right_callees_gets_its_own_hint(folder):
    with pytest.raises(CheckError) as failure:
        run(folder, lambda x: 2 * x, lambda x: 5 * x)
    assert failure.value.hint == "Multiply by 4."
    assert "is wrong, and the function checked here uses it" not in str(failure.value)


def test_other_errors_pass_through(folder):
    with pytest.raises(RuntimeError):
        with uses("double", namespace={"double": lambda x: 3 * x}, folder=folder):
            raise RuntimeError("the kernel died")
