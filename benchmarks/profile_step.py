"""Where a training step's time goes: the project's step (what `keras-resnets train`
runs, `training.project_runner`) under TensorFlow's profiler, beside the PyTorch
channels_last twin under ``torch.profiler``, in separate processes, per op family.

TensorFlow's times are the ops' durations on the executor threads, from the profiler's
XPlane trace (https://www.tensorflow.org/guide/profiler#profiling_apis); PyTorch's are
``self_cpu_time_total`` per ATen op. Both count an op once, however many threads its
kernel uses, so the shares compare and the totals are close to wall time.

    .venv/bin/python benchmarks/profile_step.py [--model resnet20] [--steps 8] [--bf16]
"""

import argparse
import collections
import glob
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# op family by substrings of the op type (TensorFlow) or ATen name (PyTorch), first match
FAMILIES = (
    ("convolution backward", ("Conv2DBackprop", "convolution_backward")),
    ("convolution", ("Conv2D", "convolution", "conv2d")),
    ("batchnorm backward", ("FusedBatchNormGrad", "batch_norm_backward")),
    ("batchnorm", ("FusedBatchNorm", "batch_norm")),
    ("relu", ("Relu", "relu", "threshold_backward", "clamp")),
    ("add / pad / slice (shortcuts)", ("AddV2", "AddN", "add", "Pad", "pad", "Slice",
                                       "StridedSlice", "slice")),
    ("casts", ("Cast", "to_copy", "_to_copy", "copy_")),
    ("optimizer", ("ResourceApply", "AssignVariable", "AssignSub", "AssignAdd", "sgd",
                   "_foreach", "mul_", "add_", "lerp")),
    ("loss / softmax / pooling / dense", ("Softmax", "softmax", "MatMul", "mm", "addmm",
                                          "Mean", "mean", "Sum", "sum", "nll", "log_softmax",
                                          "BiasAdd", "adaptive_avg_pool", "Xent")),
)


WRAPPERS = {"Process", "Run", "RunStep", "StatefulPartitionedCall", "PartitionedCall",
            "IteratorGetNext", "Iterator", "OptionalGetValue"}


def family(name):
    for label, keys in FAMILIES:
        if any(k in name for k in keys):
            return label
    return "other"


def tensorflow_profile(model, steps, bf16):
    """{op type: microseconds} over ``steps`` training steps of the project's step."""
    import tensorflow as tf
    from tensorflow.tsl.profiler.protobuf import xplane_pb2

    import training

    name, shape, batch = training.MODELS[model]
    _, run_epoch = training.project_runner(name, shape, batch, steps, bf16=bf16)
    run_epoch()  # tracing, first allocations
    with tempfile.TemporaryDirectory() as logdir:
        tf.profiler.experimental.start(logdir)
        start = time.perf_counter()
        run_epoch()
        wall = time.perf_counter() - start
        tf.profiler.experimental.stop()
        (path,) = glob.glob(os.path.join(logdir, "**", "*.xplane.pb"), recursive=True)
        space = xplane_pb2.XSpace()
        with open(path, "rb") as f:
            space.ParseFromString(f.read())
    times = collections.Counter()
    for plane in space.planes:
        if plane.name != "/host:CPU":
            continue
        for line in plane.lines:
            if line.name in ("TensorFlow Name Scope", "TensorFlow Ops", "XLA Ops",
                             "Steps", "Framework Name Scope"):
                continue
            for event in line.events:
                label = plane.event_metadata[event.metadata_id].name
                op = label.rsplit(":", 1)[-1].strip()
                # ops are "name:Type"; the executor's and tf.function's spans enclose them
                if ":" in label and _op(op):
                    times[op] += event.duration_ps / 1e6
    return {"ops_us": dict(times), "wall_s": wall, "images": steps * batch}


def torch_profile(model, steps, bf16):
    """{ATen op: self CPU microseconds} over ``steps`` steps of the PyTorch twin."""
    import torch

    import training

    torch.set_num_threads(os.cpu_count() or 1)
    name, shape, batch = training.MODELS[model]
    run_steps = training.torch_runner(torch, name, shape, batch, steps, bf16=bf16)
    run_steps()
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as prof:
        start = time.perf_counter()
        run_steps()
        wall = time.perf_counter() - start
    times = {e.key: e.self_cpu_time_total for e in prof.key_averages()}
    return {"ops_us": times, "wall_s": wall, "images": steps * batch}


def _op(name):
    """False for the spans that enclose ops (the executor's, a tf.function's)."""
    name = name.strip()
    return name not in WRAPPERS and not name.startswith("__")


def by_family(ops_us):
    out = collections.Counter()
    for op, us in ops_us.items():
        if _op(op):
            out[family(op)] += us
    return dict(out)


def run(model="resnet20", steps=8, bf16=False, out=None):
    from keras_resnets.tensorflow_flags import set_tensorflow_defaults

    set_tensorflow_defaults()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    result = {"model": model, "steps": steps, "bf16": bf16}
    # one framework per process: this one runs PyTorch's in a child, then TensorFlow's
    child = subprocess.run([sys.executable, os.path.abspath(__file__), "--torch-child",
                            "--model", model, "--steps", str(steps)] + (["--bf16"] if bf16
                                                                        else []),
                           capture_output=True, text=True, check=True)
    result["pytorch"] = json.loads(child.stdout.strip().splitlines()[-1])
    result["tensorflow"] = tensorflow_profile(model, steps, bf16)
    from bench_utils import machine_info, write_result

    result["machine"] = machine_info()
    print(report(result))
    return write_result(result, out)


def report(result):
    lines = [f"{result['model']}, {result['steps']} steps{' bf16' if result['bf16'] else ''}:"
             f" ms per step by op family (share of the profiled op time)"]
    fams = {k: by_family(result[k]["ops_us"]) for k in ("tensorflow", "pytorch")}
    steps = result["steps"]
    totals = {k: sum(v.values()) for k, v in fams.items()}
    lines.append(f"{'family':<34} {'tensorflow':>18} {'pytorch':>18}")
    for label in [f[0] for f in FAMILIES] + ["other"]:
        us = {k: fams[k].get(label, 0) for k in fams}
        cells = [f"{us[k] / 1e3 / steps:8.1f} ({100 * us[k] / totals[k]:4.1f}%)"
                 for k in ("tensorflow", "pytorch")]
        lines.append(f"{label:<34} {cells[0]:>18} {cells[1]:>18}")
    lines.append(f"{'profiled op time':<34} {totals['tensorflow'] / 1e3 / steps:8.1f} ms"
                 f"{'':<8}{totals['pytorch'] / 1e3 / steps:8.1f} ms")
    lines.append(f"{'wall time per step (profiling on)':<34} "
                 f"{1e3 * result['tensorflow']['wall_s'] / steps:8.1f} ms"
                 f"{'':<8}{1e3 * result['pytorch']['wall_s'] / steps:8.1f} ms")
    for k in ("tensorflow", "pytorch"):
        top = sorted(((op, us) for op, us in result[k]["ops_us"].items() if _op(op)),
                     key=lambda kv: -kv[1])[:10]
        lines.append(f"top {k} ops: " + ", ".join(
            f"{op} {us / 1e3 / steps:.1f}" for op, us in top))
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="resnet20")
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--bf16", action="store_true")
    parser.add_argument("--out", default=None)
    parser.add_argument("--torch-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.torch_child:
        print(json.dumps(torch_profile(args.model, args.steps, args.bf16)))
        return
    run(args.model, args.steps, args.bf16, args.out)


if __name__ == "__main__":
    main()
