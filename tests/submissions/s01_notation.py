"""Fixture submissions for 01_notation."""

import nbformat

from mistakes.m01_notation import MISTAKES
from notebook_parts import filled, release

from . import Submission, mistake, reference_answers, tampered, warns_by_itself, warns_from_numpy

ID = "01_notation"
POINTS = {"test_layer_shapes": 2, "test_stack_examples": 2, "test_count_parameters": 2,
          "test_initialize_parameters": 4}


def submissions():
    rel, reference = release(ID), reference_answers(ID)
    zero = dict.fromkeys(POINTS, 0)

    partial = dict(reference, stack_examples=mistake(MISTAKES, "stack_examples", "examples-as-rows"))
    del partial["initialize_parameters"]

    warns = dict(reference,
                 layer_shapes=warns_by_itself(reference["layer_shapes"], "    shapes = {}",
                                              "layer_shapes"),
                 count_parameters=warns_from_numpy(reference["count_parameters"],
                                                   "    return int(total)"))

    cheat = tampered(rel, dict(reference,
                               stack_examples=mistake(MISTAKES, "stack_examples",
                                                      "examples-as-rows"),
                               initialize_parameters=mistake(MISTAKES, "initialize_parameters",
                                                             "forgets-scale")),
                     edited="test_initialize_parameters", deleted="test_stack_examples")

    return [
        Submission("complete", filled(rel, reference), dict(POINTS), stock_scores=dict(POINTS)),
        Submission("empty", nbformat.from_dict(rel), zero),
        Submission("partial", filled(rel, partial),
                   dict(zero, test_layer_shapes=2, test_count_parameters=2),
                   feedback_messages=["examples are columns", "NotImplementedError",
                                      "All hidden tests of this exercise passed"]),
        Submission("warns", filled(rel, warns), dict(POINTS),
                   stock_scores=dict(POINTS, test_layer_shapes=0, test_count_parameters=0)),
        Submission("tampered", cheat, dict(zero, test_layer_shapes=2, test_count_parameters=2)),
    ]
