"""Fixture submissions for 01_notation."""

import nbformat

from mistakes.m01_notation import MISTAKES
from notebook_parts import cells_by_id, filled, graded_functions, release, solution_code, source

from . import Submission

ID = "01_notation"
POINTS = {"test_layer_shapes": 2, "test_stack_examples": 2, "test_count_parameters": 2,
          "test_initialize_parameters": 4}


def mistake(function, name):
    return next(m.code for m in MISTAKES if m.function == function and m.name == name)


def submissions():
    src, rel = source(ID), release(ID)
    reference = {f: solution_code(cells_by_id(src)[f]) for f in graded_functions(src)}
    zero = dict.fromkeys(POINTS, 0)

    partial = dict(reference, stack_examples=mistake("stack_examples", "examples-as-rows"))
    del partial["initialize_parameters"]

    warns = dict(reference)
    warns["layer_shapes"] = "import warnings\n" + reference["layer_shapes"].replace(
        "    shapes = {}", '    warnings.warn("layer_shapes: a warning from correct code")\n'
                          "    shapes = {}")
    warns["count_parameters"] = reference["count_parameters"].replace(
        "    total = 0", "    total = 0\n    np.log(np.zeros(1))  # a RuntimeWarning, harmless here")
    assert warns["layer_shapes"] != reference["layer_shapes"]
    assert warns["count_parameters"] != reference["count_parameters"]

    tampered = filled(rel, dict(reference,
                                stack_examples=mistake("stack_examples", "examples-as-rows"),
                                initialize_parameters=mistake("initialize_parameters",
                                                              "forgets-scale")))
    by_id = cells_by_id(tampered)
    by_id["test_initialize_parameters"].source = 'print("all checks passed")'
    tampered.cells.remove(by_id["test_stack_examples"])

    return [
        Submission("complete", filled(rel, reference), dict(POINTS), stock_scores=dict(POINTS)),
        Submission("empty", nbformat.from_dict(rel), zero),
        Submission("partial", filled(rel, partial),
                   dict(zero, test_layer_shapes=2, test_count_parameters=2),
                   feedback_messages=["examples are columns", "NotImplementedError",
                                      "Hidden tests ran here"]),
        Submission("warns", filled(rel, warns), dict(POINTS),
                   stock_scores=dict(POINTS, test_layer_shapes=0, test_count_parameters=0)),
        Submission("tampered", tampered, dict(zero, test_layer_shapes=2, test_count_parameters=2)),
    ]
