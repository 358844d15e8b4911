"""Training throughput: the project's training step against a naive Keras ``model.fit`` on
NumPy arrays and against PyTorch (channels_last) on the same architecture; model FLOP
utilization against a matrix-multiply peak measured in the same run; the input pipeline
against the training step; and the latency of the signal-propagation probes on a 110-layer
network (what the app's Signal page computes).

Candidates run in alternating rounds so that they see the same machine state; the table
gives the median over rounds and the median of the per-round ratios. PyTorch, and Keras
under TensorFlow's own defaults, run in worker processes driven round by round from this
one: two frameworks in one process slow each other (measured: a Keras step ran ~35% slower
once PyTorch had trained in the same process), and each must get its own thread pools.

    .venv/bin/python benchmarks/training.py [--models resnet20,resnet56,resnet50] [--rounds 5]

"project" is what `keras-resnets train` runs: the registry model with in-model rescaling,
`make_dataset` input, the recipe's optimizer, TensorFlow's fused BatchNorm kernel and
oneDNN (both defaults of the library). "project bf16" adds `--mixed-precision` (Keras'
``mixed_bfloat16`` policy), measured by default where the CPU has bfloat16 matrix units
(AMX / AVX512-BF16), against PyTorch under ``torch.autocast(bfloat16)``. "keras naive" is
`model.fit(x, y)` on the same model with Keras' own BatchNorm; "keras naive, TF defaults"
repeats it in a worker with TensorFlow's own oneDNN default (off on CPUs without AVX-512).

"cli epoch" (and "cli epoch bf16") is what users run: whole epochs of `keras-resnets train`
on ``--cli-limit-train`` Fashion-MNIST images (28x28x1 models), augmentation, the
per-epoch validation pass, checkpoints and callbacks included, one epoch per round in a
worker; the result splits each epoch into training loop, validation and epoch-end
callbacks (`_epoch_breakdown`).
"""

import argparse
import dataclasses
import importlib.metadata
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_utils import machine_info, write_result  # noqa: E402

from keras_resnets.tensorflow_flags import set_tensorflow_defaults  # noqa: E402

# name -> (registry name, input shape, batch size)
MODELS = {
    "resnet20": ("resnet20", (28, 28, 1), 128),
    "resnet56": ("resnet56", (28, 28, 1), 128),
    "resnet50": ("resnet50", (32, 32, 3), 32),
}


def _import_torch():
    try:
        import torch
    except ImportError:
        return None
    return torch


