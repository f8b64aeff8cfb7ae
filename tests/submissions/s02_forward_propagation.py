"""Fixture submissions for 02_forward_propagation."""

import nbformat

from mistakes.m02_forward_propagation import MISTAKES
from notebook_parts import cells_by_id, filled, graded_functions, release, solution_code, source

from . import Submission

ID = "02_forward_propagation"
POINTS = {"test_sigmoid": 2, "test_relu": 1, "test_linear_forward": 2,
          "test_activation_forward": 3, "test_model_forward": 4, "test_predict": 2}


def mistake(function, name):
    return next(m.code for m in MISTAKES if m.function == function and m.name == name)


def submissions():
    src, rel = source(ID), release(ID)
    reference = {f: solution_code(cells_by_id(src)[f]) for f in graded_functions(src)}
    zero = dict.fromkeys(POINTS, 0)

    # A wrong activation_forward that still computes every value right costs only its own cell;
    # a missing model_forward also costs predict, which calls it.
    partial = dict(reference, activation_forward=mistake("activation_forward",
                                                         "unknown-falls-back-to-relu"))
    del partial["model_forward"]

    # Under stock nbgrader the warning of sigmoid costs every graded cell that calls sigmoid
    # (its own, activation_forward's, model_forward's and predict's), not only its own.
    warns = dict(reference)
    warns["sigmoid"] = "import warnings\n" + reference["sigmoid"].replace(
        "    e = np.exp(", '    warnings.warn("sigmoid: a warning from correct code")\n'
                           "    e = np.exp(")
    warns["predict"] = reference["predict"].replace(
        "    AL, _ =", "    np.log(np.zeros(1))  # a RuntimeWarning, harmless here\n    AL, _ =")
    assert warns["sigmoid"] != reference["sigmoid"]
    assert warns["predict"] != reference["predict"]

    # Both wrong functions fail only their own cell: their values are right except the cache
    # copies (linear_forward) and the tie at AL = 0.5 (predict).
    tampered = filled(rel, dict(reference,
                                linear_forward=mistake("linear_forward", "cache-copies"),
                                predict=mistake("predict", "tie-goes-to-one")))
    by_id = cells_by_id(tampered)
    by_id["test_predict"].source = 'print("predict: all visible checks passed.")'
    tampered.cells.remove(by_id["test_linear_forward"])

    return [
        Submission("complete", filled(rel, reference), dict(POINTS), stock_scores=dict(POINTS)),
        Submission("empty", nbformat.from_dict(rel), zero),
        Submission("partial", filled(rel, partial),
                   dict(zero, test_sigmoid=2, test_relu=1, test_linear_forward=2)),
        Submission("warns", filled(rel, warns), dict(POINTS),
                   stock_scores=dict(POINTS, test_sigmoid=0, test_activation_forward=0,
                                     test_model_forward=0, test_predict=0)),
        Submission("tampered", tampered,
                   dict(POINTS, test_linear_forward=0, test_predict=0)),
    ]
