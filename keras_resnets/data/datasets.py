"""The datasets the library knows, and `load_arrays`, the one way to get one as arrays."""

import dataclasses

import numpy as np

from keras_resnets.data import sources
from keras_resnets.data.scenes import load_fashion_scenes
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


# Options of the datasets that are generated here rather than read: name -> {option: meaning}
DATASET_OPTIONS = {
    "fashion_scenes": {
        "train_images": "number of training scenes to generate (default 6000); the test "
                        "split keeps its 1000 scenes",
    },
}


def check_dataset_options(name, options):
    """Refuses ``options`` that dataset ``name`` does not take, naming what it takes."""
    if not isinstance(options, dict):
        raise TypeError(f"`dataset_options` must be a dict. Received: {options!r}")
    known = DATASET_OPTIONS.get(name, {})
    unknown = sorted(set(options) - set(known))
    if unknown:
        takes = (f"It takes: {', '.join(sorted(known))}." if known
                 else "It takes none: its size is fixed.")
        raise ValueError(f"Dataset {name!r} does not take option(s) "
                         f"{', '.join(map(repr, unknown))}. {takes}")
    for key, value in options.items():
        check_int(f"dataset_options[{key!r}]", value, minimum=1)
    return dict(options)


def load_arrays(name, split="train", data_dir=None, limit=None, download=True, options=None):
    """Returns ``(images, targets)`` of ``split`` ("train" or "test") as NumPy arrays:
    uint8 images (N, H, W, C) and int64 labels (N,) or uint8 masks (N, H, W).

    Fashion-MNIST and MNIST are read from local IDX files when found (``data_dir``, then
    the environment variable, then Debian's ``dataset-fashion-mnist``), else from
    tensorflow-datasets, which downloads them once. ``limit`` keeps the first ``limit``
    examples. ``options`` are the generated datasets' options (`DATASET_OPTIONS`).
    """
    info = dataset_info(name)
    check_choice("split", split, sources.SPLITS)
    options = check_dataset_options(name, options or {})
    if limit is not None:
        check_int("limit", limit, minimum=1)
    if name == "fashion_scenes":
        count = options.get("train_images") if split == "train" else None
        images, targets = load_fashion_scenes(split, data_dir=data_dir, num_images=count)
    else:
        images, targets = sources.load_split(name, split, info.num_classes, data_dir=data_dir,
                                             download=download)
    if images.ndim == 3:
        images = images[..., None]
    if images.shape[1:] != info.image_shape and info.task == "classification":
        raise ValueError(f"{name}: expected images of shape {info.image_shape}, got {images.shape[1:]}")
    if limit is not None:
        images, targets = images[:limit], targets[:limit]
    return np.ascontiguousarray(images), np.ascontiguousarray(targets)
