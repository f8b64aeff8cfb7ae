"""Data sets a notebook loads from a file in its own folder, generated from scikit-learn.

Importing scikit-learn costs a kernel more CPU time than the whole of notebook 06 without it, so
06 loads its digits and half-moons from `datasets.npz`, which `python -m autograder release`
writes from scikit-learn's own `load_digits()` and `make_moons(...)`. The file's bytes depend on
the data only (fixed member order and dates), so a rerun changes nothing.
"""

import io
import zipfile

import numpy as np

from autograder.course import source_notebook

FILE_NAME = "datasets.npz"


def _arrays_06():
    """{name: array} for 06_training: the digits (images 8 x 8, grey levels 0-16, and their
    digits) and 430 noisy half-moon points (the first 30 train, the other 400 are held out)."""
    from sklearn.datasets import load_digits, make_moons

    digits = load_digits()
    images = digits.images.astype(np.uint8)
    assert np.array_equal(images, digits.images), "the grey levels are whole numbers 0-16"
    moons_X, moons_y = make_moons(n_samples=430, noise=0.35, random_state=7)
    return {"digits_images": images,
            "digits_target": digits.target.astype(np.uint8),
            "moons_X": moons_X, "moons_y": moons_y.astype(np.uint8)}


DATASETS = {"06_training": _arrays_06}


def render(assignment_id):
    """The bytes of `assignment_id`'s datasets.npz: an .npz numpy.load reads, one .npy per array."""
    arrays = DATASETS[assignment_id]()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            member = io.BytesIO()
            np.lib.format.write_array(member, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, member.getvalue())
    return buffer.getvalue()


def path_of(assignment_id):
    return source_notebook(assignment_id).parent / FILE_NAME


def write(assignment_id):
    """Regenerate datasets.npz of `assignment_id`; return its path if it changed, else None."""
    if assignment_id not in DATASETS or is_current(assignment_id):
        return None
    path = path_of(assignment_id)
    path.write_bytes(render(assignment_id))
    return path


def is_current(assignment_id):
    if assignment_id not in DATASETS:
        return True
    path = path_of(assignment_id)
    return path.is_file() and path.read_bytes() == render(assignment_id)
