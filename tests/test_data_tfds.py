"""keras_resnets.data.tfds_source: datasets through tensorflow-datasets (mocked here: no
network), and the message when a dataset can be neither found nor downloaded."""

import numpy as np
import pytest

from keras_resnets.data import DatasetUnavailable, load_arrays, sources

tfds = pytest.importorskip("tensorflow_datasets")


@pytest.fixture
def no_local(monkeypatch, tmp_path):
    monkeypatch.delenv("KERAS_RESNETS_FASHION_MNIST", raising=False)
    monkeypatch.delenv("KERAS_RESNETS_MNIST", raising=False)
    monkeypatch.setattr(sources, "DEBIAN_FASHION_MNIST", str(tmp_path / "no-debian"))


@pytest.mark.parametrize("name, shape", [("cifar10", (32, 32, 3)), ("mnist", (28, 28, 1))])
def test_mocked_tfds(no_local, name, shape):
    with tfds.testing.mock_data(num_examples=6):
        images, labels = load_arrays(name, "train", limit=4)
    assert images.shape == (4,) + shape and images.dtype == np.uint8
    assert labels.shape == (4,) and labels.dtype == np.int64
    assert labels.min() >= 0 and labels.max() < 10


def _offline(*args, **kwargs):
    raise ConnectionError("no route to host")


def test_unavailable_message(no_local, monkeypatch):
    monkeypatch.setattr(tfds, "load", _offline)
    with pytest.raises(DatasetUnavailable) as info:
        load_arrays("cifar10", "test")
    message = str(info.value)
    assert "'cifar10' is not available" in message
    assert "ConnectionError: no route to host" in message
    assert "tfds.load('cifar10')" in message and "data_dir" in message
    assert isinstance(info.value.__cause__, ConnectionError)


def test_unavailable_fashion_mnist_says_where_to_put_files(no_local, monkeypatch):
    monkeypatch.setattr(tfds, "load", _offline)
    with pytest.raises(DatasetUnavailable, match="KERAS_RESNETS_FASHION_MNIST.*dataset-fashion-mnist"):
        load_arrays("fashion_mnist", "train")
    with pytest.raises(DatasetUnavailable, match=r"KERAS_RESNETS_MNIST\.$"):
        load_arrays("mnist", "train")
