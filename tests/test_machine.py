"""keras_resnets.machine reads the CPU from /proc/cpuinfo, and names its bfloat16 units."""

import pytest

from keras_resnets import machine

AMX = "model name\t: Intel(R) Xeon(R) Processor\nflags\t\t: fpu avx512f avx512_bf16 amx_bf16 amx_tile\n"
ZEN5 = "model name\t: AMD EPYC 9R45\nflags\t\t: fpu avx512f avx512_bf16\n"
AVX2 = "model name\t: Intel(R) Core(TM) i7\nflags\t\t: fpu avx2 fma\n"


@pytest.mark.parametrize("cpuinfo, model, units, line", [
    (AMX, "Intel(R) Xeon(R) Processor", "amx", "Intel(R) Xeon(R) Processor (4 CPUs, AMX)"),
    (ZEN5, "AMD EPYC 9R45", "avx512_bf16", "AMD EPYC 9R45 (4 CPUs, AVX512-BF16)"),
    (AVX2, "Intel(R) Core(TM) i7", None, "Intel(R) Core(TM) i7 (4 CPUs)"),
])
def test_describe(monkeypatch, cpuinfo, model, units, line):
    monkeypatch.setattr(machine, "_cpuinfo", lambda: cpuinfo)
    monkeypatch.setattr(machine.os, "cpu_count", lambda: 4)
    assert machine.describe() == {"cpu_model": model, "cpus": 4, "bf16_units": units}
    assert machine.summary() == line


def test_describes_this_machine():
    info = machine.describe()
    assert info["cpu_model"] and info["cpus"] >= 1
