"""Carries unfinished training runs across sessions in a tracked folder.

    python scripts/in_progress.py save runs/experiments/degradation_full saved_models/_in_progress/degradation_full
    python scripts/in_progress.py restore saved_models/_in_progress/degradation_full runs/experiments/degradation_full

``save`` copies what resumes or re-reads each run under ``<experiment>/runs/``: config.json,
history, metrics.json, best/precise_bn .keras, the backup (state.json and its one checkpoint)
and, for a finished run, last.keras (an unfinished run's is its backup's model); not
TensorBoard logs, locks nor temporary files. ``restore`` copies them back; then
re-running the experiment's command resumes every unfinished run and re-reads the finished
ones. Delete the tracked folder when the models ship.
"""

import argparse
import os
import shutil
import sys

KEEP = ("config.json", "history.json", "history.csv", "metrics.json", "best.keras",
        "last.keras", "precise_bn.keras", "backup")


def copy_runs(src, dst):
    runs = os.path.join(src, "runs")
    if not os.path.isdir(runs):
        raise SystemExit(f"{src} has no runs/ folder")
    copied = []
    for name in sorted(os.listdir(runs)):
        if not os.path.isfile(os.path.join(runs, name, "config.json")):
            continue
        finished = os.path.isfile(os.path.join(runs, name, "metrics.json"))
        for item in KEEP:
            if item == "last.keras" and not finished:
                continue
            path = os.path.join(runs, name, item)
            target = os.path.join(dst, "runs", name, item)
            if os.path.isdir(path):
                shutil.rmtree(target, ignore_errors=True)
                shutil.copytree(path, target, ignore=shutil.ignore_patterns(".tmp-*"))
            elif os.path.isfile(path):
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.copy2(path, target)
        copied.append(name)
    return copied


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("save", "restore"))
    parser.add_argument("src")
    parser.add_argument("dst")
    args = parser.parse_args(argv)
    copied = copy_runs(args.src, args.dst)
    print(f"{args.action}d {len(copied)} run(s) to {args.dst}: {', '.join(copied)}")


if __name__ == "__main__":
    sys.exit(main())
