"""Functions from earlier notebooks that 03_logistic_regression builds on.

Generated from the reference solutions by `python -m autograder release`; do not edit.
"""

import numpy as np


# 02_forward_propagation: stable_sigmoid
def stable_sigmoid(Z):
    """Logistic sigmoid, entry by entry, for any finite Z: no overflow, small values kept.

    Z: array of any shape, float64.
    Returns a new float64 array of Z's shape: 1 / (1 + exp(-Z)), with the relative precision of
    float64 also where it is tiny.
    """
    e = np.exp(-np.abs(Z))
    return np.where(Z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
