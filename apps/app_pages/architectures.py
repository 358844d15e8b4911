"""Architectures: every model of the registry, what it costs (model_profile) and how its
blocks are wired, next to its plain twin."""

import re
import time

import pandas as pd
import streamlit as st

import common
from common import L

st.title(L("Architectures", "Arquiteturas"))
common.idea(
    "One registry builds every network: **ResNets** (basic blocks of two 3×3 convolutions, "
    "or bottlenecks 1×1 → 3×3 → 1×1 that are cheaper when wide; post- or pre-activation), "
    "their **plain twins** (the same layers without $+x$), **DenseNets** (each layer "
    "*concatenates* its output to everything before it, $x_\\ell = [x_0, \\dots, "
    "H_\\ell(x_{\\ell-1})]$) and **U-Nets** (an encoder–decoder whose skip connections carry "
    "fine detail across). An **identity** shortcut adds no weights and almost no FLOPs, "
    "but doubles the number of paths at every block; where a stage changes width or "
    "resolution, a **projection** shortcut (a 1×1 convolution, as in the ImageNet ResNets) "
    "does add weights — that is why resnet50 has 25.6 M parameters and its plain twin "
    "22.8 M.",
    "Um só registro constrói todas as redes: **ResNets** (blocos básicos de duas convoluções "
    "3×3, ou gargalos 1×1 → 3×3 → 1×1, mais baratos quando largos; pós- ou pré-ativação), "
    "suas **gêmeas planas** (as mesmas camadas sem o $+x$), **DenseNets** (cada camada "
    "*concatena* sua saída a tudo o que veio antes, $x_\\ell = [x_0, \\dots, "
    "H_\\ell(x_{\\ell-1})]$) e **U-Nets** (um codificador–decodificador cujas conexões de "
    "atalho levam os detalhes finos adiante). Um atalho **identidade** não acrescenta pesos "
    "e quase nenhum FLOP, mas dobra o número de caminhos a cada bloco; onde um estágio "
    "muda a largura ou a resolução, um atalho de **projeção** (uma convolução 1×1, como nas "
    "ResNets de ImageNet) acrescenta pesos — por isso a resnet50 tem 25,6 M parâmetros e "
    "sua gêmea plana 22,8 M.",
)

import keras_resnets as registry  # noqa: E402
from keras_resnets import profile as profile_mod  # noqa: E402

BIG = ("1202", "1001", "264", "201", "200", "169", "152")
# names whose build and profile (with the twin) take minutes on a 2-core CPU
VERY_BIG = ("resnet1202", "preact_resnet1001", "plain1202")
_BLOCK = re.compile(r"^(conv\d+|dense\d+)_block(\d+)_")


def structure(model):
    """What the diagram needs, read from the layer names and types."""
    names = [layer.name for layer in model.layers]
    kinds = {type(layer).__name__ for layer in model.layers}
    info = {"norm": "BatchNormalization" in kinds, "adds": "Add" in kinds,
            "concats": "Concatenate" in kinds, "stages": [], "levels": 0}
    if any(n.startswith("enc1") for n in names):
        info["family"] = "unet"
        info["levels"] = max(int(m.group(1)) for n in names
                             if (m := re.match(r"^dec(\d+)_", n)))
        info["skip"] = any(n.endswith("_concat") for n in names)
        info["encoder"] = None if any(n.startswith("enc1_") for n in names) else "resnet"
        return info
    if any(n.startswith("enc") for n in names) or any(n.startswith("dec") for n in names):
        info["family"] = "unet"
        info["levels"] = max((int(m.group(1)) for n in names
                              if (m := re.match(r"^dec(\d+)_", n))), default=0)
        info["skip"] = any(n.startswith("dec") and n.endswith("_concat") for n in names)
        info["encoder"] = "resnet"
        return info
    stages = {}
    for layer in model.layers:
        m = _BLOCK.match(layer.name)
        if m:
            stage = stages.setdefault(m.group(1), {"blocks": 0, "channels": None})
            stage["blocks"] = max(stage["blocks"], int(m.group(2)))
            shape = getattr(layer, "output", None)
            if shape is not None and len(layer.output.shape) == 4:
                stage["channels"] = int(layer.output.shape[-1])
                stage["size"] = f"{layer.output.shape[1]}×{layer.output.shape[2]}"
    info["stages"] = [dict(name=k, **v) for k, v in stages.items()]
    if any(n.endswith("_concat") and "_block" in n for n in names):
        info["family"] = "densenet"
        info["skip"] = True
        return info
    info["family"] = "resnet"
    info["skip"] = info["adds"]
    info["preact"] = any(n.endswith("_preact_bn") or n.endswith("_preact_relu") for n in names)
    info["block"] = "bottleneck" if any(n.endswith("_3_conv") and "_block" in n
                                        for n in names) else "basic"
    return info


