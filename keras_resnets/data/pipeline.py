"""tf.data input pipelines: shuffle, augmentation (pad-and-random-crop, horizontal flip;
for segmentation the same geometric transform on image and mask), cache and prefetch.

Pixels stay raw uint8 values here; scaling lives inside the model (its Rescaling layer),
so that saved and exported models take raw pixels.
"""

import os

import numpy as np

from keras_resnets.validation import check_bool, check_float, check_int


def split_validation(images, targets, fraction, seed=0):
    """Splits off a random ``fraction`` of the examples as a validation set:
    returns ``(train_images, train_targets), (val_images, val_targets)``."""
    fraction = check_float("validation_split", fraction, low=0.0, high=0.5)
    if fraction == 0:
        return (images, targets), (images[:0], targets[:0])
    order = np.random.default_rng(seed).permutation(len(images))
    cut = int(round(len(images) * (1 - fraction)))
    train, val = order[:cut], order[cut:]
    return (images[train], targets[train]), (images[val], targets[val])


# zero padding before the random crop: the 4 pixels of He et al. 2015's CIFAR recipe
PAD = 4


def make_dataset(images, targets, batch_size, training=False, augment=None, hflip=True,
                 pad=PAD, seed=None, deterministic=False, cache=True, drop_remainder=None):
    """A batched ``tf.data.Dataset`` of ``(image, target)`` pairs.

    Args:
        images: uint8 array (N, H, W, C). targets: labels (N,) or masks (N, H, W).
        batch_size: global batch size.
        training: shuffle every epoch, augment (unless ``augment=False``) and drop the last
            partial batch.
        augment: random crop after zero-padding by ``pad`` pixels, and horizontal flips
            when ``hflip``; masks (targets with 3 dimensions) get the same transform.
        seed: seeds shuffling and augmentation; with ``deterministic`` the order of
            elements is fixed too, so two runs give the same batches.
        cache: keep the decoded dataset in memory after the first epoch.
    """
    import tensorflow as tf

    check_int("batch_size", batch_size, minimum=1)
    check_bool("training", training)
    check_bool("deterministic", deterministic)
    check_int("pad", pad, minimum=0)
    if len(images) != len(targets):
        raise ValueError(f"images and targets differ in length: {len(images)} vs {len(targets)}")
    if len(images) == 0:
        raise ValueError("cannot make a dataset from zero examples")
    augment = training if augment is None else augment
    segmentation = np.ndim(targets) == 3
    height, width = images.shape[1:3]

    ds = tf.data.Dataset.from_tensor_slices((images, targets))
    if cache:
        ds = ds.cache()
    if training:
        ds = ds.shuffle(min(len(images), 50_000), seed=seed, reshuffle_each_iteration=True)
    if augment:
        rng = tf.random.Generator.from_seed(0 if seed is None else seed)

        def transform(image, target):
            seeds = rng.make_seeds(2)
            return _augment(image, target, seeds, segmentation, hflip, pad, height, width)

        ds = ds.map(transform, num_parallel_calls=1 if deterministic else os.cpu_count() or 1,
                    deterministic=deterministic)
    drop = training if drop_remainder is None else drop_remainder
    ds = ds.batch(batch_size, drop_remainder=drop)
    options = tf.data.Options()
    options.deterministic = deterministic
    # The autotuner wakes on a period that doubles from 10 ms, and a dataset iterator being
    # destroyed waits for its next wake-up: every `fit` / `evaluate` ended on the next
    # 2.56 / 5.12 / 10.24 s boundary (measured, 2-core CPU). Fixed parallelism avoids it.
    options.autotune.enabled = False
    return ds.with_options(options).prefetch(2)


def _augment(image, target, seeds, segmentation, hflip, pad, height, width):
    import tensorflow as tf

    if segmentation:
        stacked = tf.concat([image, tf.cast(target[..., None], image.dtype)], axis=-1)
    else:
        stacked = image
    if pad:
        stacked = tf.pad(stacked, [[pad, pad], [pad, pad], [0, 0]])
        stacked = tf.image.stateless_random_crop(
            stacked, (height, width, stacked.shape[-1]), seed=seeds[:, 0])
    if hflip:
        stacked = tf.image.stateless_random_flip_left_right(stacked, seed=seeds[:, 1])
    if segmentation:
        return stacked[..., :-1], tf.cast(stacked[..., -1], target.dtype)
    return stacked, target
