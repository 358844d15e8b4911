"""The experiments run end to end on tiny budgets and fake data (the real runs are scripts)."""

import json
import os

import pytest

import keras_resnets as kr
from keras_resnets.cli import main
from keras_resnets.experiments import run_experiment
from tests.fakes import write_fake_mnist


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return write_fake_mnist(tmp_path_factory.mktemp("fmnist"), n_train=256, n_test=64)


def test_degradation_end_to_end_and_resumes(data_dir, tmp_path):
    out = str(tmp_path / "deg")
    options = dict(depths=(8,), epochs=1, limit_train=128, limit_test=32, batch_size=64,
                   train_eval_images=64, width=0.25, data_dir=data_dir, verbose=0)
    results = run_experiment("degradation", out, **options)
    assert [(r["depth"], r["skip"]) for r in results["runs"]] == [(8, False), (8, True)]
    for r in results["runs"]:
        assert 0.0 <= r["train_error"] <= 1.0 and 0.0 <= r["test_error"] <= 1.0
        assert len(r["history"]) == 1
    assert set(results["effect"]) >= {"shown", "plain_deeper_has_higher_train_error"}
    assert os.path.getsize(os.path.join(out, "degradation.png")) > 1000
    saved = json.load(open(os.path.join(out, "results.json")))
    assert saved["runs"][0]["model"] == "plain8" and "command" in saved
    again = run_experiment("degradation", out, **options)  # reads the finished runs
    assert [r["test_error"] for r in again["runs"]] == [r["test_error"] for r in results["runs"]]


def test_degradation_full_budget_records_fig6_curves(data_dir, tmp_path):
    out = str(tmp_path / "full")
    results = run_experiment(
        "degradation", out, budget="full", depths=(20,), epochs=2, limit_train=128,
        limit_test=32, batch_size=64, train_eval_images=64, width=0.25, data_dir=data_dir,
        verbose=0)
    assert results["budget_name"] == "full"
    assert results["budget"]["augment"] is True and results["budget"]["test_every_epoch"]
    for r in results["runs"]:
        assert [h["epoch"] for h in r["history"]] == [1, 2]
        assert all(0.0 <= h["test_accuracy"] <= 1.0 and h["test_seconds"] > 0
                   for h in r["history"])
        config = json.load(open(os.path.join(out, r["run_dir"], "config.json")))
        assert config["model"] == r["model"]  # resnet20 / plain20: the registry's own names
        assert config["test_every_epoch"] and config["augment"]
    assert results["effect"]["residual_train_error_at_most_plain_by_depth"].keys() == {"20"}
    assert os.path.getsize(os.path.join(out, "degradation_curves.png")) > 1000


def test_degradation_refuses_bad_depths_budgets_and_options(tmp_path):
    with pytest.raises(ValueError, match="6n\\+2"):
        run_experiment("degradation", str(tmp_path), depths=(9,))
    with pytest.raises(ValueError, match="budget must be one of short, full"):
        run_experiment("degradation", str(tmp_path), budget="long")
    with pytest.raises(ValueError, match="Unknown degradation option.*epochz"):
        run_experiment("degradation", str(tmp_path), epochz=3)


def test_lesion_defaults_to_resnet56_and_its_plain_twin():
    from keras_resnets.experiments.lesion import default_models

    assert default_models() == ("saved_models/resnet56/model.keras",
                                "saved_models/plain56/model.keras")


def test_degradation_trains_registered_twins_where_the_depth_has_them():
    from keras_resnets.experiments.degradation import _twins

    assert _twins(56) == {True: "resnet56", False: "plain56"}
    assert _twins(8) == {True: "resnet20", False: "plain20"}  # overridden with depth=8


def test_lesion_experiment(data_dir, tmp_path):
    paths = []
    for name in ("resnet20", "plain20"):
        model = kr.build(name, input_shape=(28, 28, 1), depth=8, width=0.25,
                         include_preprocessing=True, name=f"tiny_{name}")
        paths.append(str(tmp_path / f"{name}.keras"))
        model.save(paths[-1])
    results = run_experiment("lesion", str(tmp_path / "lesion"), models=paths,
                             num_images=32, data_dir=data_dir, verbose=0)
    assert len(results["tiny_resnet20"]) == 3
    assert all(r["accuracy"] is not None for r in results["tiny_resnet20"])
    assert set(results["baseline"]) == {"tiny_resnet20", "tiny_plain20"}


def test_unet_skips_experiment(data_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_RESNETS_CACHE", str(tmp_path / "cache"))
    results = run_experiment("unet_skips", str(tmp_path / "unet"), epochs=1, limit_train=64,
                             train_images=80, limit_test=32, batch_size=16, base_filters=4,
                             depth=2, data_dir=data_dir, verbose=0)
    for key in ("with_skips", "without_skips"):
        assert 0.0 <= results[key]["mean_iou"] <= 1.0
        config = json.loads((tmp_path / "unet" / results[key]["run_dir"] / "config.json")
                            .read_text())
        assert config["dataset_options"] == {"train_images": 80}
    assert results["without_skips"]["params"] < results["with_skips"]["params"]
    assert results["budget_name"] == "short" and results["budget"]["epochs"] == 1
    with pytest.raises(ValueError, match="Unknown unet_skips option.*filters"):
        run_experiment("unet_skips", str(tmp_path / "bad"), filters=4)
    with pytest.raises(ValueError, match="budget must be one of short, full"):
        run_experiment("unet_skips", str(tmp_path / "bad"), budget="huge")


def test_deep_experiment_tiny(data_dir, tmp_path):
    results = run_experiment("deep", str(tmp_path / "deep"), depth=11, steps=4, batch_size=8,
                             data_dir=data_dir, verbose=0)
    for run in results["runs"].values():
        assert len(run["loss_per_step"]) == 4
        assert run["verdict"]


def test_cli_experiment_errors(tmp_path, capsys):
    assert main(["experiment", "nosuch", "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err.startswith(
        "keras-resnets experiment: error: argument NAME: invalid choice: 'nosuch' (choose from ")
    assert main(["experiment", "deep", "--out", str(tmp_path), "--set", "bogus=1"]) == 2
    assert "bad option" in capsys.readouterr().err