@st.cache_data(show_spinner=False, max_entries=64)
def profile(name, skip=None):
    """(profile dict, structure dict, seconds) of ``build(name)`` (``skip`` overridden when
    given); raises what build raises."""
    started = time.perf_counter()
    options = {} if skip is None else {"skip": skip}
    model = registry.build(name, **options)
    p = profile_mod.model_profile(model)
    s = structure(model)
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
                lines.append(_node(f"enc{i}", L("ResNet encoder", "codificador ResNet")
                                   + f"\\n{L('stride', 'passo')} {2 ** (i - 1)}"))
            else:
                lines.append(_node(f"enc{i}", f"enc{i}\\nconv3×3 ×2" + ("\\n+BN" if bn else "")))
            lines.append(_node(f"dec{i}", f"dec{i}\\n{L('up', 'amplia')} 2×2, conv3×3 ×2",
                               "#fde2c8"))
        lines.append(_node("bott", L("bottleneck", "gargalo"), "#e8e8e8"))
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
                lines.append(f'enc{i} -> dec{i} [label="{L("concat", "concatena")}", '
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
        lines.append(f'x -> m [label="{L("x (all earlier features)", "x (todas as anteriores)")}", '
                     'style=dashed, color="#1f77b4"];')
        lines.append('m -> y; y [label="[x, H(x)]", shape=plaintext];')
    elif s.get("skip"):
        lines.append(_node("m", "+", "#fde2c8", "circle"))
        lines.append(f"{previous} -> m;")
        lines.append(f'x -> m [label="{L("identity / projection", "identidade / projeção")}", '
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
        lines.append(f'{previous} -> y; y [label="f(x)  ({L("no skip", "sem atalho")})", '
                     'shape=plaintext];')
    lines.append("}")
    return "\n".join(lines)


def stages_dot(s):
    lines = ["digraph G {", "rankdir=TB;", "node [fontsize=14];",
             _node("stem", L("stem", "entrada"), "#e8e8e8")]
    previous = "stem"
    block_word = {"basic": L("basic", "básico"), "bottleneck": L("bottleneck", "gargalo")}.get(
        s.get("block"), "")
    for st_ in s["stages"]:
        label = (f"{st_['name']}\\n{st_['blocks']} × "
                 f"{L('dense layer', 'camada densa') if s['family'] == 'densenet' else block_word}"
                 f"\\n{st_.get('channels')} {L('channels', 'canais')}, {st_.get('size', '')}")
        lines.append(_node(st_["name"], label))
        lines.append(f"{previous} -> {st_['name']};")
        previous = st_["name"]
    lines.append(_node("head", L("pool + dense", "pool + densa"), "#e8e8e8"))
    lines.append(f"{previous} -> head;")
    lines.append("}")
    return "\n".join(lines)


def twin_of(name):
    """(twin's registry name or None, skip override or None, label)."""
    if name.startswith("plain"):
        other = "resnet" + name[len("plain"):]
        if other in registry.list_models():
            return other, None, other
        return name, True, L(f"{name} with skips", f"{name} com atalhos")
    if name.startswith("densenet"):
        return None, None, None
    return name, False, L(f"{name} without skips", f"{name} sem atalhos")


names = registry.list_models()
default = names.index("resnet20") if "resnet20" in names else 0
name = st.selectbox(L("Model", "Modelo"), names, **common.keep("arch_model", names[default], names))
show_twin = st.toggle(L("Compare with the plain twin", "Comparar com a gêmea plana"),
                      **common.keep("arch_twin", True))
built = st.session_state.setdefault("arch_built", set())
ready = True
if name in VERY_BIG and name not in built:
    st.warning(L(f"{name} is very large: building and profiling it (and its twin) takes "
                 "minutes on a 2-core CPU — resnet1202 took about 4 minutes. The result is "
                 "kept, so it is instant the next time.",
                 f"A {name} é muito grande: construí-la e perfilá-la (e a gêmea) leva minutos "
                 "numa CPU de 2 núcleos — a resnet1202 levou cerca de 4 minutos. O resultado "
                 "fica guardado e aparece na hora da próxima vez."))
    ready = st.button(L(f"Build {name}", f"Construir {name}"), key="arch_build_big")
elif any(b in name for b in BIG) and name not in built:
    st.info(L("A big network: building it takes a while the first time (it is kept "
              "afterwards).",
              "Uma rede grande: construí-la demora na primeira vez (depois fica guardada)."))
if ready:
    started = time.perf_counter()
    try:
        with st.spinner(L(f"Building {name}…", f"Construindo {name}…")):
            p, s, _ = profile(name)
    except Exception as err:
        common.failure(L(f"Building {name}", f"Construir {name}"), err)
        st.stop()
    twin = None
    twin_name, twin_skip, twin_label = twin_of(name)
    if show_twin and twin_name is not None:
        try:
            with st.spinner(L(f"Building {twin_label}…", f"Construindo {twin_label}…")):
                twin = profile(twin_name, twin_skip)
        except Exception as err:
            common.failure(L(f"Building the twin {twin_label}", f"Construir a gêmea {twin_label}"),
                           err, st)
    seconds = time.perf_counter() - started
    built.add(name)
    st.caption(L(f"Input {s['input_shape']}, {common.integer(s['layers'])} layers. "
                 + (f"Built and profiled in {common.num(seconds, 1)} s." if seconds > 0.5
                    else "Built before; shown from memory."),
                 f"Entrada {s['input_shape']}, {common.integer(s['layers'])} camadas. "
                 + (f"Construída e perfilada em {common.num(seconds, 1)} s." if seconds > 0.5
                    else "Construída antes; mostrada da memória.")))
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(L("Parameters", "Parâmetros"), common.human(p["params"]))
    c2.metric("FLOPs", common.human(p["flops"]),
              help=L("2 × multiply-adds of the convolutions and dense layers, per image.",
                     "2 × multiplicações-somas das convoluções e densas, por imagem."))
    c3.metric(L("Depth (weight layers)", "Profundidade (camadas com pesos)"), p["depth"])
    c4.metric(L("Input–output paths", "Caminhos entrada–saída"), common.big_int(p["paths"]))

    def row(label, prof):
        return {L("model", "modelo"): label, L("parameters", "parâmetros"): common.human(prof["params"]),
                "FLOPs": common.human(prof["flops"]),
                L("residual blocks", "blocos residuais"): prof["residual_blocks"],
                L("paths", "caminhos"): common.big_int(prof["paths"])}

    rows = [row(name, p)]
    if twin is not None:
        rows.append(row(twin_label, twin[0]))
    elif show_twin:
        st.caption(L(f"{name} has no plain twin in the registry (a DenseNet's "
                     "concatenations are its connectivity).",
                     f"{name} não tem gêmea plana no registro (as concatenações de uma "
                     "DenseNet são sua conectividade)."))
    st.table(pd.DataFrame(rows), hide_index=True)  # wraps on a phone
    if twin is not None and twin[0]["params"] != p["params"]:
        diff = common.human(abs(p["params"] - twin[0]["params"]))
        if s["family"] == "unet":
            st.caption(L(f"The parameters differ by {diff}: the concatenated encoder features "
                         "widen the input of every decoder convolution.",
                         f"Os parâmetros diferem em {diff}: as características concatenadas do "
                         "codificador alargam a entrada de cada convolução do decodificador."))
        else:
            st.caption(L(f"The parameters differ by {diff}: the projection shortcuts (1×1 "
                         "convolutions where a stage changes shape); identity shortcuts have "
                         "no weights.",
                         f"Os parâmetros diferem em {diff}: os atalhos de projeção "
                         "(convoluções 1×1 onde um estágio muda de forma); atalhos identidade "
                         "não têm pesos."))

    left, right = st.columns(2)
    with left:
        st.subheader(L("One block", "Um bloco") if s["family"] != "unet" else "U-Net")
        st.graphviz_chart(block_dot(s))
    with right:
        if twin is not None:
            st.subheader(L("…in the twin", "…na gêmea"))
            st.graphviz_chart(block_dot(twin[1]))
    if s["stages"]:
        st.subheader(L("Stages", "Estágios"))
        st.graphviz_chart(stages_dot(s))
