"""Fashion scenes: a small segmentation set made of real Fashion-MNIST items (Xiao et al.
2017) pasted on a larger canvas.

Each scene is a ``size`` x ``size`` grey canvas with 1 to 4 items at random positions.
Items are pasted in order; an item's foreground pixels (value > `FOREGROUND`) occlude what
is under them, its background is transparent. The mask holds, per pixel, 0 for background
and ``label + 1`` (1..10) of the top item whose foreground covers it, so a pixel is nonzero
in the image exactly where the mask is nonzero. Train scenes use Fashion-MNIST train items,
test scenes test items, with different seeds: the same arguments always give the same
arrays. Class names: ``dataset_info("fashion_scenes").class_names``.

The generated arrays are cached as ``.npz`` in ``$KERAS_RESNETS_CACHE`` (default
``~/.cache/keras_resnets``), keyed by the arguments and a fingerprint of the source items,
and written atomically.
"""

import hashlib
import io
import os

import numpy as np

from keras_resnets import artifacts
from keras_resnets.data import sources
from keras_resnets.validation import check_choice, check_int

FOREGROUND = 10  # item pixels above this are foreground; the rest are transparent
ITEM_SIZE = 28
MAX_ITEMS = 4
DEFAULT_SIZES = {"train": 6000, "test": 1000}
DEFAULT_SEEDS = {"train": 0, "test": 1}
_VERSION = 1  # bump when the generation changes, to leave stale caches behind


def cache_dir():
    """``$KERAS_RESNETS_CACHE``, else ``~/.cache/keras_resnets``."""
    return os.environ.get("KERAS_RESNETS_CACHE") or os.path.join(
        os.path.expanduser("~"), ".cache", "keras_resnets")


def load_fashion_scenes(split, data_dir=None, size=64, num_images=None, seed=None):
    """Returns ``(images, masks)``: uint8 images (N, size, size, 1) and uint8 masks
    (N, size, size) with 0 = background and 1..10 = Fashion-MNIST class + 1.

    Args:
        split: "train" (items from Fashion-MNIST's train split) or "test" (its test split).
        data_dir: where the Fashion-MNIST IDX files are (see `load_arrays`).
        size: canvas height and width, at least 28.
        num_images: number of scenes (default 6000 train, 1000 test).
        seed: generation seed (default 0 train, 1 test).
    """
    check_choice("split", split, sources.SPLITS)
    size = check_int("size", size, minimum=ITEM_SIZE)
    num_images = DEFAULT_SIZES[split] if num_images is None else check_int(
        "num_images", num_images, minimum=1)
    seed = DEFAULT_SEEDS[split] if seed is None else check_int("seed", seed, minimum=0)

    items, labels = sources.load_split("fashion_mnist", split, len(sources.FASHION_MNIST_CLASSES),
                                       data_dir=data_dir)
    items = items[..., 0]  # (N, 28, 28, 1) -> (N, 28, 28)
    fingerprint = hashlib.sha1(items.tobytes() + labels.tobytes()).hexdigest()[:12]
    path = os.path.join(cache_dir(), f"fashion_scenes-v{_VERSION}-{split}-{size}-"
                                     f"{num_images}-{seed}-{fingerprint}.npz")
    cached = _read_cache(path)
    if cached is not None:
        return cached
    images, masks = compose_scenes(items, labels, num_images, size, seed)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, images=images, masks=masks)
    try:
        artifacts.write_bytes(path, buffer.getvalue())
    except OSError:
        pass  # a read-only home: generation is quick, so go on without a cache
    return images, masks


def _read_cache(path):
    if not os.path.isfile(path):
        return None
    try:
        with np.load(path) as data:
            return data["images"], data["masks"]
    except (OSError, ValueError, KeyError, EOFError):
        return None  # corrupt: regenerate and overwrite


def compose_scenes(items, labels, num_images, size=64, seed=0):
    """The scenes of `load_fashion_scenes` from ``items`` (M, 28, 28) uint8 and their
    ``labels`` (M,) 0..9, vectorized over scenes (one paste per item slot)."""
    items = np.asarray(items, np.uint8)
    labels = np.asarray(labels)
    if items.ndim != 3 or items.shape[1:] != (ITEM_SIZE, ITEM_SIZE) or len(items) != len(labels):
        raise ValueError(f"`items` must be (M, 28, 28) with M labels. Received: items "
                         f"{items.shape}, labels {labels.shape}")
    usable = np.flatnonzero((items > FOREGROUND).sum(axis=(1, 2)) >= 20)
    if not len(usable):
        raise ValueError("no Fashion-MNIST item has a visible foreground")
    rng = np.random.default_rng(seed)
    counts = rng.integers(1, MAX_ITEMS + 1, size=num_images)
    chosen = usable[rng.integers(0, len(usable), size=(num_images, MAX_ITEMS))]
    corners = rng.integers(0, size - ITEM_SIZE + 1, size=(num_images, MAX_ITEMS, 2))

    images = np.zeros((num_images, size, size), np.uint8)
    masks = np.zeros((num_images, size, size), np.uint8)
    offsets = np.arange(ITEM_SIZE)
    scene = np.arange(num_images)[:, None, None]
    for slot in range(MAX_ITEMS):
        on = counts > slot  # scenes that have an item in this slot
        item = items[chosen[:, slot]]
        fg = (item > FOREGROUND) & on[:, None, None]
        rows = (corners[:, slot, 0, None] + offsets)[:, :, None]  # (N, 28, 1)
        cols = (corners[:, slot, 1, None] + offsets)[:, None, :]  # (N, 1, 28)
        window = images[scene, rows, cols]
        images[scene, rows, cols] = np.where(fg, item, window)
        label = (labels[chosen[:, slot]] + 1).astype(np.uint8)[:, None, None]
        masks[scene, rows, cols] = np.where(fg, label, masks[scene, rows, cols])
    return images[..., None], masks
