"""Fixture submissions for 04_chain_rule.

The written derivation (grade cell `derivation_dW`, a Markdown answer cell graded by hand) has no
automatic score: nbgrader records auto_score None for an answered cell (it then needs manual
grading) and 0 for a cell handed in unchanged.
"""

import nbformat

from mistakes.m04_chain_rule import MISTAKES
from notebook_parts import cells_by_id, filled, graded_functions, release, solution_code, source

from . import Submission

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


def mistake(function, name):
    return next(m.code for m in MISTAKES if m.function == function and m.name == name)


def submissions():
    src, rel = source(ID), release(ID)
    reference = {f: solution_code(cells_by_id(src)[f]) for f in graded_functions(src)}
    zero = dict.fromkeys(POINTS, 0)

    complete = dict(reference, **{WRITTEN: ANSWER})

    partial = dict(reference, numerical_gradient=mistake("numerical_gradient", "restores-by-subtracting"),
                   **{WRITTEN: "The paths go through every example, so the gradient is a sum over i."})
    del partial["dcost_dA"]

    warns = dict(reference)
    warns["numerical_derivative"] = "import warnings\n" + reference["numerical_derivative"].replace(
        "    return float(", '    warnings.warn("numerical_derivative: a warning from correct code")\n'
                            "    return float(")
    warns["dcost_dA"] = reference["dcost_dA"].replace(
        "    return W.T @ dZ", "    np.log(np.zeros(1))  # a RuntimeWarning, harmless here\n"
                              "    return W.T @ dZ")
    assert warns["numerical_derivative"] != reference["numerical_derivative"]
    assert warns["dcost_dA"] != reference["dcost_dA"]

    tampered = filled(rel, dict(reference,
                                numerical_gradient=mistake("numerical_gradient", "never-restores"),
                                dcost_dA=mistake("dcost_dA", "W-where-shapes-fit"),
                                **{WRITTEN: ANSWER}))
    by_id = cells_by_id(tampered)
    by_id["test_numerical_gradient"].source = 'print("all checks passed")'
    tampered.cells.remove(by_id["test_dcost_dA"])
    by_id[WRITTEN].metadata["nbgrader"]["points"] = 30

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
        Submission("tampered", tampered,
                   dict(zero, test_numerical_derivative=2, test_multivariate_chain=2,
                        test_dcost_da_unit=2, **{WRITTEN: None})),
    ]
