"""Fixture submissions for 05_deep_backprop."""

import nbformat

from mistakes.m05_deep_backprop import MISTAKES
from notebook_parts import filled, release

from . import Submission, mistake, reference_answers, tampered, warns_from_numpy

ID = "05_deep_backprop"
POINTS = {"test_sigmoid_backward": 1, "test_relu_backward": 1, "test_linear_backward": 3,
          "test_activation_backward": 2, "test_model_backward": 4, "test_gradient_check": 3}


# A correct gradient_check that calls model_forward and model_backward from a module-level helper,
# not in its own body. The per-group chart once swapped the globals of gradient_check's code, and so
# reported this one's correct backward pass as wrong in every group (relative errors 0.31-0.95).
GRADIENT_CHECK_WITH_HELPER = '''
def cost_at(parameters, X, Y):
    return compute_cost(model_forward(X, parameters)[0], Y)


def gradient_check(parameters, X, Y, epsilon=1e-7):
    AL, caches = model_forward(X, parameters)
    grads = model_backward(AL, Y, caches)
    g, g_num = [], []
    for name, value in parameters.items():
        g.append(grads["d" + name].ravel())
        for index in np.ndindex(value.shape):
            moved = {key: array.copy() for key, array in parameters.items()}
            moved[name][index] = value[index] + epsilon
            plus = cost_at(moved, X, Y)
            moved[name][index] = value[index] - epsilon
            g_num.append((plus - cost_at(moved, X, Y)) / (2 * epsilon))
    g, g_num = np.concatenate(g), np.array(g_num)
    return float(np.linalg.norm(g - g_num) / (np.linalg.norm(g) + np.linalg.norm(g_num)))
'''


def submissions():
    rel, reference = release(ID), reference_answers(ID)
    zero = dict.fromkeys(POINTS, 0)

    # relu'(0) = 1 costs only relu_backward's cell: the later functions call it, but their checks
    # never meet a Z that is exactly 0. A missing gradient_check costs its own cell.
    partial = dict(reference,
                   relu_backward=mistake(MISTAKES, "relu_backward", "relu-prime-of-zero-is-one"))
    del partial["gradient_check"]

    # gradient_check is the only graded function no later graded cell calls, so under stock
    # nbgrader its warning costs exactly its own cell.
    warns = dict(reference,
                 gradient_check=warns_from_numpy(reference["gradient_check"],
                                                 "    g, g_num = [], []"))

    # The wrong function fails only its own cell; grading restores the edited and the deleted
    # test cell (the edited one checks a correct gradient_check, which passes).
    cheat = tampered(rel, dict(reference,
                               relu_backward=mistake(MISTAKES, "relu_backward",
                                                     "relu-prime-of-zero-is-one")),
                     edited="test_gradient_check", deleted="test_relu_backward")

    helper = dict(reference, gradient_check=GRADIENT_CHECK_WITH_HELPER)

    return [
        Submission("complete", filled(rel, reference), dict(POINTS), stock_scores=dict(POINTS)),
        Submission("helper", filled(rel, helper), dict(POINTS)),
        Submission("empty", nbformat.from_dict(rel), zero),
        Submission("partial", filled(rel, partial),
                   dict(POINTS, test_relu_backward=0, test_gradient_check=0)),
        Submission("warns", filled(rel, warns), dict(POINTS),
                   stock_scores=dict(POINTS, test_gradient_check=0)),
        Submission("tampered", cheat, dict(POINTS, test_relu_backward=0)),
    ]
