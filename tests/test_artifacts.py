"""keras_resnets.artifacts: atomic writes, the clean-up of a killed writer's temporary file,
and loading `.keras` files with one-line errors."""

import os
import signal
import subprocess
import sys

import pytest
from fakes import child_process

from keras_resnets import artifacts

ARTIFACTS_PY = os.path.abspath(artifacts.__file__)


def test_atomic_file_replaces_or_keeps(tmp_path):
    path = tmp_path / "model.tflite"
    path.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with artifacts.atomic_file(path) as tmp:
            assert os.path.basename(tmp).startswith(f".tmp-{os.getpid()}-")
            with open(tmp, "wb") as f:
                f.write(b"half")
            raise RuntimeError("converter crashed")
    assert path.read_bytes() == b"old" and os.listdir(tmp_path) == ["model.tflite"]
    with artifacts.atomic_file(path) as tmp:
        with open(tmp, "wb") as f:
            f.write(b"new")
    assert path.read_bytes() == b"new" and os.listdir(tmp_path) == ["model.tflite"]


def test_killed_export_leaves_nothing_behind(tmp_path):
    """An export killed mid-write (SIGKILL: no clean-up runs) leaves its temporary file;
    the next write into the folder removes it, and nobody else's."""
    out = tmp_path / "exported"
    # artifacts.py alone (not the package, which imports Keras): a writer that stops
    # half-way through the file, as a converter would when killed
    with child_process([sys.executable, "-c", f"""
import importlib.util, time
spec = importlib.util.spec_from_file_location("artifacts", {ARTIFACTS_PY!r})
artifacts = importlib.util.module_from_spec(spec)
spec.loader.exec_module(artifacts)
with artifacts.atomic_file({str(out / "model_int8.tflite")!r}) as tmp:
    open(tmp, "wb").close()
    print("writing", flush=True)
    time.sleep(600)
"""], stdout=subprocess.PIPE, text=True) as writer:
        assert writer.stdout.readline().strip() == "writing"
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=30)
    (left,) = os.listdir(out)
    assert left.startswith(f".tmp-{writer.pid}-") and os.path.getsize(out / left) == 0
    live = out / f".tmp-{os.getpid()}-abc.tflite"  # a live writer's file: must stay
    live.write_bytes(b"")
    user = out / ".tmp-notes"  # not ours: no PID in its name
    user.write_bytes(b"mine")
    artifacts.write_json(out / "model_int8.tflite.json", {"ok": True})
    assert sorted(os.listdir(out)) == sorted([live.name, user.name, "model_int8.tflite.json"])


def test_load_model_errors_name_the_file(tmp_path):
    missing = tmp_path / "missing.keras"
    with pytest.raises(FileNotFoundError, match="missing.keras"):
        artifacts.load_model(missing)
    truncated = tmp_path / "truncated.keras"
    truncated.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    with pytest.raises(ValueError, match=r"truncated.keras is not a complete .keras file"):
        artifacts.load_model(truncated)
