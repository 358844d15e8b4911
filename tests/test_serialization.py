"""Every family saves to a .keras file that plain Keras loads with safe_mode=True (no
Lambda layers), without keras_resnets, and gives identical outputs. (Every registered model's
in-process round trip is in test_registry_contract.py.)"""

import keras
import numpy as np

import keras_resnets as kr

FAMILIES = {
    "cifar_resnet_option_a": lambda: kr.build("resnet20", input_shape=(16, 16, 1)),
    "plain": lambda: kr.build("plain20", input_shape=(16, 16, 1), include_preprocessing=True),
    "preact_bottleneck": lambda: kr.PreActResNet(depth=11, input_shape=(16, 16, 3)),
    "imagenet_basic": lambda: kr.ResNet18(input_shape=(32, 32, 3), width=0.125, classes=5),
    "imagenet_v2": lambda: kr.ResNet50V2(input_shape=(32, 32, 3), width=0.125, classes=5),
    "densenet_bc": lambda: kr.build("densenet_bc100", input_shape=(16, 16, 1)),
    "unet": lambda: kr.build("unet", input_shape=(32, 32, 1), classes=3, depth=2,
                             base_filters=4, upsampling="bilinear"),
}


def test_builders_import_nothing_from_tensorflow():
    import pathlib

    package = pathlib.Path(kr.__file__).parent
    for module in ("blocks", "layers", "resnet", "densenet", "unet", "applications", "stems",
                   "heads", "registry", "validation", "profile"):
        source = (package / f"{module}.py").read_text()
        assert "import tensorflow" not in source and "from tensorflow" not in source, module


def test_every_family_loads_with_plain_keras_without_importing_keras_resnets(tmp_path):
    """A user without keras_resnets installed opens the files the builders make (no Lambda
    layers: safe_mode=True) and gets the same layers and identical outputs."""
    import subprocess
    import sys

    paths = []
    for family, make in sorted(FAMILIES.items()):
        model = make()
        assert not any(isinstance(l, keras.layers.Lambda) for l in model.layers), family
        paths.append(str(tmp_path / f"{family}.keras"))
        model.save(paths[-1])
        x = np.random.default_rng(0).uniform(0, 255, (2, *model.input_shape[1:]))
        x = x.astype("float32")
        np.savez(paths[-1] + ".npz", x=x, y=model(x, training=False),
                 names=np.array([l.name for l in model.layers]))
    script = (
        "import sys, keras, numpy as np\n"
        "for path in sys.argv[1:]:\n"
        "    model = keras.saving.load_model(path, safe_mode=True)\n"
        "    saved = np.load(path + '.npz')\n"
        "    np.testing.assert_array_equal(model(saved['x'], training=False), saved['y'])\n"
        "    assert [l.name for l in model.layers] == list(saved['names']), path\n"
        "assert not [m for m in sys.modules if m.startswith('keras_resnets')]\n"
        "print('loaded', len(sys.argv) - 1)\n")
    done = subprocess.run([sys.executable, "-c", script, *paths], capture_output=True,
                          text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"loaded {len(paths)}" in done.stdout
