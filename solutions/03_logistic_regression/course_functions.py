"""Functions from earlier notebooks that 03_logistic_regression builds on.

Generated from the reference solutions by `python -m autograder release`; do not edit.
"""

import numpy as np


# 02_forward_propagation: sigmoid
def sigmoid(Z):
    """Logistic sigmoid, entry by entry, without overflow.

    Z: array of any shape, float64.
    Returns an array of Z's shape: 1 / (1 + exp(-Z)), computed as 1 / (1 + e) where Z >= 0 and
    e / (1 + e) where Z < 0, with e = exp(-|Z|) <= 1.
    """
    e = np.exp(-np.abs(Z))
    return np.where(Z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
