"""keras_resnets.training.config: TrainConfig is validated up front, saved and read back;
a run directory holding another configuration is refused."""

import json

import pytest
from fakes import TINY_OPTIONS

from keras_resnets import artifacts
from keras_resnets.training import ConfigMismatch, TrainConfig, train


def test_unknown_model_suggests_close_names():
    with pytest.raises(ValueError, match=r"Unknown model 'resnet2O'\. Did you mean: [^?]*resnet20"):
        TrainConfig("resnet2O")


@pytest.mark.parametrize("field, value, message", [
    ("dataset", "imagenet", r"`dataset` must be one of .*'fashion_mnist'.*Received: dataset='imagenet'"),
    ("strategy", "horovod", r"`strategy` must be one of 'auto', .*Received: strategy='horovod'"),
    ("recipe", "sgd", r"`recipe` must be one of 'he2016', 'cosine', 'adam'. Received: recipe='sgd'"),
    ("epochs", 0, r"`epochs` must be >= 1. Received: epochs=0"),
    ("batch_size", 0, r"`batch_size` must be >= 1"),
    ("learning_rate", 0.0, r"`learning_rate` must be in \(0.0, 10.0\]"),
    ("validation_split", 0.9, r"`validation_split` must be in \[0.0, 0.5\]"),
    ("warmup_epochs", 20.0, r"`warmup_epochs` must be in \[0.0, 10.0\]"),
    ("limit_train", 0, r"`limit_train` must be >= 1"),
])
def test_bad_values(field, value, message):
    with pytest.raises(ValueError, match=message):
        TrainConfig("resnet20", **{field: value})


@pytest.mark.parametrize("field, value", [("augment", "yes"), ("epochs", 2.0),
                                          ("model_options", "{}"), ("seed", None)])
def test_bad_types(field, value):
    with pytest.raises(TypeError, match=f"`{field}` must"):
        TrainConfig("resnet20", **{field: value})


def test_round_trip(tmp_path):
    config = TrainConfig("resnet20", epochs=3, recipe="cosine", warmup_epochs=1.0,
                         model_options={"stage_filters": (8, 16, 32)})
    assert TrainConfig.from_dict(config.to_dict()) == config
    path = artifacts.write_json(tmp_path / "config.json", config.to_dict())
    loaded = TrainConfig.load(path)
    assert loaded.to_dict() == json.loads(json.dumps(config.to_dict()))
    with pytest.raises(ValueError, match="Unknown training config keys: colour"):
        TrainConfig.from_dict(dict(config.to_dict(), colour="red"))
    with pytest.raises(TypeError, match="must be a JSON object. Received: list"):
        TrainConfig.from_dict([1])
    (tmp_path / "bad.json").write_text("{nope")
    with pytest.raises(ValueError, match="bad.json: not valid JSON"):
        TrainConfig.load(tmp_path / "bad.json")


def _started_run(run_dir, config):
    """A run directory as `train` leaves it after its first epoch (config and backup)."""
    artifacts.write_json(run_dir / "config.json", config.to_dict())
    (run_dir / "backup").mkdir()
    (run_dir / "backup" / "epoch-0001.keras").write_bytes(b"")
    artifacts.write_json(run_dir / "backup" / "state.json", {
        "epochs_done": 1, "model_file": "epoch-0001.keras", "best": None,
        "monitor": "val_accuracy", "history": []})


def test_other_config_in_run_dir_refused(tmp_path):
    saved = TrainConfig("resnet20", epochs=2, model_options=dict(TINY_OPTIONS))
    _started_run(tmp_path, saved)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    changed = TrainConfig("resnet20", epochs=2, learning_rate=0.5, seed=1,
                          model_options=dict(TINY_OPTIONS))
    with pytest.raises(ConfigMismatch, match=r"different configuration \(learning_rate, seed "
                                             r"differ\); use another --out"):
        train(changed, str(tmp_path), verbose=0)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_same_config_with_tuples_is_not_a_mismatch(tmp_path):
    """JSON turns tuples into lists; the saved config must still match (found by this test)."""
    from keras_resnets.training import runner

    config = TrainConfig("resnet20", model_options={"stage_filters": (4, 8, 16)})
    _started_run(tmp_path, config)
    runner._check_config(str(tmp_path), config)  # no ConfigMismatch
    other = TrainConfig("resnet20", model_options={"stage_filters": (4, 8, 32)})
    with pytest.raises(ConfigMismatch, match=r"\(model_options differ\)"):
        runner._check_config(str(tmp_path), other)


def test_train_refuses_a_non_config(tmp_path):
    with pytest.raises(TypeError, match="must be a TrainConfig. Received: dict"):
        train({"model": "resnet20"}, str(tmp_path))


def test_dataset_options(tmp_path):
    config = TrainConfig("unet", dataset="fashion_scenes",
                         dataset_options={"train_images": 24000})
    assert TrainConfig.from_dict(config.to_dict()) == config
    with pytest.raises(ValueError, match="'fashion_mnist' does not take option"):
        TrainConfig("resnet20", dataset_options={"train_images": 10})
    with pytest.raises(TypeError, match="`dataset_options` must be a dict"):
        TrainConfig("unet", dataset="fashion_scenes", dataset_options=[1])
    # a config.json written before the field existed still loads, with no options
    old = {k: v for k, v in TrainConfig("resnet20").to_dict().items() if k != "dataset_options"}
    path = artifacts.write_json(tmp_path / "config.json", old)
    assert TrainConfig.load(path).dataset_options == {}
