"""Kill a real training process in the middle of a run, check that nothing it left is
truncated, and resume it to the end with the same command."""

import json
import os
import signal
import subprocess
import sys
import time

import keras
import pytest
from fakes import TINY_OPTIONS, write_fake_mnist

pytestmark = pytest.mark.slow


def test_kill_and_resume(tmp_path):
    data = write_fake_mnist(tmp_path / "data", n_train=800, n_test=32)
    run_dir = tmp_path / "run"
    command = [sys.executable, "-m", "keras_resnets", "train", "resnet20",
               "--model-options", json.dumps(TINY_OPTIONS), "--epochs", "4",
               "--batch-size", "32", "--limit-train", "640", "--limit-test", "32",
               "--recipe", "adam", "--data-dir", data, "--out", str(run_dir), "--quiet"]
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    env.pop("TF_CONFIG", None)
    state_path = run_dir / "backup" / "state.json"
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 400
        while time.monotonic() < deadline and proc.poll() is None:
            if state_path.exists() and json.loads(state_path.read_text())["epochs_done"] >= 1:
                break
            time.sleep(0.05)
        assert proc.poll() is None, proc.stderr.read().decode()[-3000:]
        assert state_path.exists(), "no epoch finished in time"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stderr.close()

    # the killed process's lock file stays, with its PID; the kernel has released the lock
    assert (run_dir / ".lock").read_text().strip() == str(proc.pid)
    done = json.loads(state_path.read_text())["epochs_done"]
    assert 1 <= done < 4 and not (run_dir / "metrics.json").exists()
    for root, _, files in os.walk(run_dir):
        for name in files:
            if name.endswith(".keras") and not name.startswith(".tmp-"):
                keras.models.load_model(os.path.join(root, name))  # complete, loadable

    resumed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=400)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    history = json.loads((run_dir / "history.json").read_text())
    assert [row["epoch"] for row in history] == [1, 2, 3, 4]
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert metrics["epochs"] == 4
    assert sorted(os.listdir(run_dir / "backup")) == ["epoch-0004.keras", "state.json"]
    leftovers = [n for _, _, files in os.walk(run_dir) for n in files if n.startswith(".tmp-")]
    assert not leftovers  # partial writes of the killed process were removed on resume
    assert not (run_dir / ".lock").exists()  # the resumed run's own lock, removed at its end
