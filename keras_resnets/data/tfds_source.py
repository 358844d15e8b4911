"""Loading through tensorflow-datasets, with a clear message when it cannot download."""

import numpy as np

TFDS_NAMES = {
    "fashion_mnist": "fashion_mnist",
    "mnist": "mnist",
    "cifar10": "cifar10",
    "cifar100": "cifar100",
    "oxford_iiit_pet": "oxford_iiit_pet",
}


class DatasetUnavailable(RuntimeError):
    """The dataset is neither on disk nor downloadable from here."""


def load_tfds_split(name, split, data_dir=None, download=True):
    """(images, labels) as NumPy arrays from tensorflow-datasets, or (images, masks) for
    ``oxford_iiit_pet`` (masks mapped to 0 = background, 1 = pet, 2 = border)."""
    import tensorflow_datasets as tfds

    try:
        if name == "oxford_iiit_pet":
            ds = tfds.load(TFDS_NAMES[name], split=split, data_dir=data_dir, download=download)
            return _pet_arrays(ds)
        ds = tfds.load(TFDS_NAMES[name], split=split, as_supervised=True,
                       data_dir=data_dir, download=download)
    except Exception as err:  # tfds raises many types (DownloadError, ConnectionError, ...)
        raise DatasetUnavailable(_how_to_get(name, err)) from err
    # Batches of a fixed size, not batch_size=-1: on a dataset of unknown cardinality
    # (tfds.testing.mock_data, some builders) -1 aborts the process in TF 2.21.
    images, labels = [], []
    for x, y in ds.batch(4096).as_numpy_iterator():
        images.append(x)
        labels.append(y)
    if not images:
        raise DatasetUnavailable(f"Dataset {name!r}: split {split!r} is empty")
    return np.concatenate(images).astype(np.uint8), np.concatenate(labels).astype(np.int64)


def _pet_arrays(ds, size=128):
    import tensorflow as tf

    def resize(example):
        image = tf.image.resize(example["image"], (size, size), antialias=True)
        mask = tf.image.resize(example["segmentation_mask"], (size, size), method="nearest")
        # TFDS trimaps: 1 pet, 2 background, 3 border -> 1, 0, 2
        mask = tf.gather(tf.constant([0, 1, 0, 2], tf.uint8), tf.cast(mask[..., 0], tf.int32))
        return tf.cast(tf.round(image), tf.uint8), mask

    images, masks = [], []
    for image, mask in ds.map(resize).as_numpy_iterator():
        images.append(image)
        masks.append(mask)
    return np.stack(images), np.stack(masks)


def _how_to_get(name, err):
    local = ""
    if name in ("fashion_mnist", "mnist"):
        local = (
            f" For {name}, put the four IDX files (train-images-idx3-ubyte.gz, ...) in a "
            f"directory and pass it as data_dir / --data-dir or set "
            f"KERAS_RESNETS_{name.upper()}"
            + ("; on Debian/Ubuntu `apt-get install dataset-fashion-mnist` installs them."
               if name == "fashion_mnist" else ".")
        )
    return (
        f"Dataset {name!r} is not available: tensorflow-datasets could not load or download "
        f"it ({type(err).__name__}: {err}). Download it once on a machine with network access "
        f"(`python -c \"import tensorflow_datasets as tfds; tfds.load('{TFDS_NAMES[name]}')\"`) "
        f"and copy ~/tensorflow_datasets here, or pass data_dir.{local}"
    )
