"""Fixture submissions for 03_logistic_regression.

The graded functions build on each other (logistic_propagate calls compute_cost and logistic_dz,
train_logistic_regression calls logistic_propagate). The grader judges each with the reference in
its callees' places, so a wrong early function costs its own cell only, while the notebook's own
run (the feedback page) still names compute_cost as the function to fix in the later cells: the
"cascade" fixture pins both down.
"""

import nbformat

from mistakes.m03_logistic_regression import MISTAKES
from notebook_parts import filled, release

from . import Submission, mistake, reference_answers, tampered, warns_by_itself

ID = "03_logistic_regression"
POINTS = {"test_compute_cost": 3, "test_logistic_dz": 1, "test_logistic_propagate": 4,
          "test_train_logistic_regression": 4}
GUARDED_LOG = ('    with np.errstate(divide="ignore"):  # log(0) = -inf is the honest cost of a '
               'certain mistake\n        log_likelihood = np.log(p_observed)')


def submissions():
    rel, reference = release(ID), reference_answers(ID)
    zero = dict.fromkeys(POINTS, 0)

    partial = dict(reference, logistic_propagate=mistake(MISTAKES, "logistic_propagate", "db-sum"))
    del partial["train_logistic_regression"]

    cascade = dict(reference, compute_cost=mistake(MISTAKES, "compute_cost", "seed-bracket"))

    # correct, but writes a warning of its own to stderr where a label is predicted to be
    # impossible, as np.log(0) would; not numpy's own, since a log of 0 outside np.errstate fails
    # compute_cost's check that computing the cost writes no RuntimeWarning
    assert reference["compute_cost"].count(GUARDED_LOG) == 1
    own_warning = ('    if np.any(p_observed == 0.0):\n'
                   '        warnings.warn("compute_cost: a label predicted to be impossible")\n')
    warns = dict(reference,
                 compute_cost="import warnings\n" + reference["compute_cost"].replace(
                     GUARDED_LOG, own_warning + GUARDED_LOG),
                 train_logistic_regression=warns_by_itself(
                     reference["train_logistic_regression"], "    costs = []",
                     "train_logistic_regression"))

    # logistic_propagate written without logistic_dz, so that it does not inherit its mistake
    assert reference["logistic_propagate"].count("dZ = logistic_dz(A, Y)") == 1
    independent_propagate = reference["logistic_propagate"].replace(
        "dZ = logistic_dz(A, Y)", "dZ = A - Y")
    cheat = tampered(rel, dict(reference,
                               logistic_dz=mistake(MISTAKES, "logistic_dz", "seed-da"),
                               logistic_propagate=independent_propagate,
                               train_logistic_regression=mistake(
                                   MISTAKES, "train_logistic_regression", "cost-after-update")),
                     edited="test_train_logistic_regression", deleted="test_logistic_dz")

    return [
        Submission("complete", filled(rel, reference), dict(POINTS), stock_scores=dict(POINTS)),
        Submission("empty", nbformat.from_dict(rel), zero),
        Submission("partial", filled(rel, partial),
                   dict(zero, test_compute_cost=3, test_logistic_dz=1),
                   feedback_messages=["Every entry is 4 times the expected one",
                                      "NotImplementedError", "All hidden tests of this exercise passed"]),
        Submission("cascade", filled(rel, cascade), dict(POINTS, test_compute_cost=0),
                   feedback_messages=["as the seed notes do, flips the sign of every y = 0 term",
                                      "compute_cost is wrong, and the function checked here uses it",
                                      "this cell found: costs[:1][0] is 0.0, expected 0.6931471805599453"]),
        Submission("warns", filled(rel, warns), dict(POINTS),
                   stock_scores=dict(POINTS, test_compute_cost=0,
                                     test_train_logistic_regression=0)),
        Submission("tampered", cheat, dict(zero, test_compute_cost=3, test_logistic_propagate=4)),
    ]
