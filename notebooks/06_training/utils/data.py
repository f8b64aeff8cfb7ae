"""Data sets the notebooks train on, read from the files that scikit-learn installs.

Importing scikit-learn takes longer (about 1.3 s of CPU, most of it SciPy) than the whole rest of
notebook 03, which only needs one of its files. So the file is read here, where scikit-learn keeps
it, without importing the package; tests/test_course_text.py checks that the result is exactly
what `sklearn.datasets.load_breast_cancer()` returns.
"""

import importlib.util
import pathlib
import types

import numpy as np

__all__ = ["breast_cancer"]

# The ten measurements of a cell nucleus, in the file's order; each comes as its mean over the
# nuclei of the image, its standard error and its "worst" value, in that order (30 columns).
NUCLEUS_FEATURES = ("radius", "texture", "perimeter", "area", "smoothness", "compactness",
                    "concavity", "concave points", "symmetry", "fractal dimension")


def breast_cancer():
    """The Wisconsin breast-cancer data set, as sklearn.datasets.load_breast_cancer() gives it.

    Returns a namespace with data: (569, 30) float64, one row per tumour; target: (569,) int64,
    0 for malignant and 1 for benign; feature_names: (30,) array of str ("mean radius", ...,
    "radius error", ..., "worst fractal dimension").
    """
    spec = importlib.util.find_spec("sklearn")  # finds the package without running it
    if spec is None or spec.origin is None:
        raise ImportError("scikit-learn is not installed: it provides the breast-cancer data "
                          "(pip install scikit-learn)")
    path = pathlib.Path(spec.origin).parent / "datasets" / "data" / "breast_cancer.csv"
    rows, columns, *_ = path.read_text().split("\n", 1)[0].split(",")
    table = np.loadtxt(path, delimiter=",", skiprows=1)
    if table.shape != (int(rows), int(columns) + 1):
        raise ValueError(f"{path} holds a table of shape {table.shape}; its header announces "
                         f"{rows} rows of {columns} features and a label")
    names = ([f"mean {f}" for f in NUCLEUS_FEATURES] + [f"{f} error" for f in NUCLEUS_FEATURES]
             + [f"worst {f}" for f in NUCLEUS_FEATURES])
    return types.SimpleNamespace(data=table[:, :-1], target=table[:, -1].astype(np.int64),
                                 feature_names=np.array(names))
