"""Architectures: every model of the registry, what it costs (model_profile) and how its
blocks are wired, next to its plain twin."""

import math
import time

import pandas as pd
import streamlit as st

from keras_resnets_app import alerts
from keras_resnets_app import formatting as fmt
from keras_resnets_app.language import keep, t

st.title(t("architectures.title"))
st.markdown(t("architectures.idea"))

import keras_resnets as registry  # noqa: E402
from keras_resnets import profile as profile_mod  # noqa: E402

BIG = ("1202", "1001", "264", "201", "200", "169", "152")
# names whose build and profile (with the twin) take minutes on a 2-core CPU
VERY_BIG = ("resnet1202", "preact_resnet1001", "plain1202")


def structure(model, spec):
    """What the diagrams need: the family, block and stages from the model's `ModelSpec`,
    what overrides can change (normalization, additions, skip connections) and each
    stage's width and resolution from the built ``model``."""
    kinds = {type(layer).__name__ for layer in model.layers}
    family = spec.family if spec.family in ("unet", "densenet") else "resnet"
    info = {"family": family, "norm": "BatchNormalization" in kinds, "adds": "Add" in kinds,
            "concats": "Concatenate" in kinds, "stages": [], "levels": 0,
            "preact": spec.preact, "block": spec.block}
    if family == "unet":
        # a level per halving of the resolution (the paper's 4; 5 on a ResNet encoder)
        info["levels"] = int(math.log2(max(spec.feature_strides)))
        info["encoder"] = spec.encoder
        info["skip"] = info["concats"]
        return info
    info["skip"] = info["concats"] if family == "densenet" else info["adds"]
    for stage, blocks in spec.stages:
        # the stage's output: its last block's last layer (`_out`, `_concat` for a DenseNet,
        # `_3_conv` for a pre-activation block without its addition)
        prefix = f"{stage}_block{blocks}_"
        last = [layer for layer in model.layers if layer.name.startswith(prefix)][-1]
        shape = last.output.shape
        info["stages"].append({"name": stage, "blocks": blocks, "channels": int(shape[-1]),
                               "size": f"{shape[1]}×{shape[2]}"})
    return info


@st.cache_data(show_spinner=False, max_entries=64)
def profile(name, **overrides):
    """(profile dict, structure dict, seconds) of ``build(name, **overrides)``; raises what
    build raises."""
    started = time.perf_counter()
    model = registry.build(name, **overrides)
    p = profile_mod.model_profile(model)
    s = structure(model, registry.model_spec(name))
    s["input_shape"] = tuple(model.inputs[0].shape[1:])
    s["layers"] = len(model.layers)
    return p, s, time.perf_counter() - started


def _node(name, label, color="#dbe9f6", shape="box"):
    return f'{name} [label="{label}", shape={shape}, style="rounded,filled", fillcolor="{color}"];'


