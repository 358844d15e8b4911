"""keras_resnets.data.sources and load_arrays: where (Fashion-)MNIST IDX files are found."""

import os

import numpy as np
import pytest
from fakes import fake_mnist_arrays, write_fake_mnist, write_idx

from keras_resnets.data import IDXError, load_arrays, sources


@pytest.fixture
def no_env(monkeypatch, tmp_path):
    monkeypatch.delenv("KERAS_RESNETS_FASHION_MNIST", raising=False)
    monkeypatch.delenv("KERAS_RESNETS_MNIST", raising=False)
    monkeypatch.setattr(sources, "DEBIAN_FASHION_MNIST", str(tmp_path / "no-debian"))


def test_search_order(monkeypatch, tmp_path, no_env):
    monkeypatch.setenv("KERAS_RESNETS_FASHION_MNIST", "/env")
    monkeypatch.setattr(sources, "DEBIAN_FASHION_MNIST", "/deb")
    assert sources.idx_directories("fashion_mnist", "/explicit") == ["/explicit", "/env", "/deb"]
    assert sources.idx_directories("fashion_mnist") == ["/env", "/deb"]
    monkeypatch.setenv("KERAS_RESNETS_MNIST", "/menv")
    assert sources.idx_directories("mnist") == ["/menv"]  # no Debian package for MNIST


def test_explicit_data_dir_wins(tmp_path, monkeypatch, no_env):
    explicit = write_fake_mnist(tmp_path / "explicit", n_train=12, n_test=5)
    env = write_fake_mnist(tmp_path / "env", n_train=7, n_test=3)
    monkeypatch.setenv("KERAS_RESNETS_FASHION_MNIST", env)
    images, labels = load_arrays("fashion_mnist", "train", data_dir=explicit)
    assert images.shape == (12, 28, 28, 1) and images.dtype == np.uint8
    assert labels.shape == (12,) and labels.dtype == np.int64
    np.testing.assert_array_equal(images[..., 0], fake_mnist_arrays(12, 0)[0])
    assert len(load_arrays("fashion_mnist", "test", data_dir=explicit)[0]) == 5
    assert len(load_arrays("fashion_mnist", "test")[0]) == 3  # then the environment


def test_env_before_debian(tmp_path, monkeypatch, no_env):
    env = write_fake_mnist(tmp_path / "env", n_train=7, n_test=3, gz=False)  # plain files too
    deb = write_fake_mnist(tmp_path / "deb", n_train=9, n_test=4)
    monkeypatch.setattr(sources, "DEBIAN_FASHION_MNIST", deb)
    assert len(load_arrays("fashion_mnist", "train")[0]) == 9
    monkeypatch.setenv("KERAS_RESNETS_FASHION_MNIST", env)
    assert len(load_arrays("fashion_mnist", "train")[0]) == 7
    monkeypatch.setenv("KERAS_RESNETS_MNIST", env)
    assert len(load_arrays("mnist", "test", limit=2)[0]) == 2


def test_env_dir_without_files_falls_through(tmp_path, monkeypatch, no_env):
    empty = tmp_path / "empty"
    empty.mkdir()
    deb = write_fake_mnist(tmp_path / "deb", n_train=9, n_test=4)
    monkeypatch.setenv("KERAS_RESNETS_FASHION_MNIST", str(empty))
    monkeypatch.setattr(sources, "DEBIAN_FASHION_MNIST", deb)
    assert len(load_arrays("fashion_mnist", "test")[0]) == 4


def test_data_dir_not_a_directory(tmp_path, no_env):
    with pytest.raises(FileNotFoundError, match=r"`data_dir` is not a directory.*nowhere"):
        load_arrays("fashion_mnist", "train", data_dir=str(tmp_path / "nowhere"))


def test_data_dir_without_files(tmp_path, no_env):
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(b"")
    with pytest.raises(FileNotFoundError, match=r"does not hold train-images.*train-labels-idx1-ubyte"):
        load_arrays("fashion_mnist", "train", data_dir=str(tmp_path))


def test_corrupt_file_in_data_dir(tmp_path, no_env):
    d = write_fake_mnist(tmp_path / "d", n_train=6, n_test=2)
    path = os.path.join(d, "train-images-idx3-ubyte.gz")
    with open(path, "r+b") as f:
        f.truncate(40)
    with pytest.raises(IDXError, match="train-images-idx3-ubyte.gz"):
        load_arrays("fashion_mnist", "train", data_dir=d)


def test_images_and_labels_must_fit(tmp_path, no_env):
    d = tmp_path / "d"
    d.mkdir()
    write_idx(d / "t10k-images-idx3-ubyte", np.zeros((4, 28, 28), np.uint8))
    write_idx(d / "t10k-labels-idx1-ubyte", np.zeros((3,), np.uint8))
    with pytest.raises(ValueError, match=r"do not fit together.*\(4, 28, 28\).*\(3,\)"):
        load_arrays("fashion_mnist", "test", data_dir=str(d))


def test_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="`dataset` must be one of.*fashion_mnist.*nosuch"):
        load_arrays("nosuch")
    with pytest.raises(ValueError, match="`split` must be one of 'train', 'test'. Received: split='val'"):
        load_arrays("mnist", "val")
    with pytest.raises(ValueError, match="`limit` must be >= 1"):
        load_arrays("mnist", "test", limit=0)
