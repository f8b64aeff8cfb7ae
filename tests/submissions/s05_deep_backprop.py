"""Fixture submissions for 05_deep_backprop."""

import nbformat

from mistakes.m05_deep_backprop import MISTAKES
from notebook_parts import cells_by_id, filled, graded_functions, release, solution_code, source

from . import Submission

ID = "05_deep_backprop"
POINTS = {"test_sigmoid_backward": 1, "test_relu_backward": 1, "test_linear_backward": 3,
          "test_activation_backward": 2, "test_model_backward": 4, "test_gradient_check": 3,
          "test_update_parameters": 2, "test_train_model": 4}


def mistake(function, name):
    return next(m.code for m in MISTAKES if m.function == function and m.name == name)


def submissions():
    src, rel = source(ID), release(ID)
    reference = {f: solution_code(cells_by_id(src)[f]) for f in graded_functions(src)}
    zero = dict.fromkeys(POINTS, 0)

    # relu'(0) = 1 costs only relu_backward's cell: the later functions call it, but their checks
    # never meet a Z that is exactly 0. An update_parameters that writes into the caller's arrays
    # costs its own cell, and a missing train_model its own.
    partial = dict(reference,
                   relu_backward=mistake("relu_backward", "relu-prime-of-zero-is-one"),
                   update_parameters=mistake("update_parameters", "in-place-in-a-copied-dict"))
    del partial["train_model"]

    # gradient_check and train_model are the only graded functions no later graded cell calls, so
    # under stock nbgrader their warnings cost exactly their own cells.
    warns = dict(reference)
    warns["train_model"] = "import warnings\n" + reference["train_model"].replace(
        "    costs = []", '    warnings.warn("train_model: a warning from correct code")\n'
                         "    costs = []")
    warns["gradient_check"] = reference["gradient_check"].replace(
        "    g, g_num = [], []",
        "    g, g_num = [], []\n    np.log(np.zeros(1))  # a RuntimeWarning, harmless here")
    assert warns["train_model"] != reference["train_model"]
    assert warns["gradient_check"] != reference["gradient_check"]

    # Both wrong functions fail only their own cell; one test cell is edited to pass and one is
    # deleted, and grading restores both.
    tampered = filled(rel, dict(reference,
                                relu_backward=mistake("relu_backward", "relu-prime-of-zero-is-one"),
                                train_model=mistake("train_model", "cost-after-update")))
    by_id = cells_by_id(tampered)
    by_id["test_train_model"].source = 'print("train_model: all visible checks passed.")'
    tampered.cells.remove(by_id["test_relu_backward"])

    return [
        Submission("complete", filled(rel, reference), dict(POINTS), stock_scores=dict(POINTS)),
        Submission("empty", nbformat.from_dict(rel), zero),
        Submission("partial", filled(rel, partial),
                   dict(POINTS, test_relu_backward=0, test_update_parameters=0, test_train_model=0)),
        Submission("warns", filled(rel, warns), dict(POINTS),
                   stock_scores=dict(POINTS, test_gradient_check=0, test_train_model=0)),
        Submission("tampered", tampered,
                   dict(POINTS, test_relu_backward=0, test_train_model=0)),
    ]
