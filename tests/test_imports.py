"""Importing the library: no side effects, lazy public names, no import cycles, and the
TensorFlow defaults set by the entry points (each import check in a fresh interpreter)."""

import ast
import json
import os
import subprocess
import sys

import pytest

import keras_resnets
from keras_resnets import tensorflow_flags
from keras_resnets.cli import main, make_parser

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
PACKAGE = os.path.join(ROOT, "keras_resnets")
HEAVY = ("keras", "tensorflow", "tensorflow_datasets", "mediapipe")


def fresh(code):
    """Runs ``code`` in a new interpreter from the repository root; returns its JSON print."""
    env = {k: v for k, v in os.environ.items() if k != "TF_ENABLE_ONEDNN_OPTS"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True, timeout=300).stdout
    return json.loads(out.strip().splitlines()[-1])


LOADED = "sorted({m.split('.')[0] for m in sys.modules} & set(%r))" % (HEAVY,)


def test_import_leaves_the_environment_alone_and_loads_no_framework():
    result = fresh(
        "import json, os, sys\n"
        "before = dict(os.environ)\n"
        "import keras_resnets\n"
        "dir(keras_resnets), keras_resnets.__version__\n"
        f"print(json.dumps([dict(os.environ) == before, {LOADED}]))")
    assert result == [True, []]


@pytest.mark.parametrize("statement", [
    "from keras_resnets.lite import Predictor",
    "from keras_resnets.lite import IntegrityError, prepare_images, read_sidecar",
    "from keras_resnets.cli import make_parser; make_parser()",  # `keras-resnets --help`
    "from keras_resnets.training import TrainConfig, RECIPES, STRATEGIES",
    "from keras_resnets.data import FASHION_MNIST_CLASSES",
])
def test_light_imports_load_neither_keras_nor_tensorflow(statement):
    assert fresh(f"import json, sys\n{statement}\nprint(json.dumps({LOADED}))") == []


@pytest.mark.slow
def test_library_loading_registers_zero_pad_channels():
    # the shipped resnet20 was saved with the library's ZeroPadChannels layer
    assert fresh(
        "import json\n"
        "from keras_resnets.artifacts import load_model\n"
        "model = load_model('saved_models/resnet20/model.keras', compile=False)\n"
        "print(json.dumps(model.name))") == "resnet20"


def test_every_public_name_resolves_and_is_listed():
    names = dir(keras_resnets)
    for name in keras_resnets.__all__:
        assert name in names
        assert getattr(keras_resnets, name) is not None
    assert "ZeroPadChannels" in keras_resnets.__all__ and "build" in keras_resnets.__all__
    assert keras_resnets.profile.model_profile  # a submodule, imported on first use
    with pytest.raises(AttributeError, match="has no attribute 'nothing_here'"):
        keras_resnets.nothing_here


def _package_modules():
    modules = {}
    for directory, _, files in os.walk(PACKAGE):
        for file in files:
            if file.endswith(".py"):
                path = os.path.join(directory, file)
                name = os.path.relpath(path[:-3], ROOT).replace(os.sep, ".")
                modules[name.removesuffix(".__init__")] = path
    return modules


def import_graph():
    """Module -> the library modules it imports, at module level or inside functions, by
    name (``importlib``), and those a lazy package table (``_LAZY``) names."""
    modules = _package_modules()
    graph = {}
    for name, path in modules.items():
        package = name if path.endswith("__init__.py") else name.rpartition(".")[0]
        edges = set()
        for node in ast.walk(ast.parse(open(path).read())):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[:len(package.split(".")) - node.level + 1]
                    base = ".".join(parts + ([base] if base else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                           for a in node.names]
            elif isinstance(node, ast.Constant) and node.value in modules and "." in node.value:
                targets = [node.value]  # importlib.import_module("keras_resnets....")
            elif isinstance(node, ast.Assign) and any(
                    getattr(t, "id", None) == "_LAZY" for t in node.targets):
                targets = list(ast.literal_eval(node.value))
            edges |= {t for t in targets if t in modules and t != name}
        graph[name] = edges
    return graph


def test_no_import_cycles():
    graph = import_graph()
    assert graph["keras_resnets.data.scenes"] and graph["keras_resnets.cli"]  # read at all
    state, stack = {}, []

    def visit(module):
        state[module] = "open"
        stack.append(module)
        for other in sorted(graph[module]):
            if state.get(other) == "open":
                raise AssertionError(" -> ".join(stack[stack.index(other):] + [other]))
            if other not in state:
                visit(other)
        stack.pop()
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module)


def test_set_tensorflow_defaults_keeps_the_opt_out():
    environ = {}
    tensorflow_flags.set_tensorflow_defaults(environ)
    assert environ == {"TF_ENABLE_ONEDNN_OPTS": "1"}
    environ = {"TF_ENABLE_ONEDNN_OPTS": "0"}
    tensorflow_flags.set_tensorflow_defaults(environ)
    assert environ == {"TF_ENABLE_ONEDNN_OPTS": "0"}


def test_the_command_line_sets_the_tensorflow_defaults(monkeypatch, capsys):
    monkeypatch.delenv("TF_ENABLE_ONEDNN_OPTS", raising=False)
    assert main(["models"]) == 0
    assert os.environ["TF_ENABLE_ONEDNN_OPTS"] == "1"
    assert "resnet20" in capsys.readouterr().out.split()


def _choices(parser, command, option):
    sub = next(a for a in parser._actions if a.dest == "command").choices[command]
    return tuple(next(a for a in sub._actions if option in (a.dest, *a.option_strings)).choices)


def test_argparse_choices_come_from_the_library_lists(capsys):
    from keras_resnets.data import list_datasets
    from keras_resnets.experiments import EXPERIMENTS
    from keras_resnets.lite.export import QUANTIZATIONS
    from keras_resnets.lite.mobile import TARGETS
    from keras_resnets.training import RECIPES, STRATEGIES

    parser = make_parser()
    assert _choices(parser, "train", "--recipe") == RECIPES
    assert _choices(parser, "train", "--strategy") == STRATEGIES
    assert _choices(parser, "train", "--dataset") == tuple(list_datasets())
    assert _choices(parser, "evaluate", "--dataset") == tuple(list_datasets())
    assert _choices(parser, "experiment", "name") == EXPERIMENTS
    assert _choices(parser, "export", "--target") == TARGETS
    assert _choices(parser, "export", "--int8-io") == ("none", "int8", "uint8")
    assert parser.parse_args(["export", "m.keras", "--out", "o"]).quantization.split(",") \
        == list(QUANTIZATIONS)
    assert main(["train", "resnet20", "--out", "o", "--recipe", "he2015"]) == 2
    assert capsys.readouterr().err == (
        "keras-resnets train: error: argument --recipe: invalid choice: 'he2015' (choose from "
        "'he2016', 'cosine', 'adam')\n")


def test_fashion_mnist_class_names_have_one_source():
    from keras_resnets.data import FASHION_MNIST_CLASSES, dataset_info

    assert dataset_info("fashion_mnist").class_names == FASHION_MNIST_CLASSES
    assert dataset_info("fashion_scenes").class_names == ("background",) + FASHION_MNIST_CLASSES
    assert len(FASHION_MNIST_CLASSES) == 10 and FASHION_MNIST_CLASSES[9] == "Ankle boot"
