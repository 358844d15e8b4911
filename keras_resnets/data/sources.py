"""Where datasets come from: local IDX files first for (Fashion-)MNIST, then
tensorflow-datasets. Every loader returns NumPy arrays: uint8 images (N, H, W, C) and
int labels (N,) -- or, for segmentation, uint8 masks (N, H, W)."""

import os

import numpy as np

from keras_resnets.data.idx import read_idx
from keras_resnets.data.tfds_source import load_tfds_split

DEBIAN_FASHION_MNIST = "/usr/share/datasets/fashion-mnist"
ENV_DIRS = {"fashion_mnist": "KERAS_RESNETS_FASHION_MNIST", "mnist": "KERAS_RESNETS_MNIST"}
SPLITS = ("train", "test")

FASHION_MNIST_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
                         "Shirt", "Sneaker", "Bag", "Ankle boot")
"""Fashion-MNIST's class names, in label order (Xiao et al. 2017)."""

CLASS_NAMES = {
    "fashion_mnist": FASHION_MNIST_CLASSES,
    "mnist": tuple(str(i) for i in range(10)),
    "cifar10": ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
                "ship", "truck"),
}

_IDX_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


def _find(directory, stem):
    for suffix in (".gz", ""):
        path = os.path.join(directory, stem + suffix)
        if os.path.isfile(path):
            return path
    return None


def idx_directories(name, data_dir=None):
    """The directories searched for ``name``'s IDX files, in order: ``data_dir``, the
    environment variable (KERAS_RESNETS_FASHION_MNIST / KERAS_RESNETS_MNIST), and for
    Fashion-MNIST the Debian package ``dataset-fashion-mnist``."""
    dirs = [data_dir, os.environ.get(ENV_DIRS[name])]
    if name == "fashion_mnist":
        dirs.append(DEBIAN_FASHION_MNIST)
    return [d for d in dirs if d]


def check_arrays(images, targets, num_classes, images_origin, targets_origin):
    """Refuses, in one line naming where they came from, images that are not finite or
    not pixels in 0..255, and targets (labels or masks) that are not integers in
    ``0..num_classes - 1``: such data would train to NaN or fail deep inside TensorFlow."""
    if np.issubdtype(images.dtype, np.floating):
        finite = np.isfinite(images)
        if not finite.all():
            index = np.unravel_index(np.argmin(finite), images.shape)[0]
            raise ValueError(f"{images_origin}: image {index} holds NaN or infinite values")
    if not np.issubdtype(images.dtype, np.number) or images.dtype == bool:
        raise ValueError(f"{images_origin}: images must be numbers, not {images.dtype}")
    if images.size and (images.min() < 0 or images.max() > 255):
        raise ValueError(f"{images_origin}: pixels must be in 0..255; found values in "
                         f"{images.min():g}..{images.max():g}")
    if not np.issubdtype(targets.dtype, np.integer):
        if not np.issubdtype(targets.dtype, np.floating) or not (
                np.isfinite(targets).all() and (targets == np.round(targets)).all()):
            raise ValueError(f"{targets_origin}: labels must be integers; found "
                             f"{targets.dtype} values that are not")
    if targets.size and (targets.min() < 0 or targets.max() >= num_classes):
        bad = targets.max() if targets.max() >= num_classes else targets.min()
        raise ValueError(f"{targets_origin}: labels must be in 0..{num_classes - 1} "
                         f"({num_classes} classes); found {bad:g}")


def load_idx_split(name, split, data_dir=None, num_classes=10):
    """(images, labels) of ``split`` from the first directory holding both IDX files, or
    None when no directory does (then the caller tries tensorflow-datasets). Images and
    labels are checked (`check_arrays`) against ``num_classes``."""
    if data_dir is not None and not os.path.isdir(data_dir):
        raise FileNotFoundError(f"`data_dir` is not a directory. Received: data_dir={data_dir!r}")
    images_stem, labels_stem = _IDX_FILES[split]
    for directory in idx_directories(name, data_dir):
        images_path, labels_path = _find(directory, images_stem), _find(directory, labels_stem)
        if images_path and labels_path:
            images, labels = read_idx(images_path), read_idx(labels_path)
            if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
                raise ValueError(
                    f"{directory}: IDX files do not fit together: images {images.shape}, "
                    f"labels {labels.shape}"
                )
            check_arrays(images, labels, num_classes, images_path, labels_path)
            return images[..., None], labels.astype(np.int64)
        if data_dir is not None and directory == data_dir:
            raise FileNotFoundError(
                f"`data_dir` {data_dir!r} does not hold {images_stem}[.gz] and {labels_stem}[.gz]"
            )
    return None


def load_split(name, split, num_classes, data_dir=None, download=True):
    """(images, targets) of ``split`` of the dataset ``name``, from where it comes from:
    (Fashion-)MNIST from local IDX files when found (`load_idx_split`), everything else
    (and (Fashion-)MNIST without local files) from tensorflow-datasets. Both are checked
    (`check_arrays`) against ``num_classes``."""
    arrays = None
    if name in ENV_DIRS:
        arrays = load_idx_split(name, split, data_dir, num_classes)
    if arrays is None:
        arrays = load_tfds_split(name, split, data_dir=data_dir, download=download)
        origin = f"tensorflow-datasets {name} {split}"
        check_arrays(*arrays, num_classes, origin, origin)
    return arrays
