"""Reader of the IDX files of MNIST and Fashion-MNIST (LeCun et al.), plain or gzipped."""

import gzip
import os

import numpy as np

_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


class IDXError(ValueError):
    """An IDX file that is truncated, corrupt or not an IDX file."""


def read_idx(path):
    """Returns the array stored in the IDX file ``path`` (``.gz`` is decompressed).

    Raises:
        FileNotFoundError: no such file.
        IDXError: bad magic number, unknown type, or a size that does not match the header
            (a truncated download, for instance).
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"IDX file not found: {path}")
    try:
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rb") as f:
            raw = f.read()
    except (OSError, EOFError) as err:  # gzip raises these on truncated/corrupt archives
        raise IDXError(f"{path}: cannot be read as {'gzip' if path.endswith('.gz') else 'a file'}"
                       f" ({err}); the file is corrupt or truncated, download it again") from err
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _DTYPES:
        raise IDXError(f"{path}: not an IDX file (bad magic number {raw[:4]!r})")
    ndim = raw[3]
    header = 4 + 4 * ndim
    if ndim == 0 or len(raw) < header:
        raise IDXError(f"{path}: truncated IDX header")
    shape = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    dtype = np.dtype(_DTYPES[raw[2]])
    expected = int(np.prod(shape)) * dtype.itemsize
    if len(raw) - header != expected:
        raise IDXError(
            f"{path}: IDX header says shape {shape} ({expected} bytes of data) but the file "
            f"holds {len(raw) - header} bytes; it is truncated or corrupt, download it again"
        )
    return np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))
