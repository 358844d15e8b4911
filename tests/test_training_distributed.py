"""tf.distribute for real, each in fresh processes: MirroredStrategy over two logical CPU
devices against one device, and MultiWorkerMirroredStrategy with two local workers."""

import json
import os
import socket
import subprocess
import sys

import keras
import numpy as np
import pytest
from fakes import TINY_OPTIONS, write_fake_mnist

TESTS = os.path.dirname(os.path.abspath(__file__))
pytestmark = pytest.mark.slow


def _env(**extra):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", KERAS_BACKEND="tensorflow",
               PYTHONPATH=os.pathsep.join([TESTS, os.environ.get("PYTHONPATH", "")]))
    env.pop("TF_CONFIG", None)
    env.update(extra)
    return env


def test_mirrored_two_devices_match_one_device(tmp_path):
    data = write_fake_mnist(tmp_path / "data", n_train=160, n_test=64)
    proc = subprocess.run([sys.executable, os.path.join(TESTS, "_mirrored_script.py"), data,
                           str(tmp_path / "runs")], env=_env(), capture_output=True,
                          text=True, timeout=500)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    assert proc.returncode == 0 and lines, proc.stderr[-3000:]
    result = json.loads(lines[0][len("RESULT "):])
    assert result["replicas"] == 2
    assert "`batch_size` (33) must be divisible by the number of replicas (2)" in result["odd_batch_error"]
    assert not result["odd_dir_exists"]  # refused before anything was written
    one, two = result["default"], result["mirrored"]
    np.testing.assert_allclose(two["loss"], one["loss"], rtol=2e-4)
    np.testing.assert_allclose(two["val_loss"], one["val_loss"], rtol=2e-3)
    np.testing.assert_allclose(two["first_kernel"], one["first_kernel"], atol=2e-3)


def _free_ports(n):
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def test_multi_worker_two_local_workers(tmp_path):
    """Two worker processes on localhost (TF_CONFIG) train together through the custom
    distributed loop (Keras 3.15's fit fails under MultiWorkerMirroredStrategy)."""
    data = write_fake_mnist(tmp_path / "data", n_train=160, n_test=32)
    run_dir, worker_dir = tmp_path / "run", tmp_path / "worker1"
    worker_dir.mkdir()
    cluster = {"worker": [f"127.0.0.1:{p}" for p in _free_ports(2)]}
    command = [sys.executable, "-m", "keras_resnets", "train", "resnet20",
               "--model-options", json.dumps(TINY_OPTIONS), "--strategy", "multi_worker",
               "--epochs", "2", "--batch-size", "32", "--limit-train", "64",
               "--limit-test", "32", "--recipe", "adam", "--data-dir", data,
               "--out", str(run_dir), "--quiet"]
    procs = []
    for index in range(2):
        tf_config = json.dumps({"cluster": cluster, "task": {"type": "worker", "index": index}})
        procs.append(subprocess.Popen(
            command, env=_env(TF_CONFIG=tf_config, KERAS_RESNETS_WORKER_DIR=str(worker_dir)),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    try:
        outputs = [p.communicate(timeout=500) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    for p, (_, err) in zip(procs, outputs):
        assert p.returncode == 0, err[-3000:]

    # the chief (worker 0) wrote the run directory ...
    names = set(os.listdir(run_dir))
    assert {"config.json", "history.json", "last.keras", "best.keras", "metrics.json",
            "backup"} <= names
    history = json.load(open(run_dir / "history.json"))
    assert [row["epoch"] for row in history] == [1, 2]
    # ... and worker 1 only its own directory, without metrics or TensorBoard logs
    (mine,) = os.listdir(worker_dir)
    theirs = set(os.listdir(worker_dir / mine))
    assert "last.keras" in theirs and "metrics.json" not in theirs and "logs" not in theirs
    assert "config.json" not in theirs
    # Trainable weights agree (gradients are all-reduced); BatchNorm moving statistics are
    # each worker's own unless --sync-batchnorm.
    chief = [w.numpy() for w in keras.models.load_model(run_dir / "last.keras").trainable_weights]
    other = [w.numpy() for w in
             keras.models.load_model(worker_dir / mine / "last.keras").trainable_weights]
    assert len(chief) == len(other) > 0
    for a, b in zip(chief, other):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
