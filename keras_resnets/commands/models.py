"""`keras-resnets models`: the registered models, optionally with their profile."""


def add_parser(subparsers):
    parser = subparsers.add_parser("models", help="list the registered models")
    parser.add_argument("--profile", action="store_true",
                        help="build each model and print parameters, FLOPs, depth and paths "
                             "as a Markdown table (slow for the deepest networks)")
    parser.add_argument("names", nargs="*", help="only these models (default: all)")
    parser.set_defaults(func=run)


def run(args):
    import keras_resnets

    names = args.names or keras_resnets.list_models()
    if not args.profile:
        print("\n".join(names))
        return
    from keras_resnets.profile import model_profile

    print("| model | input | parameters | trainable | FLOPs / image | depth | residual blocks | paths |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name in names:
        model = keras_resnets.build(name)
        p = model_profile(model)
        paths = f"{p['paths']:,}" if p["paths"] < 1e6 else f"2^{p['log2_paths']:.0f}"
        shape = "x".join(str(d) for d in model.input_shape[1:])
        print(f"| {name} | {shape} | {p['params']:,} | {p['trainable_params']:,} | "
              f"{p['flops'] / 1e6:,.1f} M | {p['depth']} | {p['residual_blocks']} | {paths} |",
              flush=True)
