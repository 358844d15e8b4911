"""keras_resnets.training.rundir: the run directory's lock and what it may already hold."""

import os
import signal
import subprocess
import sys

import pytest
from fakes import child_process

from keras_resnets.training.rundir import (
    LOCK_FILE,
    RunDirectory,
    RunDirError,
    RunDirLocked,
    check_run_dir,
)


def test_second_holder_is_refused_with_the_first_ones_pid(tmp_path):
    run_dir = tmp_path / "run"
    with RunDirectory.open(run_dir):
        assert (run_dir / LOCK_FILE).read_text().strip() == str(os.getpid())
        with pytest.raises(RunDirLocked, match=rf"in use by another keras-resnets process "
                                               rf"\(PID {os.getpid()}\)"):
            RunDirectory.open(run_dir)
    RunDirectory.open(run_dir).close()  # released: free again
    assert not os.path.exists(run_dir / LOCK_FILE)


def test_lock_of_a_killed_process_never_blocks(tmp_path):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "config.json").write_text("{}")  # a started run: the lock file stays
    with child_process([sys.executable, "-c", f"""
import fcntl, os, sys, time
fd = os.open({str(run_dir / LOCK_FILE)!r}, os.O_RDWR | os.O_CREAT)
fcntl.flock(fd, fcntl.LOCK_EX)
os.write(fd, str(os.getpid()).encode())
print("locked", flush=True)
time.sleep(600)
"""], stdout=subprocess.PIPE, text=True) as holder:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(RunDirLocked, match=f"PID {holder.pid}"):
            RunDirectory.open(run_dir)
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    assert (run_dir / LOCK_FILE).read_text().strip() == str(holder.pid)  # stale file...
    with RunDirectory.open(run_dir):  # ...but no lock: the kernel released it
        assert (run_dir / LOCK_FILE).read_text().strip() == str(os.getpid())


def test_what_a_run_directory_may_hold(tmp_path):
    check_run_dir(str(tmp_path / "missing"))
    check_run_dir(str(tmp_path))  # empty
    afile = tmp_path / "afile"
    afile.write_text("mine")
    with pytest.raises(RunDirError, match=rf"{afile} is a file"):
        check_run_dir(str(afile))
    with pytest.raises(RunDirError, match=r"is not empty \(afile\) and is not a run.*"
                                          r"--allow-existing"):
        check_run_dir(str(tmp_path))
    check_run_dir(str(tmp_path), allow_existing=True)
    (tmp_path / "metrics.json").write_text("{}")
    with pytest.raises(RunDirError, match=r"already holds metrics\.json, which a run would "
                                          r"overwrite"):
        check_run_dir(str(tmp_path), allow_existing=True)
    (tmp_path / "config.json").mkdir()
    with pytest.raises(RunDirError, match=r"config\.json is not a file"):
        check_run_dir(str(tmp_path))


def test_a_failed_start_leaves_no_trace(tmp_path):
    made = tmp_path / "new"
    RunDirectory.open(made).close()
    assert not made.exists()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep")
    RunDirectory.open(mine, allow_existing=True).close()
    assert os.listdir(mine) == ["notes.txt"]


def test_partial_writes_are_removed_only_by_the_holder(tmp_path):
    (tmp_path / "backup").mkdir()
    for name in (".tmp-1-a.keras", "backup/.tmp-x.json"):
        (tmp_path / name).write_text("half")
    (tmp_path / "config.json").write_text("{}")
    with RunDirectory.open(tmp_path) as run_dir:
        run_dir.remove_partial_writes()
    assert sorted(os.listdir(tmp_path)) == ["backup", "config.json"]  # the lock file too
    assert os.listdir(tmp_path / "backup") == []


@pytest.mark.slow
def test_two_train_processes_on_one_folder(tmp_path):
    """Two identical `train` commands started together: one trains, the other is refused
    at once naming the first one's PID (or, had the first one already finished, says there
    is nothing to do); the run is written by one process only."""
    import json

    from fakes import TINY_OPTIONS, write_fake_mnist

    data = write_fake_mnist(tmp_path / "data", n_train=160, n_test=32)
    run_dir = tmp_path / "run"
    command = [sys.executable, "-m", "keras_resnets", "train", "resnet20",
               "--model-options", json.dumps(TINY_OPTIONS), "--epochs", "1",
               "--batch-size", "32", "--limit-train", "128", "--limit-test", "32",
               "--recipe", "adam", "--data-dir", data, "--out", str(run_dir)]
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    env.pop("TF_CONFIG", None)
    procs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    results = [(p.pid, *p.communicate(timeout=400), p.returncode) for p in procs]
    trained = [r for r in results if r[3] == 0 and "starting" in r[1]]
    assert len(trained) == 1, results
    (winner, _, _, _), (pid, out, err, rc) = trained[0], next(r for r in results
                                                             if r is not trained[0])
    if rc == 2:  # the last line: TensorFlow prints its start-up notes before
        assert err.strip().splitlines()[-1] == (
            f"keras-resnets train: error: {run_dir} is in use by another keras-resnets "
            f"process (PID {winner}); wait for it to end or use another --out"), err
    else:
        assert rc == 0 and "nothing to do" in out and "starting" not in out, (out, err)
    history = json.loads((run_dir / "history.json").read_text())
    assert [row["epoch"] for row in history] == [1]
    assert not [n for n in os.listdir(run_dir) if n.startswith(".tmp-")]
