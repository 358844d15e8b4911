"""Markdown tables (the README's) from the benchmark result files.

    .venv/bin/python benchmarks/report.py [--results benchmarks/results]
"""

import argparse
import json
import os


def _speed_table(rows, shape, mfu=False, digits=1):
    """Images/s of every candidate of every model row (and its model FLOP utilization)."""
    lines = ["| model (batch) | candidate | images/s |" + (" MFU |" if mfu else ""),
             "|---|---|---:|" + ("---:|" if mfu else "")]
    for row in rows:
        label = f"{row['model']} {shape(row)} ({row['batch_size']})"
        for name, speed in row["images_per_second"].items():
            lines.append(f"| {label} | {name} | {speed:.{digits}f} |"
                         + (f" {100 * row['mfu'][name]:.1f}% |" if mfu else ""))
            label = ""
    return lines


def _ratio_table(rows):
    lines = ["| model | ratio (median of per-round ratios) | x |", "|---|---|---:|"]
    for row in rows:
        label = row["model"]
        for name, value in row["ratios"].items():
            lines.append(f"| {label} | {name} | {value:.2f} |")
            label = ""
    return lines


def training_tables(result):
    machine = result["machine"]
    cpu = machine.get("cpu_model", machine["processor"])
    lines = [f"Machine: {cpu}, {machine['cpus']} cores, "
             f"TensorFlow {machine.get('tensorflow')}, PyTorch {result.get('torch')}, "
             f"bfloat16 units: {'yes' if result.get('bf16_units') else 'no'}; "
             f"matmul peak " + ", ".join(f"{k} {v / 1e9:.0f} GFLOP/s"
                                         for k, v in result["matmul_peak_flops"].items()) + ".",
             ""]
    lines += _speed_table(result["models"],
                          lambda row: f"{'x'.join(map(str, row['input_shape']))}", mfu=True)
    lines += [""] + _ratio_table(result["models"])
    epochs = [(row["model"], name, parts) for row in result["models"]
              for name, parts in row.get("cli_epochs", {}).items()]
    if epochs:
        lines += ["", "| model | command line's epoch | images / epoch | training loop | "
                      "validation | epoch-end callbacks | training loop / bare step |",
                  "|---|---|---:|---:|---:|---:|---:|"]
        for model, name, p in epochs:
            lines.append(
                f"| {model} | {name} | {p['images_per_epoch']} | {p['train_loop_s']:.1f} s "
                f"({100 * p['train_loop_share']:.0f}%) | {p['validation_s']:.1f} s "
                f"({100 * p['validation_share']:.0f}%) | {p['epoch_end_callbacks_s']:.1f} s "
                f"({100 * p['epoch_end_callbacks_share']:.0f}%) | "
                f"{p['train_loop_vs_bare_step']:.2f} |")
    pipeline, probes = result["pipeline"], result.get("probe_latency")
    text = (f"Input pipeline (shuffle, pad-crop, flip): {pipeline['images_per_second']:.0f} "
            f"images/s, {pipeline['vs_training_step']:.1f}x the first model's training step.")
    if probes:
        text += (f" Probes on a {probes['depth']}-layer network: build {probes['build_s']:.2f} "
                 f"s, activation statistics {probes['activation_stats_s']:.2f} s, gradient "
                 f"norms {probes['gradient_norms_s']:.2f} s.")
    machine = result["machine"]
    load = machine.get("load_average_at_start")
    if load:
        text += f" Load average at the start: {load[0]:.1f}."
    return "\n".join(lines + ["", text])


def inference_table(result):
    lines = []
    machine = result["machine"]
    lines += [f"Machine: {machine.get('cpu_model', machine['processor'])}, {machine['cpus']} "
              f"cores, TensorFlow {machine.get('tensorflow')}.", ""]
    app = result.get("app_single_image")
    if app:
        lines += [f"The app's Keras column, one 28x28 image ({app['rounds']} alternating rounds "
                  f"x {app['calls_per_round']} calls; tracing + warm-up once: "
                  f"{app['trace_and_warm_up_ms']:.0f} ms):", "",
                  "| path | median ms | p90 ms |", "|---|---:|---:|"]
        for name, row in app["paths"].items():
            lines.append(f"| {name} | {row['median_ms']:.2f} | {row['p90_ms']:.2f} |")
        lines += ["", f"After / before (median of per-round ratios): "
                      f"{app['speedup_after_vs_before']:.1f}x.", ""]
    if result.get("batch_vs_torch"):
        lines += _speed_table(result["batch_vs_torch"], lambda row: "28x28x1", digits=0)
        lines += [""] + _ratio_table(result["batch_vs_torch"]) + [""]
    lines += ["| variant | median ms | p90 ms | x vs `model(x)` | size KB |",
              "|---|---:|---:|---:|---:|"]
    for name, row in result["rows"].items():
        size = f"{row['file_size_bytes'] / 1024:.0f}" if "file_size_bytes" in row else ""
        lines.append(f"| {name} | {row['median_ms']:.2f} | {row['p90_ms']:.2f} | "
                     f"{row['speedup_vs_keras_call']:.1f} | {size} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", default="benchmarks/results")
    args = parser.parse_args(argv)
    names = sorted(os.listdir(args.results)) if os.path.isdir(args.results) else []
    for name, render in (("training", training_tables), ("inference", inference_table)):
        files = [n for n in names if n == f"{name}.json"
                 or (n.startswith(f"{name}_") and n.endswith(".json"))]
        if not files:
            print(f"({os.path.join(args.results, name)}.json: not run yet)\n")
        for file in files:
            with open(os.path.join(args.results, file)) as f:
                print(f"{file}:\n\n{render(json.load(f))}\n")


if __name__ == "__main__":
    main()
