"""Atomic writes: a file is either its old version or its complete new one, never a
truncated mix, whenever the process is killed."""

import json
import os
import tempfile


def _replace_from_temp(path, write):
    directory = os.path.dirname(os.path.abspath(path)) or "."
    os.makedirs(directory, exist_ok=True)
    suffix = os.path.splitext(path)[1]
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=suffix, dir=directory)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual mode
    try:
        write(tmp)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    return path


def write_json(path, data):
    def write(tmp):
        with open(tmp, "w") as f:
            json.dump(data, f, indent=2, sort_keys=True, default=_to_builtin)
            f.write("\n")

    return _replace_from_temp(path, write)


def write_text(path, text):
    def write(tmp):
        with open(tmp, "w") as f:
            f.write(text)

    return _replace_from_temp(path, write)


def write_bytes(path, data):
    def write(tmp):
        with open(tmp, "wb") as f:
            f.write(data)

    return _replace_from_temp(path, write)


def save_model(model, path):
    """``model.save(path)`` (a `.keras` file), atomically."""
    return _replace_from_temp(path, model.save)


def read_json(path):
    with open(path) as f:
        return json.load(f)


def _to_builtin(value):
    if hasattr(value, "item"):
        return value.item()
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"not JSON serializable: {type(value).__name__}")
