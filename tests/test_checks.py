"""utils.checks: every message is triggered by the mistake it names, and correct values pass."""

import numpy as np
import pytest

from utils import CheckError, check, check_raises


def message(got, want, name="value", **options):
    with pytest.raises(CheckError) as failure:
        check(name, got, want, **options)
    return str(failure.value)


A = np.arange(6, dtype=np.float64).reshape(2, 3) + 1.0


@pytest.mark.parametrize("got, want", [
    (A.copy(), A),
    (A + 1e-12, A),
    (np.array([np.nan, 1.0]), np.array([np.nan, 1.0])),
    (2.5, 2.5),
    (float("inf"), float("inf")),
    (2.5 + 1e-12, 2.5),
    (3, 3),
    ((2, 3), (2, 3)),
    ([1.0, 2.0], [1.0, 2.0]),
    ({"W1": A.copy(), "b1": np.zeros((2, 1))}, {"W1": A, "b1": np.zeros((2, 1))}),
    ((A.copy(), (A.copy(), 1.0)), (A, (A, 1.0))),
    ("relu", "relu"),
    (None, None),
])
def test_correct_values_pass(got, want):
    check("value", got, want)


def test_tolerances_are_respected():
    check("x", 1.001, 1.0, rtol=1e-2)
    assert "differ" in message(A * 1.001, A, rtol=1e-6)
    check("A", A * 1.001, A, rtol=1e-2)


def test_list_instead_of_array():
    assert "is a Python list; expected a numpy array of shape (2, 3)" in message(A.tolist(), A)


def test_matrix_instead_of_array():
    assert "numpy.matrix" in message(np.asmatrix(A), A)


def test_transposed_weights_explain_rows_and_columns():
    text = message(A.T, A, name="W1")
    assert "W1 has shape (3, 2), expected (2, 3)" in text
    assert "The shape is transposed" in text
    assert "rows are the units of layer 1, columns the units of layer 0" in text


def test_dict_value_names_its_key():
    text = message({"W2": np.zeros((3, 4))}, {"W2": np.zeros((4, 3))}, name="params")
    assert "params['W2'] has shape (3, 4)" in text
    assert "rows are the units of layer 2, columns the units of layer 1" in text


def test_examples_as_rows_explain_columns():
    text = message(A.T, A, name="X = stack_examples(...)")
    assert "examples are columns" in text


def test_flat_bias_is_explained():
    assert "It is 1-D; expected a column of shape (3, 1)" in message(np.zeros(3), np.zeros((3, 1)),
                                                                      name="b1")


def test_broadcast_table_is_explained():
    text = message(np.zeros((3, 3)), np.zeros((3, 1)), name="Z")
    assert "It is square where a column was expected" in text


def test_extra_axis_is_explained():
    assert "It has an extra axis" in message(np.zeros((1, 2, 3)), np.zeros((2, 3)))


def test_integer_dtype_is_explained():
    assert "dtype int64, expected float64" in message(A.astype(np.int64), A)
    assert "All arrays in this course are float64" in message(A.astype(np.int64), A)


def test_boolean_for_integer_labels():
    text = message(np.array([[True, False]]), np.array([[1, 0]]))
    assert "Expected integers 0/1, not True/False" in text


def test_float_for_integer_labels():
    assert "Expected integers" in message(np.array([[1.0, 0.0]]), np.array([[1, 0]]))


def test_differing_entries_are_listed_with_a_limit():
    want = np.zeros((3, 4))
    got = want.copy()
    got[0, 1], got[2, 3] = 5.0, 7.0
    text = message(got, want)
    assert "2 of 12 entries differ" in text
    assert "at [0, 1]: got 5.0, expected 0.0" in text
    many = message(np.arange(12.0).reshape(3, 4) + 1, want)
    assert "... and 7 more" in many


def test_opposite_sign_is_named():
    assert "opposite sign" in message(-A, A)
    assert "opposite sign" in message(-2.0, 2.0)


