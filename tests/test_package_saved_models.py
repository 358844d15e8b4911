"""scripts/package_saved_models.py's model card states the real budget: schedule,
augmentation, precision, training time and the machine, and says where the machine was read."""

import importlib.util
import os

from keras_resnets.data import dataset_info
from keras_resnets.training import TrainConfig

SCRIPT = os.path.join(os.path.dirname(__file__), "..", "scripts", "package_saved_models.py")
spec = importlib.util.spec_from_file_location("package_saved_models", SCRIPT)
package_saved_models = importlib.util.module_from_spec(spec)
spec.loader.exec_module(package_saved_models)


def _card(machine, **config):
    config = TrainConfig(**dict(dict(model="resnet20", dataset="fashion_mnist", epochs=30,
                                     augment=True, recipe="cosine", warmup_epochs=1.0),
                                **config))
    metrics = {
        "test_examples": 10000, "test_accuracy": 0.94, "trainable_params": 269_434,
        "flops_per_image": 61_642_496, "depth": 20, "residual_blocks": 9, "log2_paths": 9,
        "train_images": 54000, "train_seconds": 10_321.0, "tflite": {},
        "epoch_seconds": {"min": 89.0, "median": 212.0, "max": 2367.0},
        "machine": machine, "note": "Shared the CPU with another run.",
    }
    return package_saved_models.model_card("resnet20", config, metrics, "keras-resnets train",
                                           dataset_info("fashion_mnist"))


def test_card_states_the_budget_and_the_machine():
    card = _card({"cpu_model": "Intel(R) Xeon(R) Processor", "cpus": 2, "bf16_units": "amx",
                  "recorded_by": "training"})
    assert "| epochs | 30 |" in card
    assert "cosine, 1 epoch(s) of linear warm-up, batch 128, seed 0" in card
    assert "4-pixel zero padding + random 28x28 crop, horizontal flips" in card
    assert "| precision | float32 |" in card
    assert ("10,321 s (2.9 h) on Intel(R) Xeon(R) Processor (2 CPUs, AMX); an epoch took 89 "
            "to 2,367 s (median 212 s)") in card
    assert "packaged" not in card
    assert "Shared the CPU with another run." in card


def test_card_says_when_the_machine_was_read_at_packaging():
    card = _card({"cpu_model": "AMD EPYC", "cpus": 2, "bf16_units": "avx512_bf16",
                  "recorded_by": "packaging"}, augment=False, mixed_precision=True)
    assert "AMD EPYC (2 CPUs, AVX512-BF16) (the machine that packaged the run" in card
    assert "| augmentation | none |" in card
    assert "| precision | mixed bfloat16 |" in card
