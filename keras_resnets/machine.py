"""What machine a run or a benchmark ran on, read from the operating system at run time:
the CPU model, its core count and whether it multiplies bfloat16 natively (Intel AMX or
AVX512-BF16, where Keras' ``mixed_bfloat16`` policy can pay off)."""

import functools
import os
import platform


@functools.cache
def _cpuinfo():
    try:
        with open("/proc/cpuinfo") as f:
            return f.read()
    except OSError:
        return ""


def cpu_model():
    """The CPU's model name (``/proc/cpuinfo``), or the platform's processor string."""
    for line in _cpuinfo().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def cpu_flags():
    """The CPU's feature flags (``/proc/cpuinfo``; empty where the system does not say)."""
    for line in _cpuinfo().splitlines():
        if line.startswith("flags"):
            return frozenset(line.split(":", 1)[1].split())
    return frozenset()


def bf16_units():
    """``"amx"``, ``"avx512_bf16"`` or None: the CPU's native bfloat16 matrix units."""
    flags = cpu_flags()
    if "amx_bf16" in flags:
        return "amx"
    if "avx512_bf16" in flags:
        return "avx512_bf16"
    return None


def describe():
    """{"cpu_model", "cpus", "bf16_units"}: the machine, as model cards and benchmark results
    state it."""
    return {"cpu_model": cpu_model(), "cpus": os.cpu_count(), "bf16_units": bf16_units()}


def summary(info=None):
    """One line, e.g. "Intel(R) Xeon(R) ... (2 CPUs, AMX)"."""
    info = describe() if info is None else info
    units = {"amx": ", AMX", "avx512_bf16": ", AVX512-BF16"}.get(info.get("bf16_units"), "")
    return f"{info['cpu_model']} ({info['cpus']} CPUs{units})"
