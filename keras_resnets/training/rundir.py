"""The run directory: who may write it (an exclusive lock) and what it may already hold.

A run directory belongs to one `train` process at a time: `RunDirectory.open` takes an
OS file lock (``flock``) on ``<run_dir>/.lock`` and holds it for the run's life. The kernel
releases it when the process ends, however it ends, so a lock left by a killed run never
blocks its resume. A second process on the same directory is refused at once.

A directory is accepted when it is missing, empty, a run of keras-resnets (it holds
``config.json``), or, with ``allow_existing``, a folder of the user's that holds none of
the names a run writes; anything else is refused before a byte is written.
"""

import errno
import fcntl
import os

from keras_resnets.artifacts import TEMP_PREFIX

LOCK_FILE = ".lock"
CONFIG_FILE = "config.json"
# everything a run writes at the top of its directory (see `runner`)
RUN_FILES = (CONFIG_FILE, "history.csv", "history.json", "logs", "best.keras", "last.keras",
             "metrics.json", "backup")


class RunDirError(ValueError):
    """The run directory cannot be used as asked (a file, a folder of the user's, a
    configuration that is not a file, ...)."""


class RunDirLocked(RunDirError):
    """Another process holds the run directory."""


class RunDirectory:
    """The locked run directory ``path``; use `open` and `close` (or ``with``)."""

    def __init__(self, path, fd, created):
        self.path = path
        self._fd = fd
        self.created = created  # whether `open` made the directory

    @classmethod
    def open(cls, path, allow_existing=False):
        """Checks and locks the run directory ``path`` (made when missing).

        Args:
            path: the run directory.
            allow_existing: accept an existing non-empty folder that is not a run, as long
                as it holds none of the names in `RUN_FILES`.

        Raises:
            RunDirError: ``path`` is a file, or a non-empty folder that is not a run.
            RunDirLocked: another process holds the lock (its PID is in the message).
            OSError: the directory cannot be made or written (read-only, ...).
        """
        path = os.path.abspath(os.fspath(path))
        check_run_dir(path, allow_existing)
        created = not os.path.isdir(path)
        try:
            os.makedirs(path, exist_ok=True)
        except FileExistsError:
            raise RunDirError(f"{path} is a file; the run directory must be a folder") from None
        lock_path = os.path.join(path, LOCK_FILE)
        while True:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as err:
                os.close(fd)
                if err.errno not in (errno.EWOULDBLOCK, errno.EACCES):
                    raise
                raise RunDirLocked(
                    f"{path} is in use by another keras-resnets process "
                    f"({_holder(lock_path)}); wait for it to end or use another --out"
                ) from None
            # the holder before us may have removed the lock file (`close`): a lock on a
            # file no longer at `lock_path` locks nothing
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(lock_path))
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        run_dir = cls(path, fd, created)
        try:
            check_run_dir(path, allow_existing)  # again, now that no one else writes it
        except BaseException:
            run_dir.close()
            raise
        return run_dir

    def remove_partial_writes(self):
        """Deletes the temporary files of atomic writes cut short by a kill
        (`keras_resnets.artifacts`). Only the lock holder may: no one else writes here."""
        for directory in (self.path, os.path.join(self.path, "backup")):
            if os.path.isdir(directory):
                for name in os.listdir(directory):
                    if name.startswith(TEMP_PREFIX):
                        os.remove(os.path.join(directory, name))

    def close(self):
        """Releases the lock and removes the lock file (a lock left by a killed process
        is harmless: the kernel has released it). When no run started here (no
        configuration was written) and `open` made the directory, it is removed if empty:
        a start that failed leaves no trace."""
        if self._fd is None:
            return
        lock_path = os.path.join(self.path, LOCK_FILE)
        try:
            if os.path.samestat(os.fstat(self._fd), os.stat(lock_path)):
                os.remove(lock_path)  # while still holding it: see the check in `open`
            if self.created and not is_run(self.path) and not os.listdir(self.path):
                os.rmdir(self.path)
        except OSError:
            pass  # a read-only or vanished directory: the lock is released all the same
        finally:
            os.close(self._fd)
            self._fd = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _holder(lock_path):
    try:
        with open(lock_path) as f:
            pid = f.read().strip()
    except OSError:
        pid = ""
    return f"PID {pid}" if pid.isdigit() else "PID unknown"


def is_run(path):
    """Whether ``path`` holds a run of keras-resnets (a ``config.json``)."""
    return os.path.lexists(os.path.join(path, CONFIG_FILE))


def check_run_dir(path, allow_existing=False):
    """Raises `RunDirError` (one line naming the path) when ``path`` cannot be a run
    directory: see `RunDirectory.open`."""
    if os.path.lexists(path) and not os.path.isdir(path):
        raise RunDirError(f"{path} is a file; the run directory must be a folder")
    if not os.path.isdir(path):
        return
    config = os.path.join(path, CONFIG_FILE)
    if os.path.lexists(config):
        if not os.path.isfile(config):
            raise RunDirError(f"{config} is not a file; this folder is not a run of "
                              f"keras-resnets, use another --out")
        return
    entries = [n for n in os.listdir(path) if n != LOCK_FILE]
    if not entries:
        return
    if not allow_existing:
        shown = ", ".join(sorted(entries)[:3]) + (", ..." if len(entries) > 3 else "")
        raise RunDirError(
            f"{path} is not empty ({shown}) and is not a run of keras-resnets (no "
            f"{CONFIG_FILE}); use a new --out, or pass --allow-existing to train into it"
        )
    clashes = sorted(set(entries) & set(RUN_FILES))
    if clashes:
        raise RunDirError(
            f"{path} already holds {', '.join(clashes)}, which a run would overwrite; "
            f"use a new --out"
        )