# ---------------------------------------------------------------- PyTorch twins
def torch_model(torch, name, input_shape, classes=10, depth=None):
    """PyTorch twins of the project's networks: the CIFAR ResNet (He et al. 2015, option-A
    shortcuts: subsample and zero-pad channels) and ResNet-50 (bottleneck, projection
    shortcuts), channels_last."""
    nn, F = torch.nn, torch.nn.functional

    class Basic(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
            self.b1 = nn.BatchNorm2d(cout)
            self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
            self.b2 = nn.BatchNorm2d(cout)
            self.stride, self.pad = stride, cout - cin

        def forward(self, x):
            h = self.b2(self.c2(F.relu(self.b1(self.c1(x)))))
            s = x[:, :, ::self.stride, ::self.stride] if self.stride > 1 else x
            if self.pad:
                s = F.pad(s, (0, 0, 0, 0, self.pad // 2, self.pad - self.pad // 2))
            return F.relu(h + s)

    class Bottleneck(nn.Module):
        def __init__(self, cin, width, stride):
            super().__init__()
            cout = 4 * width
            # Biases on every convolution, as keras.applications' ResNet50 (and ours).
            self.c1, self.b1 = nn.Conv2d(cin, width, 1), nn.BatchNorm2d(width)
            self.c2 = nn.Conv2d(width, width, 3, stride, 1)
            self.b2 = nn.BatchNorm2d(width)
            self.c3, self.b3 = nn.Conv2d(width, cout, 1), nn.BatchNorm2d(cout)
            self.proj = (nn.Sequential(nn.Conv2d(cin, cout, 1, stride),
                                       nn.BatchNorm2d(cout))
                         if stride > 1 or cin != cout else nn.Identity())

        def forward(self, x):
            h = F.relu(self.b1(self.c1(x)))
            h = F.relu(self.b2(self.c2(h)))
            return F.relu(self.b3(self.c3(h)) + self.proj(x))

    channels = input_shape[-1]
    if name.startswith("resnet") and name != "resnet50":
        n = ((depth or int(name[len("resnet"):])) - 2) // 6
        layers = [nn.Conv2d(channels, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU()]
        cin = 16
        for stage, cout in enumerate((16, 32, 64)):
            for block in range(n):
                layers.append(Basic(cin, cout, 2 if stage and not block else 1))
                cin = cout
        layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, classes)]
    else:
        layers = [nn.Conv2d(channels, 64, 7, 2, 3), nn.BatchNorm2d(64), nn.ReLU(),
                  nn.MaxPool2d(3, 2, 1)]
        cin = 64
        for stage, (width, blocks) in enumerate(zip((64, 128, 256, 512), (3, 4, 6, 3))):
            for block in range(blocks):
                layers.append(Bottleneck(cin, width, 2 if stage and not block else 1))
                cin = 4 * width
        layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(cin, classes)]
    return nn.Sequential(*layers).to(memory_format=torch.channels_last)


def torch_runner(torch, name, input_shape, batch, steps, seed=0, bf16=False):
    import contextlib

    torch.manual_seed(seed)
    model = torch_model(torch, name, input_shape)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    h, w, c = input_shape
    x = torch.rand(batch, c, h, w).contiguous(memory_format=torch.channels_last)
    y = torch.randint(0, 10, (batch,))

    def run():
        for _ in range(steps):
            optimizer.zero_grad(set_to_none=True)
            with (torch.autocast("cpu", dtype=torch.bfloat16) if bf16
                  else contextlib.nullcontext()):
                loss = torch.nn.functional.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()

    return run


def torch_eval_runner(torch, name, input_shape, batch, calls, seed=0):
    """``calls`` inference passes (eval mode, ``torch.inference_mode``, softmax output as the
    Keras models have) of a batch, channels_last."""
    torch.manual_seed(seed)
    model = torch_model(torch, name, input_shape).eval()
    h, w, c = input_shape
    x = torch.rand(batch, c, h, w).contiguous(memory_format=torch.channels_last)

    def run():
        with torch.inference_mode():
            for _ in range(calls):
                model(x).softmax(-1).numpy()

    return run


# ---------------------------------------------------------------- Keras candidates
def _arrays(input_shape, n, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.integers(0, 256, (n,) + tuple(input_shape), dtype=np.uint8),
            rng.integers(0, 10, n))


def project_runner(name, input_shape, batch, steps, bf16=False):
    """What `keras-resnets train` runs, through its own functions: data preparation
    (`training_datasets`, on random images), model preparation (`prepare_model`: the
    registry model, the recipe's optimizer, the fused BatchNorm training model) and the
    loop its strategy selects (`select_loop`), one epoch of ``steps`` steps per call;
    ``bf16``: its `--mixed-precision` policy on the CPU."""
    import keras

    from keras_resnets.data import dataset_info
    from keras_resnets.training import TrainConfig, resolve_strategy
    from keras_resnets.training.data import training_datasets
    from keras_resnets.training.loops import select_loop
    from keras_resnets.training.model import prepare_model

    config = TrainConfig(model=name, batch_size=batch, recipe="cosine", epochs=1,
                         augment=False, mixed_precision=bf16)
    info = dataclasses.replace(dataset_info(config.dataset), image_shape=tuple(input_shape))
    strategy = resolve_strategy(config.strategy)
    data = training_datasets(config, info, _arrays(input_shape, batch * steps))
    try:
        models = prepare_model(config, info, strategy, data.steps_per_epoch)
    finally:
        keras.mixed_precision.set_global_policy("float32")
    loop = select_loop(strategy, config, info)
    return models.model, lambda: loop(models.training_model, data.train, None, config.epochs,
                                      0, [], 0)


def naive_runner(name, input_shape, batch, steps):
    import keras

    from keras_resnets import build

    model = build(name, input_shape=input_shape, classes=10, include_preprocessing=True)
    model.compile(optimizer=keras.optimizers.SGD(0.01, momentum=0.9),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    x, y = _arrays(input_shape, batch * steps)
    return model, lambda: model.fit(x, y, batch_size=batch, epochs=1, verbose=0)


# ---------------------------------------------------------------- the command line's epoch
def epoch_gate(reply, warmup_epochs, last_epoch):
    """A Keras callback that runs `keras-resnets train` one epoch per round: it holds each
    epoch after ``warmup_epochs`` until the driver writes a line to stdin and, at the
    epoch's end (after the run's own callbacks: checkpoints, history, TensorBoard), replies
    with its seconds, split into the training loop (steps, input pipeline, per-batch
    callbacks), validation and the epoch-end callbacks."""
    import keras

    class EpochGate(keras.callbacks.Callback):
        def _send(self, message):
            reply.write(json.dumps(message) + "\n")
            reply.flush()

        def on_epoch_begin(self, epoch, logs=None):
            if epoch < warmup_epochs:
                return
            if epoch == warmup_epochs:
                self._send({"warmup_epoch_seconds": time.perf_counter() - self.started})
            if not sys.stdin.readline():
                raise SystemExit(0)
            self.start = self.validation_start = self.validation_end = time.perf_counter()

        def on_train_begin(self, logs=None):
            self.started = time.perf_counter()

        def on_test_begin(self, logs=None):
            self.validation_start = time.perf_counter()

        def on_test_end(self, logs=None):
            self.validation_end = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            if epoch < warmup_epochs:
                return
            end = time.perf_counter()
            self._send({"seconds": end - self.start,
                        "train_loop_s": self.validation_start - self.start,
                        "validation_s": self.validation_end - self.validation_start,
                        "epoch_end_callbacks_s": end - self.validation_end})
            if epoch == last_epoch:
                sys.stdin.read()  # the final test pass waits for the driver's close

    return EpochGate()


def cli_worker(spec, reply):
    """`keras-resnets train` (the library's `train`, as the command line calls it) on
    Fashion-MNIST with ``spec["limit_train"]`` training images, its defaults otherwise
    (augmentation, a validation pass of 10% of the training set each epoch, checkpoints,
    TensorBoard), one epoch per round after one warm-up epoch."""
    import tempfile

    from keras_resnets.training import TrainConfig, train

    name = MODELS[spec["key"]][0]
    config = TrainConfig(model=name, dataset="fashion_mnist", epochs=1 + spec["rounds"],
                         batch_size=spec["batch"], limit_train=spec["limit_train"],
                         mixed_precision=spec.get("bf16", False),
                         **spec.get("config", {}))
    with tempfile.TemporaryDirectory(prefix="bench_cli_") as run_dir:
        train(config, os.path.join(run_dir, "run"), verbose=0,
              callbacks=[epoch_gate(reply, 1, config.epochs - 1)])


# ---------------------------------------------------------------- workers
class Worker:
    """A candidate run in its own process (this script with ``--worker``), driven one round
    at a time over a pipe: ``Worker(spec)()`` runs one round and returns its seconds.
    ``spec``: {"kind": "torch" | "torch_eval" | "naive" | "cli", "key", "batch", "steps",
    "bf16", "calls", "limit_train", "rounds", "config"}."""

    def __init__(self, spec, env=None):
        import keras_resnets

        # the worker imports the keras_resnets this process runs (a checkout, not only
        # the installed one)
        root = os.path.dirname(os.path.dirname(os.path.abspath(keras_resnets.__file__)))
        path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
        self.process = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "--worker"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True,
            env=dict(os.environ, PYTHONPATH=path, **(env or {})))
        self.replies = []
        self.ready = self._ask(spec)

    def _ask(self, message):
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"benchmark worker died (exit {self.process.wait()}); "
                               "its error is above")
        return json.loads(line)

    def __call__(self):
        self.last = self._ask("run")
        self.replies.append(self.last)
        return self.last["seconds"]

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait()