def test_constant_factor_is_named():
    assert "Every entry is 1/4 times the expected one" in message(A / 4, A)
    assert "Every entry is 100 times the expected one" in message(100 * A, A)
    assert "It is 2 times the expected value" in message(3.0, 1.5)


def test_no_factor_is_named_for_single_numbers():
    assert "times the expected" not in message(np.array([[0.3]]), np.array([[0.7]]))
    assert "Every entry is 2 times" in message(np.array([[1.4]]), np.array([[0.7]]))


def test_square_transpose_is_named():
    square = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert "transpose of the expected matrix" in message(square.T, square)


def test_same_numbers_in_another_order_are_named():
    got = A.reshape(3, 2).T.copy()
    assert got.shape == A.shape and not np.allclose(got, A)
    assert "expected numbers in a different order" in message(got, A)


def test_all_zero_is_named():
    assert "Every entry is zero" in message(np.zeros_like(A), A)


def test_nan_and_inf_are_located():
    got = A.copy()
    got[1, 2] = np.nan
    text = message(got, A)
    assert "contains NaN in 1 of 6 entries (first at index [1, 2])" in text
    got[1, 2] = np.inf
    assert "contains inf" in message(got, A)
    assert "log(0)" in message(float("inf"), 1.0)


def test_scalar_types():
    assert "numpy.float64" in message(np.float64(1.0), 1.0)
    assert "0-d numpy array" in message(np.array(1.0), 1.0)
    assert "expected a single Python float" in message(np.array([1.0]), 1.0)
    assert "expected a Python int" in message(np.int64(3), 3)
    assert "expected the Python int 3" in message(True, 3)
    assert "off by +2" in message(5, 3)


def test_missing_return_is_named():
    assert "forget to `return`" in message(None, A)


def test_sequences():
    assert "is a list; expected a tuple" in message([1, 2], (1, 2))
    assert "has length 1, expected 2" in message((A,), (A, A))
    assert "value[1] has shape" in message((A, A.T), (A, A))


def test_shape_tuples():
    assert "tuple holding numpy integers" in message((np.int64(2), 3), (2, 3))
    assert "The shape is transposed" in message((3, 2), (2, 3), name="shapes['W1']")


def test_dict_keys():
    text = message({"W1": 1, "W3": 2}, {"W1": 1, "W2": 2}, name="p")
    assert "missing: ['W2']; unexpected: ['W3']" in text
    shifted = message({"W0": 1, "b0": 1, "W1": 1, "b1": 1}, {"W1": 1, "b1": 1, "W2": 1, "b2": 1})
    assert "shifted by one layer" in shifted
    assert "expected a dict" in message([1], {"W1": 1})


def test_hint_is_appended():
    assert message(A * 2, A, hint="Check the 1/m.").endswith("Hint: Check the 1/m.")


def test_check_raises():
    def bad():
        raise ValueError("no")

    check_raises("bad()", bad, ValueError)
    with pytest.raises(CheckError, match="returned normally; expected it to raise ValueError"):
        check_raises("f()", lambda: None, ValueError)
    with pytest.raises(CheckError, match=r"raised KeyError \('x'\); expected ValueError"):
        check_raises("g()", lambda: {}["x"], ValueError)


def test_unknown_expected_type_is_a_programming_error():
    with pytest.raises(TypeError):
        check("x", 1, object())


