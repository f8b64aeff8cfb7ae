"""Fixture submissions for 02_forward_propagation."""

import nbformat

from mistakes.m02_forward_propagation import MISTAKES
from notebook_parts import filled, release

from . import Submission, mistake, reference_answers, tampered, warns_by_itself, warns_from_numpy

ID = "02_forward_propagation"
POINTS = {"test_sigmoid": 2, "test_relu": 1, "test_linear_forward": 2,
          "test_activation_forward": 3, "test_model_forward": 4, "test_predict": 2}


def submissions():
    rel, reference = release(ID), reference_answers(ID)
    zero = dict.fromkeys(POINTS, 0)

    # A wrong activation_forward that still computes every value right costs only its own cell;
    # a missing model_forward costs its own cell only: predict, which calls it, is judged with the
    # reference model_forward in its place.
    partial = dict(reference, activation_forward=mistake(MISTAKES, "activation_forward",
                                                         "unknown-falls-back-to-relu"))
    del partial["model_forward"]

    # Under stock nbgrader the warning of sigmoid costs every graded cell that calls sigmoid
    # (its own, activation_forward's, model_forward's and predict's), not only its own.
    warns = dict(reference,
                 sigmoid=warns_by_itself(reference["sigmoid"], "    return 1.0 / (1.0 +", "sigmoid"),
                 predict=warns_from_numpy(reference["predict"], "    AL, _ ="))

    # Both wrong functions fail only their own cell: their values are right except the cache
    # copies (linear_forward) and the tie at AL = 0.5 (predict).
    cheat = tampered(rel, dict(reference,
                               linear_forward=mistake(MISTAKES, "linear_forward", "cache-copies"),
                               predict=mistake(MISTAKES, "predict", "tie-goes-to-one")),
                     edited="test_predict", deleted="test_linear_forward")

    # The optional stable_sigmoid carries no points: written wrong (here the textbook formula, which
    # overflows at the optional check's extreme inputs), it costs nothing. "complete" leaves it
    # unwritten, as a student who skips the optional section does, and also gets full marks.
    optional = dict(reference, stable_sigmoid=mistake(MISTAKES, "stable_sigmoid",
                                                      "textbook-formula-overflows"))

    return [
        Submission("complete", filled(rel, reference), dict(POINTS), stock_scores=dict(POINTS)),
        Submission("optional-wrong", filled(rel, optional), dict(POINTS)),
        Submission("empty", nbformat.from_dict(rel), zero),
        Submission("partial", filled(rel, partial),
                   dict(POINTS, test_activation_forward=0, test_model_forward=0)),
        Submission("warns", filled(rel, warns), dict(POINTS),
                   stock_scores=dict(POINTS, test_sigmoid=0, test_activation_forward=0,
                                     test_model_forward=0, test_predict=0)),
        Submission("tampered", cheat, dict(POINTS, test_linear_forward=0, test_predict=0)),
    ]