def _worker_main():
    """The ``--worker`` side of `Worker`: replies on the real stdout, everything the
    libraries print goes to stderr."""
    reply = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    spec = json.loads(sys.stdin.readline())
    name, input_shape, batch = MODELS[spec["key"]]
    extra = {}
    if spec["kind"] == "cli":
        set_tensorflow_defaults()
        return cli_worker(spec, reply)
    if spec["kind"] == "torch_eval":
        torch = _import_torch()
        torch.set_num_threads(os.cpu_count() or 1)
        run = torch_eval_runner(torch, name, input_shape, spec["batch"], spec["calls"])
    elif spec["kind"] == "torch":
        torch = _import_torch()
        torch.set_num_threads(os.cpu_count() or 1)
        run = torch_runner(torch, name, input_shape, spec["batch"], spec["steps"],
                           bf16=spec.get("bf16", False))
        extra["matmul_peak_flops"] = matmul_peak(torch=torch, tensorflow=False)["torch"]
    else:
        set_tensorflow_defaults()  # kept as the parent chose: TF_ENABLE_ONEDNN_OPTS is inherited
        run = naive_runner(name, input_shape, spec["batch"], spec["steps"])[1]
        extra["tf_onednn"] = os.environ.get("TF_ENABLE_ONEDNN_OPTS")
    run()  # warm-up: tracing, first allocations
    reply.write(json.dumps(extra) + "\n")
    reply.flush()
    for line in sys.stdin:
        start = time.perf_counter()
        run()
        reply.write(json.dumps({"seconds": time.perf_counter() - start}) + "\n")
        reply.flush()


