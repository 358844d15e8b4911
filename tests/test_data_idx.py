"""keras_resnets.data.idx: reading (Fashion-)MNIST IDX files, plain and gzipped."""

import gzip

import numpy as np
import pytest
from fakes import idx_bytes, write_idx

from keras_resnets.data import IDXError, read_idx


@pytest.mark.parametrize("name", ["images-idx3-ubyte", "images-idx3-ubyte.gz"])
def test_round_trip_uint8(tmp_path, name):
    array = np.random.default_rng(0).integers(0, 256, (5, 28, 28)).astype(np.uint8)
    got = read_idx(write_idx(tmp_path / name, array))
    assert got.dtype == np.uint8 and got.shape == (5, 28, 28)
    np.testing.assert_array_equal(got, array)


@pytest.mark.parametrize("dtype", [">i2", ">i4", ">f4", ">f8", np.int8])
def test_round_trip_big_endian_types_come_back_native(tmp_path, dtype):
    array = np.arange(-6, 6).reshape(3, 4).astype(dtype)
    got = read_idx(write_idx(tmp_path / "x.idx", array))
    assert got.dtype.isnative
    np.testing.assert_array_equal(got, array)


def test_labels_one_dimensional(tmp_path):
    labels = np.array([3, 1, 4, 1, 5], np.uint8)
    np.testing.assert_array_equal(read_idx(write_idx(tmp_path / "l.gz", labels)), labels)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="IDX file not found"):
        read_idx(tmp_path / "nope-idx1-ubyte")


def test_truncated_data_names_sizes(tmp_path):
    data = idx_bytes(np.zeros((4, 3, 3), np.uint8))
    path = tmp_path / "cut"
    path.write_bytes(data[:-5])
    with pytest.raises(IDXError, match=r"shape \(4, 3, 3\) \(36 bytes of data\).*31 bytes.*truncated"):
        read_idx(path)


def test_too_long_is_refused(tmp_path):
    path = tmp_path / "long"
    path.write_bytes(idx_bytes(np.zeros((2, 2), np.uint8)) + b"\0")
    with pytest.raises(IDXError, match="holds 5 bytes"):
        read_idx(path)


def test_truncated_gzip_archive(tmp_path):
    path = tmp_path / "cut.gz"
    path.write_bytes(gzip.compress(idx_bytes(np.ones((50, 28, 28), np.uint8)))[:-30])
    with pytest.raises(IDXError, match="cannot be read as gzip.*download it again"):
        read_idx(path)


def test_not_gzip_despite_suffix(tmp_path):
    path = tmp_path / "plain.gz"
    path.write_bytes(idx_bytes(np.ones((2, 2), np.uint8)))
    with pytest.raises(IDXError, match="gzip"):
        read_idx(path)


@pytest.mark.parametrize("head", [b"\x01\x00\x08\x01", b"\x00\x00\x07\x01", b"PK", b""])
def test_bad_magic(tmp_path, head):
    path = tmp_path / "bad"
    path.write_bytes(head + b"\x00\x00\x00\x01\x00")
    with pytest.raises(IDXError, match="not an IDX file"):
        read_idx(path)


def test_truncated_header(tmp_path):
    path = tmp_path / "hdr"
    path.write_bytes(b"\x00\x00\x08\x03\x00\x00\x00\x02")
    with pytest.raises(IDXError, match="truncated IDX header"):
        read_idx(path)


def test_zero_dimensions_refused(tmp_path):
    path = tmp_path / "zero"
    path.write_bytes(b"\x00\x00\x08\x00")
    with pytest.raises(IDXError, match="truncated IDX header"):
        read_idx(path)


def test_idx_error_is_a_value_error():
    assert issubclass(IDXError, ValueError)
