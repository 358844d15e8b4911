"""keras_resnets.data.scenes: Fashion-MNIST items composited into segmentation scenes."""

import os

import numpy as np
import pytest
from fakes import write_fake_mnist

from keras_resnets.data import dataset_info, load_arrays
from keras_resnets.data.scenes import compose_scenes, load_fashion_scenes


@pytest.fixture
def fake_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_RESNETS_CACHE", str(tmp_path / "cache"))
    return write_fake_mnist(tmp_path / "fmnist", n_train=50, n_test=20)


def _items(n=40, seed=0):
    rng = np.random.default_rng(seed)
    items = np.zeros((n, 28, 28), np.uint8)
    items[:, 6:22, 8:20] = rng.integers(11, 256, (n, 16, 12))  # foreground > 10 only
    return items, rng.integers(0, 10, n)


def test_shapes_dtypes_and_ranges():
    items, labels = _items()
    images, masks = compose_scenes(items, labels, 200, size=64, seed=3)
    assert images.shape == (200, 64, 64, 1) and images.dtype == np.uint8
    assert masks.shape == (200, 64, 64) and masks.dtype == np.uint8
    assert masks.max() <= 10
    assert set(np.unique(masks)) <= set(range(11))
    # an image pixel is nonzero exactly where the mask is
    np.testing.assert_array_equal(images[..., 0] > 0, masks > 0)


def test_one_to_four_items_and_top_item_wins():
    items, labels = _items()
    images, masks = compose_scenes(items, labels, 300, seed=1)
    visible = [len(np.unique(m)) - 1 for m in masks]
    assert min(visible) >= 1 and max(visible) <= 4
    assert set(visible) == {1, 2, 3, 4}
    # occlusion: a single item of class k on top leaves only its label in its window
    items = np.zeros((2, 28, 28), np.uint8)
    items[:, 4:24, 4:24] = 200
    _, masks = compose_scenes(items, np.array([2, 7]), 400, size=28, seed=0)
    # at size 28 every item covers the same window; the last one pasted decides
    assert set(np.unique(masks)) <= {0, 3, 8}
    assert (masks[:, 4:24, 4:24] > 0).all()


def test_deterministic_and_seeded():
    items, labels = _items()
    a = compose_scenes(items, labels, 30, seed=5)
    b = compose_scenes(items, labels, 30, seed=5)
    c = compose_scenes(items, labels, 30, seed=6)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[1], c[1])


def test_load_uses_split_items_seeds_and_cache(fake_dir, tmp_path):
    train = load_fashion_scenes("train", data_dir=fake_dir, num_images=40)
    test = load_fashion_scenes("test", data_dir=fake_dir, num_images=40)
    assert train[0].shape == (40, 64, 64, 1)
    assert not np.array_equal(train[1], test[1])
    cached = sorted(os.listdir(tmp_path / "cache"))
    assert len(cached) == 2 and all(n.endswith(".npz") for n in cached)
    again = load_fashion_scenes("train", data_dir=fake_dir, num_images=40)
    np.testing.assert_array_equal(again[0], train[0])
    np.testing.assert_array_equal(again[1], train[1])
    # the cache is keyed by the arguments: another seed is another file and other scenes
    other = load_fashion_scenes("train", data_dir=fake_dir, num_images=40, seed=9)
    assert not np.array_equal(other[1], train[1])
    assert len(os.listdir(tmp_path / "cache")) == 3
    # a corrupt cache file is regenerated, not trusted
    path = tmp_path / "cache" / cached[-1]
    path.write_bytes(b"garbage")
    np.testing.assert_array_equal(load_fashion_scenes("train", data_dir=fake_dir,
                                                      num_images=40)[1], train[1])


def test_items_come_from_the_split(fake_dir):
    # fake class c is a bright bar at rows 2c+2..2c+5 of the item: check the mask labels
    # only classes present in that split's labels
    for split in ("train", "test"):
        labels = load_arrays("fashion_mnist", split, data_dir=fake_dir)[1]
        _, masks = load_fashion_scenes(split, data_dir=fake_dir, num_images=60)
        assert set(np.unique(masks)) - {0} <= set(labels + 1)


def test_through_load_arrays_and_info(fake_dir):
    images, masks = load_arrays("fashion_scenes", "test", data_dir=fake_dir, limit=7)
    assert images.shape == (7, 64, 64, 1) and masks.shape == (7, 64, 64)
    info = dataset_info("fashion_scenes")
    assert info.num_classes == 11 and info.class_names[0] == "background"
    assert info.class_names[1] == "T-shirt/top" and len(info.class_names) == 11


def test_bad_arguments(fake_dir):
    with pytest.raises(ValueError, match="`split` must be one of"):
        load_fashion_scenes("val", data_dir=fake_dir)
    with pytest.raises(ValueError, match="`size` must be >= 28. Received: size=20"):
        load_fashion_scenes("train", data_dir=fake_dir, size=20)
    with pytest.raises(ValueError, match="`num_images` must be >= 1"):
        load_fashion_scenes("train", data_dir=fake_dir, num_images=0)
    with pytest.raises(TypeError, match="`seed` must be an integer"):
        load_fashion_scenes("train", data_dir=fake_dir, seed=1.5)


def test_train_images_option_grows_only_the_train_split(fake_dir):
    train = load_arrays("fashion_scenes", "train", data_dir=fake_dir,
                        options={"train_images": 75})
    test = load_arrays("fashion_scenes", "test", data_dir=fake_dir,
                       options={"train_images": 75})
    assert len(train[0]) == 75 and len(test[0]) == 1000
    # the same scenes as asking the generator directly
    np.testing.assert_array_equal(train[1], load_fashion_scenes(
        "train", data_dir=fake_dir, num_images=75)[1])


def test_dataset_options_refused_with_what_is_taken(fake_dir):
    with pytest.raises(ValueError, match=r"'fashion_scenes' does not take option\(s\) "
                                         r"'scenes'\. It takes: train_images\."):
        load_arrays("fashion_scenes", "train", data_dir=fake_dir, options={"scenes": 9})
    with pytest.raises(ValueError, match="'fashion_mnist' does not take .* its size is fixed"):
        load_arrays("fashion_mnist", "train", data_dir=fake_dir, options={"train_images": 9})
    with pytest.raises(ValueError, match=r"`dataset_options\['train_images'\]` must be >= 1"):
        load_arrays("fashion_scenes", "train", data_dir=fake_dir, options={"train_images": 0})
