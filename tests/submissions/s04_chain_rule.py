"""Fixture submissions for 04_chain_rule.

The written derivation (grade cell `derivation_dW`, a Markdown answer cell graded by hand) has no
automatic score: nbgrader records auto_score None for an answered cell (it then needs manual
grading) and 0 for a cell handed in unchanged.
"""

import nbformat

from mistakes.m04_chain_rule import MISTAKES
from notebook_parts import cells_by_id, filled, release

from . import Submission, mistake, reference_answers, tampered, warns_by_itself, warns_from_numpy

ID = "04_chain_rule"
WRITTEN = "derivation_dW"
POINTS = {"test_numerical_derivative": 2, "test_numerical_gradient": 3,
          "test_multivariate_chain": 2, "test_dcost_da_unit": 2, "test_dcost_dA": 2}

ANSWER = r"""
$W_{kj}$ only enters unit $k$ of layer $l$, but it does so for every example:
$z^{(i)}_k = \sum_{j'} W_{kj'} a^{(i)}_{j'} + b_k$, so there are $m$ paths $W_{kj} \to z^{(i)}_k \to J$,
each with local derivative $a^{(i)}_j$. Summing the paths, and using $J = \frac{1}{m}\sum_i L^{(i)}$
so that $\partial J / \partial z^{(i)}_k = dZ_{ki} / m$:
$\partial J / \partial W_{kj} = \frac{1}{m} \sum_i dZ_{ki} A_{ji}$, which is entry $(k, j)$ of
$dZ A^\top$, shape $(n^{[l]}, m)(m, n^{[l-1]})$. Without the transpose the product does not fit.
""".strip()


def submissions():
    rel, reference = release(ID), reference_answers(ID)
    zero = dict.fromkeys(POINTS, 0)

    complete = dict(reference, **{WRITTEN: ANSWER})

    partial = dict(reference, numerical_gradient=mistake(MISTAKES, "numerical_gradient",
                                                         "restores-by-subtracting"),
                   **{WRITTEN: "The paths go through every example, so the gradient is a sum over i."})
    del partial["dcost_dA"]

    warns = dict(reference,
                 numerical_derivative=warns_by_itself(reference["numerical_derivative"],
                                                      "    return float(", "numerical_derivative"),
                 dcost_dA=warns_from_numpy(reference["dcost_dA"], "    return W.T @ dZ"))

    # also claims 30 points for the written answer; grading resets them to 3
    cheat = tampered(rel, dict(reference,
                               numerical_gradient=mistake(MISTAKES, "numerical_gradient",
                                                          "never-restores"),
                               dcost_dA=mistake(MISTAKES, "dcost_dA", "W-where-shapes-fit"),
                               **{WRITTEN: ANSWER}),
                     edited="test_numerical_gradient", deleted="test_dcost_dA")
    cells_by_id(cheat)[WRITTEN].metadata["nbgrader"]["points"] = 30

    return [
        Submission("complete", filled(rel, complete), dict(POINTS, **{WRITTEN: None}),
                   stock_scores=dict(POINTS, **{WRITTEN: None})),
        Submission("empty", nbformat.from_dict(rel), dict(zero, **{WRITTEN: 0})),
        Submission("partial", filled(rel, partial),
                   dict(zero, test_numerical_derivative=2, test_multivariate_chain=2,
                        test_dcost_da_unit=2, **{WRITTEN: None})),
        Submission("warns", filled(rel, warns), dict(POINTS, **{WRITTEN: 0}),
                   stock_scores=dict(POINTS, test_numerical_derivative=0, test_dcost_dA=0,
                                     **{WRITTEN: 0})),
        Submission("tampered", cheat,
                   dict(zero, test_numerical_derivative=2, test_multivariate_chain=2,
                        test_dcost_da_unit=2, **{WRITTEN: None})),
    ]
