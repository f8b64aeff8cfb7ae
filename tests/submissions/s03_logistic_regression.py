"""Fixture submissions for 03_logistic_regression.

The graded functions build on each other (logistic_propagate calls compute_cost and logistic_dz,
train_logistic_regression calls logistic_propagate), so a wrong early function also costs the
points of the functions that use it: the "cascade" fixture pins that down.
"""

import nbformat

from mistakes.m03_logistic_regression import MISTAKES
from notebook_parts import cells_by_id, filled, graded_functions, release, solution_code, source

from . import Submission

ID = "03_logistic_regression"
POINTS = {"test_compute_cost": 3, "test_logistic_dz": 1, "test_logistic_propagate": 4,
          "test_train_logistic_regression": 4}


def mistake(function, name):
    return next(m.code for m in MISTAKES if m.function == function and m.name == name)


def submissions():
    src, rel = source(ID), release(ID)
    reference = {f: solution_code(cells_by_id(src)[f]) for f in graded_functions(src)}
    zero = dict.fromkeys(POINTS, 0)

    partial = dict(reference, logistic_propagate=mistake("logistic_propagate", "db-sum"))
    del partial["train_logistic_regression"]

    cascade = dict(reference, compute_cost=mistake("compute_cost", "seed-bracket"))

    warns = dict(reference)
    # correct, but np.log(0) in the visible check of a confidently wrong prediction now warns
    warns["compute_cost"] = reference["compute_cost"].replace(
        '    with np.errstate(divide="ignore"):  # log(0) = -inf is the honest cost of a certain '
        'mistake\n        log_likelihood = np.log(p_observed)',
        "    log_likelihood = np.log(p_observed)")
    warns["train_logistic_regression"] = "import warnings\n" + reference[
        "train_logistic_regression"].replace(
        "    costs = []", '    warnings.warn("train_logistic_regression: a warning from correct code")'
                         "\n    costs = []")
    assert warns["compute_cost"] != reference["compute_cost"]
    assert warns["train_logistic_regression"] != reference["train_logistic_regression"]

    # logistic_propagate written without logistic_dz, so that it does not inherit its mistake
    independent_propagate = reference["logistic_propagate"].replace(
        "dZ = logistic_dz(A, Y)", "dZ = A - Y")
    assert independent_propagate != reference["logistic_propagate"]
    tampered = filled(rel, dict(reference,
                                logistic_dz=mistake("logistic_dz", "seed-da"),
                                logistic_propagate=independent_propagate,
                                train_logistic_regression=mistake("train_logistic_regression",
                                                                  "cost-after-update")))
    by_id = cells_by_id(tampered)
    by_id["test_train_logistic_regression"].source = 'print("all checks passed")'
    tampered.cells.remove(by_id["test_logistic_dz"])

    return [
        Submission("complete", filled(rel, reference), dict(POINTS), stock_scores=dict(POINTS)),
        Submission("empty", nbformat.from_dict(rel), zero),
        Submission("partial", filled(rel, partial),
                   dict(zero, test_compute_cost=3, test_logistic_dz=1),
                   feedback_messages=["Every entry is 4 times the expected one",
                                      "NotImplementedError", "Hidden tests ran here"]),
        Submission("cascade", filled(rel, cascade), dict(zero, test_logistic_dz=1),
                   feedback_messages=["as the seed notes do, flips the sign of every y = 0 term",
                                      "costs[:1][0] is 0.0, expected 0.6931471805599453"]),
        Submission("warns", filled(rel, warns), dict(POINTS),
                   stock_scores=dict(POINTS, test_compute_cost=0,
                                     test_train_logistic_regression=0)),
        Submission("tampered", tampered, dict(zero, test_compute_cost=3, test_logistic_propagate=4)),
    ]