# ---------------------------------------------------------------- measurements
def timed(run):
    """An in-process candidate as a round runner returning its seconds."""
    def round_():
        start = time.perf_counter()
        run()
        return time.perf_counter() - start

    run()  # warm-up
    return round_


def interleave(runners, rounds, images_per_call, pause=0.3):
    """``rounds`` rounds of every (warmed-up) runner in turn; returns
    {name: [images/s per round]}. ``images_per_call``: one number for every runner, or
    a dict by runner name."""
    speeds = {name: [] for name in runners}
    for _ in range(rounds):
        for name, run in runners.items():
            time.sleep(pause)  # lets the previous candidate's worker threads go idle
            images = (images_per_call[name] if isinstance(images_per_call, dict)
                      else images_per_call)
            speeds[name].append(images / run())
    return speeds


def matmul_peak(torch=None, tensorflow=True, n=1024, seconds=2.0):
    """Float32 matrix-multiply FLOP/s (2n^3 per product) of TensorFlow and/or PyTorch."""
    peaks = {}
    if tensorflow:
        import tensorflow as tf

        a = tf.random.normal((n, n))
        matmul = tf.function(lambda a: tf.linalg.matmul(a, a))
        peaks["tensorflow"] = _flops_per_second(lambda: matmul(a).numpy(), 2 * n ** 3, seconds)
    if torch is not None:
        t = torch.randn(n, n)
        peaks["torch"] = _flops_per_second(lambda: torch.mm(t, t), 2 * n ** 3, seconds)
    return peaks


def _flops_per_second(fn, flops, seconds):
    fn()
    best, deadline = 0.0, time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        start = time.perf_counter()
        fn()
        best = max(best, flops / (time.perf_counter() - start))
    return best


def pipeline_throughput(batch, batches=60):
    """Images/s of the training input pipeline (shuffle + pad-crop + flip augmentation) on
    Fashion-MNIST-shaped data, alone."""
    from keras_resnets.data import make_dataset

    x, y = _arrays((28, 28, 1), 10_000)
    ds = make_dataset(x, y, batch, training=True, augment=True).repeat()
    iterator = iter(ds)
    for _ in range(5):
        next(iterator)
    start = time.perf_counter()
    for _ in range(batches):
        next(iterator)
    return batches * batch / (time.perf_counter() - start)


