"""Images and labels for calibration and verification: through `keras_resnets.data` when
it is installed, else Fashion-MNIST from Debian's IDX files read here."""

import gzip
import os

import numpy as np

FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist"
FASHION_MNIST_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
                         "Shirt", "Sneaker", "Bag", "Ankle boot")
_FILES = {"train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
          "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")}


def _read_idx_gz(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim).reshape(shape)


def _local_fashion_mnist(split, limit):
    images_file, labels_file = _FILES[split]
    paths = [os.path.join(FASHION_MNIST_DIR, f) for f in (images_file, labels_file)]
    for path in paths:
        if not os.path.isfile(path):
            raise FileNotFoundError(f"Fashion-MNIST file not found: {path}")
    images, labels = (_read_idx_gz(p) for p in paths)
    if limit is not None:
        images, labels = images[:limit], labels[:limit]
    return images[..., None].copy(), labels.astype(np.int64)


def load_samples(name, split, limit=None):
    """``(images uint8 (N, H, W, C), targets, class_names)`` of dataset ``name``."""
    try:
        from keras_resnets import data
    except ImportError:
        data = None
    if data is not None and hasattr(data, "load_arrays"):
        try:
            images, targets = data.load_arrays(name, split, limit=limit)
            names = tuple(data.dataset_info(name).class_names)
        except ImportError as err:  # a part of the data package not there yet
            raise ValueError(f"dataset {name!r} is not available here: {err}") from None
        except RuntimeError as err:  # DatasetUnavailable: neither on disk nor downloadable
            raise ValueError(str(err)) from None
        return images, targets, names
    if name != "fashion_mnist":
        raise ValueError(
            f"dataset {name!r} needs keras_resnets.data; without it only fashion_mnist "
            f"(from {FASHION_MNIST_DIR}) is available"
        )
    images, labels = _local_fashion_mnist(split, limit)
    return images, labels, FASHION_MNIST_CLASSES