def block_dot(s):
    """DOT text of one block of the family, as the model builds it."""
    bn = s.get("norm")
    lines = ["digraph G {", f"rankdir=TB;",
             "node [fontsize=14, height=0.3];", "edge [fontsize=13];", "ranksep=0.2;",
             _node("x", "x", "#ffffff", "plaintext")]
    chain = []
    if s["family"] == "unet":
        levels = max(1, s.get("levels") or 1)
        for i in range(1, levels + 1):
            if s.get("encoder"):
                lines.append(_node(f"enc{i}", t("architectures.resnet_encoder")
                                   + f"\\n{t('architectures.stride')} {2 ** (i - 1)}"))
            else:
                lines.append(_node(f"enc{i}", f"enc{i}\\nconv3×3 ×2" + ("\\n+BN" if bn else "")))
            lines.append(_node(f"dec{i}", f"dec{i}\\n{t('architectures.up')} 2×2, conv3×3 ×2",
                               "#fde2c8"))
        lines.append(_node("bott", t("architectures.bottleneck"), "#e8e8e8"))
        lines.append(_node("out", "1×1 conv\\nsoftmax", "#ffffff"))
        lines.append("x -> enc1;")
        for i in range(1, levels):
            lines.append(f'enc{i} -> enc{i + 1} [label="pool"];')  # pooling: same word in pt
        lines.append(f'enc{levels} -> bott [label="pool"];')
        lines.append(f"bott -> dec{levels};")
        for i in range(levels, 1, -1):
            lines.append(f"dec{i} -> dec{i - 1};")
        lines.append("dec1 -> out;")
        if s.get("skip"):
            for i in range(2 if s.get("encoder") else 1, levels + 1):
                lines.append(f'enc{i} -> dec{i} [label="{t("architectures.concat")}", '
                             'style=dashed, color="#1f77b4", constraint=false];')
        lines.append("}")
        return "\n".join(lines)
    if s["family"] == "densenet":
        chain = (["BN", "ReLU"] if bn else ["ReLU"]) + ["conv 1×1 (4k)"] + \
                (["BN", "ReLU"] if bn else ["ReLU"]) + ["conv 3×3 (k)"]
    elif s.get("preact"):
        unit = (["BN", "ReLU"] if bn else ["ReLU"])
        chain = (unit + ["conv 3×3"] + unit + ["conv 3×3"]) if s["block"] == "basic" else \
                (unit + ["conv 1×1"] + unit + ["conv 3×3"] + unit + ["conv 1×1 (4×)"])
    else:
        unit = ["BN", "ReLU"] if bn else ["ReLU"]
        if s["block"] == "basic":
            chain = ["conv 3×3"] + unit + ["conv 3×3"] + (["BN"] if bn else [])
        else:
            chain = ["conv 1×1"] + unit + ["conv 3×3"] + unit + ["conv 1×1 (4×)"] + \
                    (["BN"] if bn else [])
    previous = "x"
    for i, label in enumerate(chain):
        color = "#dbe9f6" if "conv" in label else "#f2f2f2"
        lines.append(_node(f"n{i}", label, color))
        lines.append(f"{previous} -> n{i};")
        previous = f"n{i}"
    if s["family"] == "densenet":
        lines.append(_node("m", "concat", "#fde2c8", "ellipse"))
        lines.append(f"{previous} -> m;")
        lines.append(f'x -> m [label="{t("architectures.dense_input")}", '
                     'style=dashed, color="#1f77b4"];')
        lines.append('m -> y; y [label="[x, H(x)]", shape=plaintext];')
    elif s.get("skip"):
        lines.append(_node("m", "+", "#fde2c8", "circle"))
        lines.append(f"{previous} -> m;")
        lines.append(f'x -> m [label="{t("architectures.shortcut")}", '
                     'style=dashed, color="#1f77b4"];')
        if s.get("preact"):
            lines.append('m -> y; y [label="x + f(x)", shape=plaintext];')
        else:
            lines.append(_node("r", "ReLU", "#f2f2f2"))
            lines.append('m -> r; r -> y; y [label="relu(x + f(x))", shape=plaintext];')
    else:
        if not s.get("preact"):
            lines.append(_node("r", "ReLU", "#f2f2f2"))
            lines.append(f"{previous} -> r;")
            previous = "r"
        lines.append(f'{previous} -> y; y [label="f(x)  ({t("architectures.no_skip")})", '
                     'shape=plaintext];')
    lines.append("}")
    return "\n".join(lines)


def stages_dot(s):
    lines = ["digraph G {", "rankdir=TB;", "node [fontsize=14];",
             _node("stem", t("architectures.stem"), "#e8e8e8")]
    previous = "stem"
    block_word = {"basic": t("architectures.basic"),
                  "bottleneck": t("architectures.bottleneck")}.get(s.get("block"), "")
    for st_ in s["stages"]:
        label = (f"{st_['name']}\\n{st_['blocks']} × "
                 f"{t('architectures.dense_layer') if s['family'] == 'densenet' else block_word}"
                 f"\\n{st_.get('channels')} {t('architectures.channels')}, {st_.get('size', '')}")
        lines.append(_node(st_["name"], label))
        lines.append(f"{previous} -> {st_['name']};")
        previous = st_["name"]
    lines.append(_node("head", t("architectures.pool_dense"), "#e8e8e8"))
    lines.append(f"{previous} -> head;")
    lines.append("}")
    return "\n".join(lines)


