"""The datasets the library knows, and `load_arrays`, the one way to get one as arrays."""

import dataclasses

import numpy as np

from keras_resnets.data import sources
from keras_resnets.data.tfds_source import load_tfds_split
from keras_resnets.validation import check_choice, check_int


@dataclasses.dataclass(frozen=True)
class DatasetInfo:
    name: str
    task: str  # "classification" or "segmentation"
    image_shape: tuple
    num_classes: int
    class_names: tuple
    hflip: bool  # whether horizontal flips are label-preserving augmentation


CLASSIFICATION = ("fashion_mnist", "mnist", "cifar10", "cifar100")
SEGMENTATION = ("fashion_scenes", "oxford_iiit_pet")

_INFO = {
    "fashion_mnist": DatasetInfo("fashion_mnist", "classification", (28, 28, 1), 10,
                                 sources.CLASS_NAMES["fashion_mnist"], True),
    "mnist": DatasetInfo("mnist", "classification", (28, 28, 1), 10,
                         sources.CLASS_NAMES["mnist"], False),
    "cifar10": DatasetInfo("cifar10", "classification", (32, 32, 3), 10,
                           sources.CLASS_NAMES["cifar10"], True),
    "cifar100": DatasetInfo("cifar100", "classification", (32, 32, 3), 100,
                            tuple(str(i) for i in range(100)), True),
    "fashion_scenes": DatasetInfo("fashion_scenes", "segmentation", (64, 64, 1), 11,
                                  ("background",) + sources.CLASS_NAMES["fashion_mnist"], True),
    "oxford_iiit_pet": DatasetInfo("oxford_iiit_pet", "segmentation", (128, 128, 3), 3,
                                   ("background", "pet", "border"), True),
}


def list_datasets():
    return sorted(_INFO)


def dataset_info(name):
    check_choice("dataset", name, tuple(list_datasets()))
    return _INFO[name]


def load_arrays(name, split="train", data_dir=None, limit=None, download=True):
    """Returns ``(images, targets)`` of ``split`` ("train" or "test") as NumPy arrays:
    uint8 images (N, H, W, C) and int64 labels (N,) or uint8 masks (N, H, W).

    Fashion-MNIST and MNIST are read from local IDX files when found (``data_dir``, then
    the environment variable, then Debian's ``dataset-fashion-mnist``), else from
    tensorflow-datasets, which downloads them once. ``limit`` keeps the first ``limit``
    examples.
    """
    info = dataset_info(name)
    check_choice("split", split, sources.SPLITS)
    if limit is not None:
        check_int("limit", limit, minimum=1)
    if name == "fashion_scenes":
        from keras_resnets.data.scenes import load_fashion_scenes

        images, targets = load_fashion_scenes(split, data_dir=data_dir)
    else:
        arrays = None
        if name in sources.ENV_DIRS:
            arrays = sources.load_idx_split(name, split, data_dir, info.num_classes)
        if arrays is None:
            arrays = load_tfds_split(name, split, data_dir=data_dir, download=download)
            origin = f"tensorflow-datasets {name} {split}"
            sources.check_arrays(*arrays, info.num_classes, origin, origin)
        images, targets = arrays
    if images.ndim == 3:
        images = images[..., None]
    if images.shape[1:] != info.image_shape and info.task == "classification":
        raise ValueError(f"{name}: expected images of shape {info.image_shape}, got {images.shape[1:]}")
    if limit is not None:
        images, targets = images[:limit], targets[:limit]
    return np.ascontiguousarray(images), np.ascontiguousarray(targets)