def test_tuple_entries_are_named_and_their_axes_explained():
    """A label "(dA_prev, dW, db) = call" names each entry, and a gradient's shape is explained
    by what its rows and columns are."""
    call = "linear_backward(dZ, cache)"
    want = (np.zeros((2, 4)), np.zeros((3, 2)), np.zeros((3, 1)))
    got = (np.zeros((2, 4)), np.zeros((2, 3)), np.zeros((3, 1)))
    assert message(got, want, name=f"(dA_prev, dW, db) = {call}") == (
        "dW = linear_backward(dZ, cache)[1] has shape (2, 3), expected (3, 2).\n"
        "  The shape is transposed. dW has shape (n[l], n[l-1]) = (3, 2) (the shape of W): rows are "
        "the units of layer l, columns the units of layer l-1.")
    flat = (np.zeros((2, 4)), np.zeros((3, 2)), np.zeros(3))
    assert message(flat, want, name=f"(dA_prev, dW, db) = {call}").startswith(
        "db = linear_backward(dZ, cache)[2] has shape (3,), expected (3, 1).")
    rows = (np.zeros((4, 2)), np.zeros((3, 2)), np.zeros((3, 1)))
    assert message(rows, want, name=f"(dA_prev, dW, db) = {call}") == (
        "dA_prev = linear_backward(dZ, cache)[0] has shape (4, 2), expected (2, 4).\n"
        "  The shape is transposed. dA_prev has shape (n[l-1], m) = (2, 4) (the shape of A_prev): "
        "one row per unit of the previous layer, one column per example.")


def test_unnamed_tuple_entries_keep_their_position():
    assert "value[1] has shape (2, 3), expected (3, 2)" in message((1.0, np.zeros((2, 3))),
                                                                    (1.0, np.zeros((3, 2))))
    # a list of names of another length than the tuple is not used
    assert message((1, 2, [1]), (1, 2, [1, 2]), name="(a, b) = f()") == (
        "(a, b) = f()[2] has length 1, expected 2.")


def test_entries_are_subscripted_before_the_words_that_say_which_inputs():
    """A hidden check's label ends with its inputs ("... for n_x = 3, m = 19"); an entry's
    subscript belongs to the value, so it never reads "m = 19[0]"."""
    want = ({"dW": np.zeros((1, 3)), "db": np.zeros((1, 1))}, 0.5)
    got = ({"dW": np.zeros((1, 3)), "db": np.zeros((1, 1))}, 0.25)
    assert message(got, want, name="logistic_propagate(W, b, X, Y) for n_x = 3, m = 19 (trial 4)") \
        .startswith("logistic_propagate(W, b, X, Y)[1] for n_x = 3, m = 19 (trial 4) is 0.25")
    bad_dW = ({"dW": np.zeros((3, 1)), "db": np.zeros((1, 1))}, 0.5)
    assert message(bad_dW, want, name="logistic_propagate(W, b, X, Y) for m = 19").startswith(
        "logistic_propagate(W, b, X, Y)[0]['dW'] for m = 19 has shape (3, 1), expected (1, 3).")
    named = message((np.zeros((2, 4)), np.zeros((2, 3)), np.zeros((3, 1))),
                    (np.zeros((2, 4)), np.zeros((3, 2)), np.zeros((3, 1))),
                    name="(dA_prev, dW, db) = linear_backward(dZ, cache) with n = 3, m = 4")
    assert named.startswith("dW = linear_backward(dZ, cache)[1] with n = 3, m = 4 has shape (2, 3)")
    assert "dW has shape (n[l], n[l-1]) = (3, 2)" in named
    grads = message({"dW1": np.zeros((2, 3))}, {"dW1": np.zeros((3, 2))},
                    name="grads = model_backward(AL, Y, caches) for layer sizes [2, 3], m = 19")
    assert grads.startswith("grads = model_backward(AL, Y, caches)['dW1'] for layer sizes [2, 3], "
                            "m = 19 has shape (2, 3)")
    assert "dW1 has shape (n[1], n[0]) = (3, 2)" in grads
    # no context, or words inside a call's brackets or quotes: the subscript goes at the end
    assert message([1, 2], [1, 3], name='f(X, "for m")').startswith('f(X, "for m")[1] is 2, expected 3')


def test_check_error_keeps_problem_and_hint_apart():
    with pytest.raises(CheckError) as failure:
        check("x", 2.0, 1.0, hint="Look at the factor.")
    assert failure.value.problem.startswith("x is 2.0, expected 1.0")
    assert failure.value.hint == "Look at the factor."
    assert str(failure.value).endswith("\n  Hint: Look at the factor.")


