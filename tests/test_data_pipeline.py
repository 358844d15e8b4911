"""keras_resnets.data.pipeline: tf.data pipelines, validation split, augmentation."""

import numpy as np
import pytest

from keras_resnets.data import make_dataset, split_validation


def _classification(n=20, size=8):
    rng = np.random.default_rng(0)
    return (rng.integers(0, 256, (n, size, size, 3)).astype(np.uint8),
            rng.integers(0, 10, n).astype(np.int64))


def _batches(ds):
    return [(x.numpy(), y.numpy()) for x, y in ds]


def test_shapes_dtypes_and_batches():
    images, labels = _classification(20)
    batches = _batches(make_dataset(images, labels, batch_size=8))
    assert [len(x) for x, _ in batches] == [8, 8, 4]  # evaluation keeps the remainder
    x, y = batches[0]
    assert x.dtype == np.uint8 and x.shape == (8, 8, 8, 3) and y.dtype == np.int64
    np.testing.assert_array_equal(np.concatenate([b[0] for b in batches]), images)
    train = _batches(make_dataset(images, labels, batch_size=8, training=True))
    assert [len(x) for x, _ in train] == [8, 8]  # training drops the partial batch
    assert train[0][0].shape == (8, 8, 8, 3)


def test_deterministic_with_a_seed():
    images, labels = _classification(32)
    kwargs = dict(batch_size=8, training=True, seed=3, deterministic=True)
    a = _batches(make_dataset(images, labels, **kwargs))
    b = _batches(make_dataset(images, labels, **kwargs))
    for (xa, ya), (xb, yb) in zip(a, b):
        np.testing.assert_array_equal(xa, xb)
        np.testing.assert_array_equal(ya, yb)
    c = _batches(make_dataset(images, labels, **dict(kwargs, seed=4)))
    assert not all(np.array_equal(x, y) for (x, _), (y, _) in zip(a, c))


def test_shuffle_changes_between_epochs():
    images, labels = _classification(32)
    ds = make_dataset(images, labels, batch_size=32, training=True, augment=False, seed=1,
                      deterministic=True)
    first, second = _batches(ds)[0][1], _batches(ds)[0][1]
    assert sorted(first) == sorted(second) == sorted(labels)
    assert not np.array_equal(first, second)


def test_augmentation_moves_pixels_of_classification_images():
    images, labels = _classification(16)
    (x, y), = _batches(make_dataset(images, labels, batch_size=16, training=False,
                                    augment=True, seed=0, deterministic=True))
    np.testing.assert_array_equal(y, labels)  # not shuffled: training=False
    assert x.shape == images.shape and not np.array_equal(x, images)


@pytest.mark.parametrize("hflip", [True, False])
def test_augmentation_keeps_masks_aligned(hflip):
    rng = np.random.default_rng(1)
    masks = rng.integers(0, 11, (24, 16, 16)).astype(np.uint8)
    images = (masks * 20 + 10)[..., None].astype(np.uint8)  # a pixel encodes its mask value
    ds = make_dataset(images, masks, batch_size=8, training=True, augment=True, hflip=hflip,
                      pad=4, seed=7, deterministic=True)
    moved = 0
    for x, m in _batches(ds):
        assert x.shape == (8, 16, 16, 1) and m.shape == (8, 16, 16) and m.dtype == np.uint8
        x = x[..., 0].astype(int)
        padding = x == 0
        assert (m[padding] == 0).all()
        np.testing.assert_array_equal(m[~padding], (x[~padding] - 10) // 20)
        moved += int(padding.any())
    assert moved  # the crops did shift some images


def test_no_autotuner_so_iterators_close_at_once():
    # An autotuned iterator's teardown waited for the autotuner's next wake-up (seconds).
    images, labels = _classification(20)
    for training in (False, True):
        options = make_dataset(images, labels, 4, training=training).options()
        assert options.autotune.enabled is False


def test_split_validation():
    images, labels = _classification(20)
    (tx, ty), (vx, vy) = split_validation(images, labels, 0.25, seed=0)
    assert len(tx) == 15 and len(vx) == 5
    seen = {x.tobytes() for x in np.concatenate([tx, vx])}
    assert seen == {x.tobytes() for x in images}
    (tx2, _), _ = split_validation(images, labels, 0.25, seed=0)
    np.testing.assert_array_equal(tx, tx2)
    (_, _), (vx0, _) = split_validation(images, labels, 0.0)
    assert len(vx0) == 0
    with pytest.raises(ValueError, match=r"`validation_split` must be in \[0.0, 0.5\]"):
        split_validation(images, labels, 0.7)


def test_bad_arguments():
    images, labels = _classification(4)
    with pytest.raises(ValueError, match="differ in length: 4 vs 3"):
        make_dataset(images, labels[:3], batch_size=2)
    with pytest.raises(ValueError, match="zero examples"):
        make_dataset(images[:0], labels[:0], batch_size=2)
    with pytest.raises(ValueError, match="`batch_size` must be >= 1. Received: batch_size=0"):
        make_dataset(images, labels, batch_size=0)
    with pytest.raises(TypeError, match="`deterministic` must be True or False"):
        make_dataset(images, labels, batch_size=2, deterministic=1)
