"""Atomic writes: a file is either its old version or its complete new one, never a
truncated mix, whenever the process is killed."""

import contextlib
import json
import os
import re
import tempfile

TEMP_PREFIX = ".tmp-"
# ".tmp-<pid>-<random><suffix>": the writer's PID tells a dead writer's leftover apart
_TEMP_NAME = re.compile(r"^\.tmp-(\d+)-")


@contextlib.contextmanager
def atomic_file(path):
    """Yields a temporary path next to ``path``; when the block ends without an exception,
    the file written there is synced and renamed over ``path``; on any exception (or
    KeyboardInterrupt) it is deleted and ``path`` keeps its old content.

    The temporary name, ``.tmp-<pid>-...``, holds the writer's PID: a process killed
    mid-write (SIGKILL runs no clean-up) leaves it behind, and the next atomic write in the
    same directory deletes it (`remove_stale_temps`).

        with atomic_file("out/model.tflite") as tmp:
            converter_writes(tmp)
    """
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path)) or "."
    os.makedirs(directory, exist_ok=True)
    remove_stale_temps(directory)
    suffix = os.path.splitext(path)[1]
    fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=suffix,
                               dir=directory)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual mode
    try:
        yield tmp
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def remove_stale_temps(directory):
    """Deletes the temporary files of `atomic_file` in ``directory`` whose writer is no
    longer running on this machine; returns their names."""
    removed = []
    try:
        names = os.listdir(directory)
    except OSError:
        return removed
    for name in names:
        match = _TEMP_NAME.match(name)
        if match and not _running(int(match.group(1))):
            try:
                os.remove(os.path.join(directory, name))
                removed.append(name)
            except OSError:
                pass  # gone already, or not ours to delete
    return removed


def _running(pid):
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's live process
    return True


def _replace_from_temp(path, write):
    with atomic_file(path) as tmp:
        write(tmp)
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


def load_model(path, compile=True):
    """The Keras model in the `.keras` file ``path`` (loaded with ``safe_mode``), compiled
    as saved unless ``compile=False``. Files saved by earlier versions of the library,
    which hold its `ZeroPadChannels` layer, load too.

    Raises:
        FileNotFoundError: no such file.
        ValueError: a file that is not a complete `.keras` archive (truncated, corrupt or
            another format), or whose model cannot be rebuilt; the message names the file.
    """
    import zipfile

    import keras

    from keras_resnets import layers  # noqa: F401  (registers ZeroPadChannels, in older files)

    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"No model file at {path}")
    if not zipfile.is_zipfile(path):
        raise ValueError(f"{path} is not a complete .keras file (truncated, corrupt or another "
                         f"format)")
    try:
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as err:
        raise ValueError(f"{path} is a corrupt .keras file ({err})") from None
    if bad is not None:
        raise ValueError(f"{path} is a corrupt .keras file (its entry {bad} fails its "
                         f"checksum)")
    try:
        return keras.models.load_model(path, compile=compile, safe_mode=True)
    except Exception as err:  # deserialization errors of many types
        reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise ValueError(f"{path}: cannot load the Keras model ({reason})") from None


def read_json(path):
    with open(path) as f:
        return json.load(f)


def _to_builtin(value):
    if hasattr(value, "item"):
        return value.item()
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"not JSON serializable: {type(value).__name__}")