def probe_latency(depth=110, size=16, batch=32):
    """Seconds to build a ``depth``-layer CIFAR ResNet and run `activation_stats` and
    `gradient_norms` on it: the app's Signal page for one setting."""
    import keras

    from keras_resnets import CifarResNet, probes

    rng = np.random.default_rng(0)
    images = rng.standard_normal((batch, size, size, 1)).astype("float32")
    labels = rng.integers(0, 10, batch)
    timings = {}
    start = time.perf_counter()
    keras.utils.set_random_seed(0)
    model = CifarResNet(depth=depth, norm=None, preact=True, shortcut="B",
                        input_shape=(size, size, 1))
    timings["build_s"] = time.perf_counter() - start
    start = time.perf_counter()
    probes.activation_stats(model, images)
    timings["activation_stats_s"] = time.perf_counter() - start
    start = time.perf_counter()
    probes.gradient_norms(model, images, labels)
    timings["gradient_norms_s"] = time.perf_counter() - start
    timings["total_s"] = sum(timings.values())
    return timings


def has_bf16_units():
    """Whether the CPU multiplies bfloat16 natively (AMX or AVX512-BF16): where Keras'
    ``mixed_bfloat16`` policy can pay off; elsewhere bfloat16 has no hardware support."""
    from keras_resnets import machine

    return machine.bf16_units() is not None


def _onednn_default_off():
    """TensorFlow enables oneDNN by default only where the CPU has AVX-512-class features."""
    from keras_resnets import machine

    flags = machine.cpu_flags()
    return not ({"avx512_vnni", "avx512_bf16"} & flags or any(f.startswith("amx_") for f in flags))


