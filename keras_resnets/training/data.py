"""Data preparation of a training run: the splits of a `TrainConfig`'s dataset as the
`tf.data` pipelines that `train` (and the training benchmark) feed the model."""

import dataclasses

from keras_resnets.data import load_arrays, make_dataset, split_validation


@dataclasses.dataclass
class TrainingData:
    """The datasets of one run: ``train`` (shuffled, augmented, whole batches only),
    ``validation`` (None when ``validation_split`` is 0) and ``test``, batches of
    ``(images, targets)``; targets one-hot with label smoothing."""

    train: object
    validation: object
    test: object
    train_examples: int
    test_examples: int
    steps_per_epoch: int


def load_splits(config, info):
    """(train, validation, test) as (images, targets) NumPy pairs."""
    images, targets = load_arrays(config.dataset, "train", data_dir=config.data_dir,
                                  options=config.dataset_options)
    train, val = split_validation(images, targets, config.validation_split, seed=config.seed)
    if config.limit_train:
        train = (train[0][:config.limit_train], train[1][:config.limit_train])
    test = load_arrays(config.dataset, "test", data_dir=config.data_dir,
                       limit=config.limit_test)
    return train, val, test


def training_datasets(config, info, train, validation=None, test=None):
    """`TrainingData` of ``(images, targets)`` arrays: ``train`` and, when given,
    ``validation`` and ``test`` (empty arrays count as absent).

    Raises:
        ValueError: the training set holds fewer examples than one batch.
    """
    if len(train[0]) < config.batch_size:
        raise ValueError(
            f"The training set has {len(train[0])} examples, fewer than one batch "
            f"of {config.batch_size}"
        )
    common = dict(batch_size=config.batch_size, seed=config.seed,
                  deterministic=config.deterministic, hflip=info.hflip)
    one_hot = bool(config.label_smoothing) and info.task == "classification"

    def dataset(arrays, **options):
        if arrays is None or not len(arrays[0]):
            return None
        ds = make_dataset(*arrays, **options, **common)
        return ds.map(lambda x, y: _one_hot(x, y, info.num_classes)) if one_hot else ds

    return TrainingData(
        train=dataset(train, training=True, augment=config.augment),
        validation=dataset(validation),
        test=dataset(test),
        train_examples=len(train[0]),
        test_examples=len(test[0]) if test is not None else 0,
        steps_per_epoch=len(train[0]) // config.batch_size,
    )


def prepare_data(config, info):
    """The `TrainingData` of ``config``: its dataset loaded and split (`load_splits`)."""
    return training_datasets(config, info, *load_splits(config, info))


def _one_hot(images, targets, classes):
    import tensorflow as tf

    return images, tf.one_hot(targets, classes)


__all__ = ["TrainingData", "load_splits", "training_datasets", "prepare_data"]