def twin_of(name):
    """(twin's registry name, its overrides, label), or (None, None, None) for a network
    without a twin (`ModelSpec.twin`)."""
    twin = registry.model_spec(name).twin()
    if twin is None:
        return None, None, None
    other, overrides = twin
    label = t("architectures.without_skips", name=name) if overrides else other
    return other, overrides, label


names = registry.list_models()
default = names.index("resnet20") if "resnet20" in names else 0
name = st.selectbox(t("common.model_select"), names, **keep("arch_model", names[default], names))
show_twin = st.toggle(t("architectures.compare_twin"), **keep("arch_twin", True))
built = st.session_state.setdefault("arch_built", set())
ready = True
if name in VERY_BIG and name not in built:
    st.warning(t("architectures.very_large", name=name))
    ready = st.button(t("architectures.build", name=name), key="arch_build_big")
elif any(b in name for b in BIG) and name not in built:
    st.info(t("architectures.big"))
if ready:
    started = time.perf_counter()
    try:
        with st.spinner(t("architectures.building_spinner", name=name)):
            p, s, _ = profile(name)
    except Exception as err:
        alerts.show_failure(t("architectures.build_what", name=name), err)
        st.stop()
    twin = None
    twin_name, twin_overrides, twin_label = twin_of(name)
    if show_twin and twin_name is not None:
        try:
            with st.spinner(t("architectures.building_twin_spinner", twin_label=twin_label)):
                twin = profile(twin_name, **twin_overrides)
        except Exception as err:
            alerts.show_failure(t("architectures.build_twin_what", twin_label=twin_label), err)
    seconds = time.perf_counter() - started
    built.add(name)
    how = t("architectures.built_now", seconds=fmt.num(seconds, 1)) if seconds > 0.5 \
        else t("architectures.built_before")
    st.caption(t("architectures.input_and_layers", shape=s["input_shape"],
                 layers=fmt.integer(s["layers"]), how=how))
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(t("architectures.parameters"), fmt.human(p["params"]))
    c2.metric("FLOPs", fmt.human(p["flops"]), help=t("architectures.flops_help"))
    c3.metric(t("architectures.depth_weight_layers"), p["depth"])
    c4.metric(t("architectures.paths_metric"), fmt.big_int(p["paths"]))

    def row(label, prof):
        return {t("common.model"): label,
                t("architectures.parameters_column"): fmt.human(prof["params"]),
                "FLOPs": fmt.human(prof["flops"]),
                t("architectures.residual_blocks"): prof["residual_blocks"],
                t("architectures.paths_column"): fmt.big_int(prof["paths"])}

    rows = [row(name, p)]
    if twin is not None:
        rows.append(row(twin_label, twin[0]))
    elif show_twin:
        st.caption(t("architectures.no_twin", name=name))
    st.table(pd.DataFrame(rows), hide_index=True)  # wraps on a phone
    if twin is not None and twin[0]["params"] != p["params"]:
        diff = fmt.human(abs(p["params"] - twin[0]["params"]))
        if s["family"] == "unet":
            st.caption(t("architectures.difference_unet", diff=diff))
        else:
            st.caption(t("architectures.difference_projections", diff=diff))

    left, right = st.columns(2)
    with left:
        st.subheader(t("architectures.one_block") if s["family"] != "unet" else "U-Net")
        st.graphviz_chart(block_dot(s))
    with right:
        if twin is not None:
            st.subheader(t("architectures.in_twin"))
            st.graphviz_chart(block_dot(twin[1]))
    if s["stages"]:
        st.subheader(t("architectures.stages"))
        st.graphviz_chart(stages_dot(s))