def test_an_int_where_a_float_belongs_is_a_type_mistake():
    assert message(1, 1.0).startswith("value is the int 1; expected a Python float.")
    assert "too large to show" in message(2 ** 4000, 1.0)  # no OverflowError converting it
    check("value", 1.0, 1.0)


# ---- Exceptions raised inside a student's function (utils.raised) --------------------------------

def _notebook_function(code, name):
    """A function defined as a notebook cell defines it: its globals are the notebook's, and its
    source lines are in linecache under the cell's name."""
    import linecache

    filename = f"<cell of {name}>"
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    namespace = {"np": np}
    exec(compile(code, filename, "exec"), namespace)
    return namespace[name], namespace


def test_an_error_raised_in_a_students_function_is_a_teaching_message():
    from utils.raised import converting

    function, namespace = _notebook_function(
        "def forward(X, parameters):\n"
        "    A = X\n"
        "    for l in range(1, 5):\n"
        "        A = parameters[f'W{l}'] @ A\n"
        "    return A\n", "forward")
    parameters = {"W1": np.eye(2), "b1": np.zeros((2, 1)), "W2": np.eye(2), "b2": np.zeros((2, 1))}
    with pytest.raises(CheckError) as failure:
        converting("forward", function, namespace)(np.ones((2, 3)), parameters)
    assert str(failure.value) == (
        "forward(X, parameters) raised KeyError: 'W3'\n"
        "  In your code (line numbers count from the top of the function's cell):\n"
        "    forward, line 4: A = parameters[f'W{l}'] @ A\n"
        "  The arguments: X is a numpy array of shape (2, 3) and dtype float64; parameters is a "
        "dict with keys ['W1', 'b1', 'W2', 'b2'].\n"
        "  Hint: A dict was asked for the key 'W3', which it does not hold. parameters holds "
        "['W1', 'b1', 'W2', 'b2']. There is no layer 3: the layers run from 1 to 2, so the loop, "
        "or the number of layers L it counts to, goes past the last one. L is the number of "
        "layers, and each layer has one W and one b.")
    # Still a KeyError for a check that expects one, and shown as a CheckError.
    assert isinstance(failure.value, KeyError) and type(failure.value).__name__ == "CheckError"
    assert (failure.value.kind, failure.value.text) == ("KeyError", "'W3'")


def test_a_key_is_quoted_once_when_the_grader_words_it():
    from utils.raised import raised_in

    error = raised_in("model_forward", ["X", "parameters"], (np.ones((2, 1)), {"W1": 1}), {},
                      "KeyError", "'W4'", [("model_forward", 6, "W = parameters[f'W{l}']")])
    assert str(error).startswith("model_forward(X, parameters) raised KeyError: 'W4'\n")
    assert "\"'W4'\"" not in str(error)


def test_not_implemented_passes_unchanged():
    from utils.raised import converting

    function, namespace = _notebook_function("def todo(x):\n    raise NotImplementedError()\n",
                                             "todo")
    with pytest.raises(NotImplementedError):
        converting("todo", function, namespace)(1)


def test_check_raises_names_the_kind_a_student_raised():
    from utils.raised import converting

    function, namespace = _notebook_function("def pick(name):\n    return {'relu': 1}[name]\n",
                                             "pick")
    with pytest.raises(CheckError, match=r"raised KeyError \('softmax'\); expected ValueError"):
        check_raises("pick('softmax')", lambda: converting("pick", function, namespace)("softmax"),
                     ValueError)


def test_importing_utils_loads_no_plotting_library():
    """Every process that loads the checks (a grading worker, an nbgrader command under the course
    configuration) imports utils; matplotlib comes only when a figure is drawn."""
    import subprocess
    import sys

    from autograder.course import REPO
    code = ("import sys, utils; from autograder.scoring import judge; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))")
    run = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
