"""Time one training step of notebook 06's digits network, and the matrix products inside it.

One step of full-batch gradient descent is model_forward, compute_cost, model_backward and
update_parameters, as the reference solutions of notebook 06 run it (with the forward pass and the
cost from the course_functions.py released with it). Its matrix products (W A_prev forward,
dZ A_prev.T and W.T dZ backward, for every layer) are then timed alone, on the same arrays. The
ratio of the two says how much of a step is numpy's arithmetic and how much is Python around it.
Both are measured with the BLAS library's default number of threads and with one thread.

Run from the repository root:  python benchmarks/train_step.py
"""

import os
import statistics
import sys
import time

import nbformat
import numpy as np
from sklearn.datasets import load_digits
from threadpoolctl import threadpool_info, threadpool_limits

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from autograder import provided  # noqa: E402
from autograder.course import SOLUTIONS  # noqa: E402
from autograder.course.expected_values import reference_namespace  # noqa: E402

ID = "06_training"
LAYER_DIMS = [64, 32, 16, 1]   # the notebook's deep network
LEARNING_RATE = 0.3
WARM_UP, STEPS, PRODUCT_REPEATS = 5, 60, 200


def reference():
    """The namespace of notebook 06's reference solutions, with the forward pass and cost they call."""
    nb = nbformat.read(SOLUTIONS / ID / f"{ID}.ipynb", as_version=4)
    return reference_namespace(nb, provided.render(ID))


def training_data():
    """The notebook's training set: odd-or-even digits, 1347 images, centred and scaled."""
    digits = load_digits()
    X_all = digits.data.T
    Y_all = (digits.target % 2 == 1).astype(np.float64).reshape(1, -1)
    train_index = np.random.default_rng(0).permutation(X_all.shape[1])[450:]
    X_train = X_all[:, train_index]
    return (X_train - X_train.mean(axis=1, keepdims=True)) / X_train.std(), Y_all[:, train_index]


def median_seconds(function, repeats):
    """Median wall-clock time of function() over `repeats` calls, after a short warm-up."""
    for _ in range(WARM_UP):
        function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def step_products(ns, parameters, X, Y):
    """The (left, right) operands of every matrix product of one training step, in its order."""
    AL, caches = ns["model_forward"](X, parameters)
    grads = ns["model_backward"](AL, Y, caches)
    L = len(caches)
    products = [(W, A_prev) for (A_prev, W, _), _ in caches]
    for l in range(L, 0, -1):
        (A_prev, W, _), Z = caches[l - 1]
        dZ = AL - Y if l == L else grads[f"dA{l}"] * (Z > 0)
        products += [(dZ, A_prev.T), (W.T, dZ)]
    return products


def measure(ns, parameters, X, Y):
    """(seconds per training step, seconds of its matrix products alone), both medians."""
    state = {"parameters": parameters}

    def training_step():
        AL, caches = ns["model_forward"](X, state["parameters"])
        ns["compute_cost"](AL, Y)
        grads = ns["model_backward"](AL, Y, caches)
        state["parameters"] = ns["update_parameters"](state["parameters"], grads, LEARNING_RATE)

    products = step_products(ns, parameters, X, Y)

    def matrix_products():
        for left, right in products:
            left @ right

    return median_seconds(training_step, STEPS), median_seconds(matrix_products, PRODUCT_REPEATS)


def main():
    ns = reference()
    X, Y = training_data()
    parameters, _ = ns["train_model"](X, Y, LAYER_DIMS, LEARNING_RATE, 0, np.random.default_rng(1))
    blas = [f"{pool['internal_api']} {pool.get('version') or ''}".strip() + f", {pool['num_threads']} threads"
            for pool in threadpool_info() if pool["user_api"] == "blas"]
    default_threads = max((pool["num_threads"] for pool in threadpool_info()
                           if pool["user_api"] == "blas"), default=1)

    print(f"cores (os.cpu_count()): {os.cpu_count()}")
    print(f"BLAS: {'; '.join(blas) or 'none found'}")
    print(f"network {LAYER_DIMS}, full batch of {X.shape[1]} examples, numpy {np.__version__}")
    print(f"medians: {STEPS} training steps, {PRODUCT_REPEATS} repeats of the step's "
          f"{3 * (len(LAYER_DIMS) - 1)} matrix products")
    print(f"{'BLAS threads':>12}{'training step':>16}{'matrix products':>18}{'ratio':>8}"
          f"{'outside the products':>23}")
    for threads in sorted({default_threads, 1}, reverse=True):
        with threadpool_limits(threads, user_api="blas"):
            step, products = measure(ns, parameters, X, Y)
        print(f"{threads:>12}{step * 1e3:>13.3f} ms{products * 1e3:>15.3f} ms{step / products:>8.1f}"
              f"{1 - products / step:>22.0%}")


if __name__ == "__main__":
    main()
