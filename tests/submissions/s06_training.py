"""Fixture submissions for 06_training."""

import nbformat

from mistakes.m06_training import MISTAKES
from notebook_parts import filled, release

from . import Submission, mistake, reference_answers, tampered, warns_by_itself

ID = "06_training"
POINTS = {"test_update_parameters": 2, "test_train_model": 4}


def submissions():
    rel, reference = release(ID), reference_answers(ID)
    zero = dict.fromkeys(POINTS, 0)

    # An update_parameters that writes into the caller's arrays costs its own cell only: the
    # grader judges train_model with the reference's values in update_parameters' place.
    partial = dict(reference, update_parameters=mistake(MISTAKES, "update_parameters",
                                                        "in-place-in-a-copied-dict"))

    # train_model is the only graded function no later graded cell calls, so under stock nbgrader
    # its warning costs exactly its own cell.
    warns = dict(reference, train_model=warns_by_itself(reference["train_model"], "    costs = []",
                                                        "train_model"))

    # The wrong train_model fails its own cell; grading restores the edited and the deleted test
    # cell (the deleted one checks a correct update_parameters, which passes).
    cheat = tampered(rel, dict(reference,
                               train_model=mistake(MISTAKES, "train_model", "cost-after-update")),
                     edited="test_train_model", deleted="test_update_parameters")

    # A missing train_model costs its own cell.
    missing = dict(reference)
    del missing["train_model"]

    return [
        Submission("complete", filled(rel, reference), dict(POINTS), stock_scores=dict(POINTS)),
        Submission("empty", nbformat.from_dict(rel), zero),
        Submission("partial", filled(rel, partial), dict(POINTS, test_update_parameters=0)),
        Submission("missing", filled(rel, missing), dict(POINTS, test_train_model=0)),
        Submission("warns", filled(rel, warns), dict(POINTS),
                   stock_scores=dict(POINTS, test_train_model=0)),
        Submission("tampered", cheat, dict(POINTS, test_train_model=0)),
    ]
