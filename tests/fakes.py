"""Small fake datasets for the data and training tests (IDX files written in a tmp dir),
the tiny Fashion-MNIST classifier and samples of the export tests, and child processes that a
failing test cannot leave behind."""

import contextlib
import gzip
import os
import subprocess

import numpy as np

IDX_TYPES = {np.dtype(np.uint8): 0x08, np.dtype(np.int8): 0x09, np.dtype(">i2"): 0x0B,
             np.dtype(">i4"): 0x0C, np.dtype(">f4"): 0x0D, np.dtype(">f8"): 0x0E}


def idx_bytes(array):
    array = np.asarray(array)
    if array.dtype.itemsize > 1:
        array = array.astype(array.dtype.newbyteorder(">"))
    header = bytes([0, 0, IDX_TYPES[array.dtype], array.ndim])
    header += b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    return header + array.tobytes()


def write_idx(path, array):
    data = idx_bytes(array)
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "wb") as f:
        f.write(data)
    return path


def fake_mnist_arrays(n, seed=0, classes=10):
    """Learnable 28x28 images: class c is a bright horizontal bar at rows 2c..2c+3."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, classes, n).astype(np.uint8)
    images = rng.integers(0, 40, (n, 28, 28)).astype(np.uint8)
    for i, c in enumerate(labels):
        images[i, 2 * c + 2: 2 * c + 6, 4:24] = 220
    return images, labels


def write_fake_mnist(directory, n_train=320, n_test=64, gz=True, seed=0):
    """The four (Fashion-)MNIST IDX files of a small fake set in ``directory``."""
    os.makedirs(directory, exist_ok=True)
    ext = ".gz" if gz else ""
    for stem, n, s in (("train", n_train, seed), ("t10k", n_test, seed + 1)):
        images, labels = fake_mnist_arrays(n, s)
        write_idx(os.path.join(directory, f"{stem}-images-idx3-ubyte{ext}"), images)
        write_idx(os.path.join(directory, f"{stem}-labels-idx1-ubyte{ext}"), labels)
    return str(directory)


TINY_OPTIONS = {"depth": 8, "width": 0.25}  # resnet20's builder as a 1-block-per-stage ResNet-8


def tiny_fashion_classifier(**options):
    """A CIFAR ResNet-8 (option A shortcuts, as resnet20) for Fashion-MNIST: 28x28x1 uint8
    images in, with its preprocessing, 10 classes out; ``options`` go to the builder."""
    import keras_resnets

    return keras_resnets.CifarResNet(depth=8, input_shape=(28, 28, 1), classes=10,
                                     include_preprocessing=True, **options)


def fashion_samples(test, train):
    """``(images, labels, class_names, calibration)``: the first ``test`` Fashion-MNIST test
    images and their labels, and the first ``train`` training images (int8 calibration)."""
    from keras_resnets.lite.samples import load_samples

    images, labels, names = load_samples("fashion_mnist", "test", limit=test)
    calibration, _, _ = load_samples("fashion_mnist", "train", limit=train)
    return images, labels, names, calibration


@contextlib.contextmanager
def child_process(command, **popen_kwargs):
    """``subprocess.Popen(command, **popen_kwargs)``, killed if it still runs when the block
    ends (a failed assertion included), its pipes closed."""
    proc = subprocess.Popen(command, **popen_kwargs)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for pipe in (proc.stdin, proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()
