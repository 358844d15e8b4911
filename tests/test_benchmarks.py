"""Smoke tests: the benchmark scripts run end to end on tiny configurations. They measure
nothing here (timings belong to the scripts, run by hand)."""

import importlib.util
import json
import os

import keras
import pytest

ROOT = os.path.join(os.path.dirname(__file__), "..", "benchmarks")


def _load(name):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", os.path.join(ROOT, f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_training_benchmark_runs_and_writes_every_measurement(tmp_path, monkeypatch):
    from tests.fakes import write_fake_mnist

    # the command line's epochs train on these files (its workers inherit the variable)
    data_dir = write_fake_mnist(tmp_path / "fmnist", n_train=64, n_test=16)
    monkeypatch.setenv("KERAS_RESNETS_FASHION_MNIST", str(data_dir))
    training = _load("training")
    out = tmp_path / "training.json"
    result = training.run(["resnet20"], rounds=1, steps=1, out=str(out), probe_depth=8,
                          batch_size=8, bf16=True, cli_limit=16)
    saved = json.loads(out.read_text())
    row = saved["models"][0]
    candidates = {"project", "project bf16", "keras naive", "keras naive, TF defaults",
                  "cli epoch", "cli epoch bf16"}
    assert row["ratios"]["cli epoch / project"] > 0
    for name in ("cli epoch", "cli epoch bf16"):
        parts = row["cli_epochs"][name]
        assert parts["images_per_epoch"] == 16 and parts["validation_s"] > 0
        assert 0.99 < sum(parts[f"{p}_share"] for p in (
            "train_loop", "validation", "epoch_end_callbacks")) < 1.01
    if importlib.util.find_spec("torch"):
        candidates |= {"pytorch channels_last", "pytorch bf16 autocast"}
        assert row["ratios"]["project / pytorch channels_last"] > 0
        assert row["workers"]["pytorch channels_last"]["matmul_peak_flops"] > 0
    assert set(row["images_per_second"]) == candidates
    assert all(v > 0 for v in row["images_per_second"].values())
    assert row["ratios"]["project / keras naive"] > 0 and 0 < row["mfu"]["project"] < 1
    assert saved["pipeline"]["vs_training_step"] > 0
    assert saved["probe_latency"]["total_s"] > 0 and saved["machine"]["cpus"]
    assert result["matmul_peak_flops"]["tensorflow"] > 0
    table = _load("report").training_tables(saved)
    assert "| project / keras naive |" in table and "Input pipeline" in table
    assert "| resnet20 | cli epoch | 16 |" in table


def test_torch_twin_has_the_keras_model_parameter_count():
    torch = pytest.importorskip("torch")
    from keras_resnets import build

    training = _load("training")
    for name, shape in (("resnet20", (28, 28, 1)), ("resnet50", (32, 32, 3))):
        twin = training.torch_model(torch, name, shape)
        torch_params = sum(p.numel() for p in twin.parameters())
        model = build(name, input_shape=shape, classes=10)
        keras_params = sum(int(keras.ops.size(w)) for w in model.trainable_weights)
        assert torch_params == keras_params, name


@pytest.mark.slow
def test_inference_benchmark_runs_on_a_tiny_model(tmp_path, monkeypatch):
    from keras_resnets import build
    from tests.fakes import write_fake_mnist

    data_dir = write_fake_mnist(tmp_path / "fmnist", n_train=64, n_test=16)
    monkeypatch.setenv("KERAS_RESNETS_FASHION_MNIST", str(data_dir))
    model = build("resnet20", depth=8, input_shape=(28, 28, 1), classes=10,
                  include_preprocessing=True)
    model.save(tmp_path / "tiny.keras")
    result = _load("inference").run(str(tmp_path / "tiny.keras"), runs=2, batch=4,
                                    out=str(tmp_path / "inference.json"), modes=("int8",),
                                    rounds=1, batch_models={"resnet20": str(tmp_path / "no")})
    assert set(result["rows"]) == {"keras model(x)", "keras predict(x)",
                                   "keras InferenceFunction(x)", "keras predict(batch 4)",
                                   "keras InferenceFunction(batch 4)", "litert int8 1t",
                                   "litert int8 2t"}
    app = result["app_single_image"]
    assert set(app["paths"]) == {"model(x), eager (before)", "InferenceFunction (after)"}
    assert app["speedup_after_vs_before"] > 0
    (row,) = result["batch_vs_torch"]
    assert row["source"] == "built (random weights)" and row["batch_size"] == 4
    assert row["ratios"]["keras InferenceFunction / keras predict"] > 0
    if importlib.util.find_spec("torch"):
        assert row["ratios"]["keras InferenceFunction / pytorch eval channels_last"] > 0
    saved = json.loads((tmp_path / "inference.json").read_text())
    assert saved["machine"]["cpus"]
    report = _load("report")
    assert "| litert int8 1t |" in report.inference_table(saved)
    assert "| keras InferenceFunction / keras predict |" in report.inference_table(saved)


def test_profile_report_groups_ops_by_family_and_drops_enclosing_spans():
    profile_step = _load("profile_step")
    assert profile_step.family("_MklNativeConv2DBackpropFilter") == "convolution backward"
    assert profile_step.family("aten::mkldnn_convolution") == "convolution"
    assert profile_step.family("_MklNativeFusedBatchNormGradV3") == "batchnorm backward"
    assert profile_step.family("Cast") == "casts"
    result = {"model": "resnet20", "steps": 2, "bf16": False,
              "tensorflow": {"ops_us": {"_MklNativeConv2D": 3000.0, "Cast": 1000.0,
                                        " __inference_multi_step_on_iterator_1": 9e6,
                                        "Process": 9e6},
                             "wall_s": 0.01, "images": 16},
              "pytorch": {"ops_us": {"aten::mkldnn_convolution": 2000.0}, "wall_s": 0.01,
                          "images": 16}}
    lines = profile_step.report(result).splitlines()
    assert any(line.startswith("convolution ") and "1.5 (75.0%)" in line for line in lines)
    assert any(line.startswith("casts") and "0.5 (25.0%)" in line for line in lines)
    assert "__inference" not in profile_step.report(result)
