"""Shared by the benchmarks: machine information, timing and writing results."""

import json
import os
import platform
import statistics
import time


def machine_info():
    import keras
    import numpy as np

    info = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "keras": keras.__version__,
        "numpy": np.__version__,
        "time_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    try:
        import tensorflow as tf

        info["tensorflow"] = tf.__version__
    except ImportError:
        pass
    try:
        with open("/proc/cpuinfo") as f:
            names = [line.split(":", 1)[1].strip() for line in f if line.startswith("model name")]
        info["cpu_model"] = names[0] if names else None
    except OSError:
        pass
    try:
        info["load_average_at_start"] = os.getloadavg()
    except OSError:
        pass
    return info


def time_calls(fn, runs, warmup=3):
    """Median and p90 milliseconds of ``fn()`` over ``runs`` calls after ``warmup``."""
    for _ in range(warmup):
        fn()
    return summarize(call_times(fn, runs))


def call_times(fn, calls):
    """Milliseconds of each of ``calls`` calls of ``fn``."""
    samples = []
    for _ in range(calls):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def summarize(samples_ms):
    """Median and p90 of millisecond samples."""
    samples = sorted(samples_ms)
    return {"median_ms": statistics.median(samples),
            "p90_ms": samples[min(len(samples) - 1, int(0.9 * len(samples)))],
            "runs": len(samples)}


def write_result(result, out):
    """Writes ``result`` as JSON to ``out`` (nothing when ``out`` is None); returns it."""
    if out:
        os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
        with open(out, "w") as f:
            json.dump(result, f, indent=2)
    return result