def benchmark_model(key, rounds, steps, torch=True, batch_size=None, bf16=False,
                    tf_defaults=True, cli_limit=None, naive=True):
    """One model's candidates in alternating rounds. Returns the result row; the workers'
    extra facts (PyTorch's matmul peak) under ``row["workers"]``. ``cli_limit``: also time
    epochs of `keras-resnets train` on that many Fashion-MNIST training images (workers
    "cli epoch" and, with ``bf16``, "cli epoch bf16")."""
    from keras_resnets.profile import model_profile

    name, input_shape, batch = MODELS[key]
    batch = batch_size or batch
    model, project = project_runner(name, input_shape, batch, steps)
    train_flops = 3 * model_profile(model)["flops"]  # forward + backward ~ 3x forward
    runners = {"project": timed(project)}
    if bf16:
        runners["project bf16"] = timed(project_runner(name, input_shape, batch, steps,
                                                       bf16=True)[1])
    if naive:
        runners["keras naive"] = timed(naive_runner(name, input_shape, batch, steps)[1])
    spec = {"key": key, "batch": batch, "steps": steps}
    workers = {}
    images = {}
    if cli_limit and tuple(input_shape) == (28, 28, 1):  # Fashion-MNIST's images
        cli = dict(spec, kind="cli", limit_train=cli_limit, rounds=rounds)
        workers["cli epoch"] = Worker(cli)
        if bf16:
            workers["cli epoch bf16"] = Worker(dict(cli, bf16=True))
        images = {k: cli_limit // batch * batch for k in workers}
    if tf_defaults and naive:
        onednn = "0" if _onednn_default_off() else "1"
        workers["keras naive, TF defaults"] = Worker(
            dict(spec, kind="naive"), env={"TF_ENABLE_ONEDNN_OPTS": onednn})
    if torch:
        workers["pytorch channels_last"] = Worker(dict(spec, kind="torch"))
        if bf16:
            workers["pytorch bf16 autocast"] = Worker(dict(spec, kind="torch", bf16=True))
    try:
        candidates = dict(runners, **workers)
        speeds = interleave(candidates, rounds,
                            {k: images.get(k, batch * steps) for k in candidates})
    finally:
        for worker in workers.values():
            worker.close()
    row = {"model": name, "input_shape": list(input_shape), "batch_size": batch,
           "steps_per_round": steps, "rounds": rounds, "train_flops_per_image": train_flops,
           "images_per_second": {k: statistics.median(v) for k, v in speeds.items()},
           "images_per_second_rounds": speeds,
           "workers": {k: w.ready for k, w in workers.items()}, "ratios": {}}

    def ratio(a, b):
        if a in speeds and b in speeds:
            row["ratios"][f"{a} / {b}"] = statistics.median(
                x / y for x, y in zip(speeds[a], speeds[b]))

    ratio("project", "keras naive")
    ratio("project", "pytorch channels_last")
    ratio("keras naive, TF defaults", "pytorch channels_last")
    ratio("project bf16", "pytorch bf16 autocast")
    ratio("project bf16", "pytorch channels_last")
    ratio("cli epoch", "pytorch channels_last")
    ratio("cli epoch", "project")
    ratio("cli epoch bf16", "pytorch bf16 autocast")
    ratio("cli epoch bf16", "project bf16")
    ratio("cli epoch bf16", "cli epoch")
    row["cli_epochs"] = {name: _epoch_breakdown(workers[name].replies, images[name],
                                                speeds[bare])
                         for name, bare in (("cli epoch", "project"),
                                            ("cli epoch bf16", "project bf16"))
                         if name in workers and bare in speeds}
    return row


def _epoch_breakdown(replies, images, bare_speeds):
    """Where a command-line epoch's time goes, medians over rounds: seconds of the training
    loop, validation and the epoch-end callbacks (checkpoints, history, backup,
    TensorBoard), each as a share of the epoch; and the training loop's images/s over the
    bare step's of the same round (below 1: input pipeline and per-batch callbacks)."""
    median = statistics.median
    parts = ("train_loop_s", "validation_s", "epoch_end_callbacks_s")
    out = {"images_per_epoch": images, "rounds": replies}
    for part in parts:
        out[part] = median(r[part] for r in replies)
        out[part.replace("_s", "_share")] = median(r[part] / r["seconds"] for r in replies)
    out["train_loop_vs_bare_step"] = median(
        images / r["train_loop_s"] / bare for r, bare in zip(replies, bare_speeds))
    return out


def run(models, rounds=5, steps=16, out=None, tf_defaults=True, probe_depth=110,
        batch_size=None, torch=True, bf16=None, cli_limit=None, naive=True, probes=True):
    """Runs every measurement; ``batch_size`` overrides each model's own (for smoke tests),
    ``bf16=None`` measures the bfloat16 candidates where `has_bf16_units`. Returns the
    results dict, also written to ``out``."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    set_tensorflow_defaults()  # as `keras-resnets train` runs

    # PyTorch runs in workers only: imported here it would share this process's cores.
    torch = torch and importlib.util.find_spec("torch") is not None
    bf16_units = has_bf16_units()
    bf16 = bf16_units if bf16 is None else bf16
    result = {"benchmark": "training", "machine": machine_info(),
              "tf_onednn": os.environ.get("TF_ENABLE_ONEDNN_OPTS"),
              "torch": importlib.metadata.version("torch") if torch else None,
              "bf16_units": bf16_units, "models": []}
    peak = matmul_peak()
    for key in models:
        row = benchmark_model(key, rounds, steps, torch, batch_size, bf16, tf_defaults,
                              cli_limit, naive)
        torch_peak = row["workers"].get("pytorch channels_last", {}).get("matmul_peak_flops")
        if torch_peak:
            peak["torch"] = max(peak.get("torch", 0.0), torch_peak)
        result["models"].append(row)
    result["matmul_peak_flops"] = peak
    peak_flops = max(peak.values())
    for row in result["models"]:
        row["mfu"] = {k: v * row["train_flops_per_image"] / peak_flops
                      for k, v in row["images_per_second"].items()}
        _print_model(row)
    batch = batch_size or (MODELS[models[0]][2] if models else 128)
    pipeline = pipeline_throughput(batch)
    step_speed = result["models"][0]["images_per_second"]["project"] if models else None
    result["pipeline"] = {"images_per_second": pipeline, "batch_size": batch,
                          "vs_training_step": pipeline / step_speed if step_speed else None}
    result["probe_latency"] = (dict(probe_latency(probe_depth), depth=probe_depth) if probes
                               else None)
    print("matmul peak: " + ", ".join(f"{k} {v / 1e9:.1f} GFLOP/s" for k, v in peak.items()))
    print(f"input pipeline: {pipeline:.0f} images/s"
          + (f" = {pipeline / step_speed:.1f}x the {models[0]} training step" if step_speed else ""))
    latency = result["probe_latency"] or {}
    if latency:
        print(f"probes on a {probe_depth}-layer network: build {latency['build_s']:.2f} s, "
              f"activation_stats {latency['activation_stats_s']:.2f} s, gradient_norms "
              f"{latency['gradient_norms_s']:.2f} s")
    return write_result(result, out)


def _print_model(row):
    print(f"\n{row['model']} {tuple(row['input_shape'])} batch {row['batch_size']}: "
          f"{row['train_flops_per_image'] / 1e6:.0f} MFLOP per training image")
    for name, speed in row["images_per_second"].items():
        print(f"  {name:<26} {speed:8.1f} images/s  MFU {100 * row['mfu'][name]:5.1f}%")
    for name, value in row["ratios"].items():
        print(f"  {name}: {value:.2f}x")
    for name, parts in row.get("cli_epochs", {}).items():
        print(f"  {name}: training loop {parts['train_loop_s']:.1f} s "
              f"({100 * parts['train_loop_share']:.0f}%), validation {parts['validation_s']:.1f} s "
              f"({100 * parts['validation_share']:.0f}%), epoch-end callbacks "
              f"{parts['epoch_end_callbacks_s']:.1f} s "
              f"({100 * parts['epoch_end_callbacks_share']:.0f}%); training loop "
              f"{parts['train_loop_vs_bare_step']:.2f}x the bare step")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="resnet20,resnet56,resnet50")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--steps", type=int, default=16, help="training steps per round")
    parser.add_argument("--no-tf-defaults", action="store_false", dest="tf_defaults",
                        help="skip Keras under TensorFlow's own oneDNN default")
    parser.add_argument("--no-torch", action="store_false", dest="torch")
    parser.add_argument("--bf16", action=argparse.BooleanOptionalAction, default=None,
                        help="measure the bfloat16 candidates (default: where the CPU has "
                             "bfloat16 units)")
    parser.add_argument("--cli-limit-train", type=int, default=12800,
                        help="also time epochs of `keras-resnets train` on this many "
                             "Fashion-MNIST training images (0: skip)")
    parser.add_argument("--no-naive", action="store_false", dest="naive",
                        help="skip the naive Keras candidates")
    parser.add_argument("--no-probes", action="store_false", dest="probes")
    parser.add_argument("--probe-depth", type=int, default=110)
    parser.add_argument("--batch-size", type=int, default=None,
                        help="override every model's batch size")
    parser.add_argument("--out", default="benchmarks/results/training.json")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return _worker_main()
    models = [m for m in args.models.split(",") if m]
    unknown = [m for m in models if m not in MODELS]
    if unknown:
        parser.error(f"unknown model(s) {unknown}; choose from {sorted(MODELS)}")
    if args.rounds < 1 or args.steps < 1:
        parser.error(f"--rounds and --steps must be >= 1; got {args.rounds}, {args.steps}")
    run(models, rounds=args.rounds, steps=args.steps, out=args.out,
        tf_defaults=args.tf_defaults, probe_depth=args.probe_depth,
        batch_size=args.batch_size, torch=args.torch, bf16=args.bf16,
        cli_limit=args.cli_limit_train or None, naive=args.naive, probes=args.probes)


if __name__ == "__main__":
    main()
