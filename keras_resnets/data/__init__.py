"""Datasets and tf.data pipelines.

    images, labels = keras_resnets.data.load_arrays("fashion_mnist", "train")

Classification sets: fashion_mnist, mnist, cifar10, cifar100. Segmentation sets:
fashion_scenes (made here from Fashion-MNIST), oxford_iiit_pet.
"""

from keras_resnets.data.datasets import (
    CLASSIFICATION,
    SEGMENTATION,
    DatasetInfo,
    dataset_info,
    list_datasets,
    load_arrays,
)
from keras_resnets.data.idx import IDXError, read_idx
from keras_resnets.data.pipeline import make_dataset, split_validation
from keras_resnets.data.sources import FASHION_MNIST_CLASSES
from keras_resnets.data.tfds_source import DatasetUnavailable
