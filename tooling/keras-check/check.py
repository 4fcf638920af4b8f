#!/usr/bin/env python3
"""Checks a genoise Keras export: Keras 3 loads it and gives the tfjs outputs.

    python3 tooling/keras-check/check.py EXPORT_FOLDER [EXPORT_FOLDER ...] [--atol 1e-4] [--rtol 1e-4] [--json]

EXPORT_FOLDER is what `writeKerasExport` (@genoise/models/node) or `genoise export --format keras`
wrote with a reference batch: config.json, weights.npz, export.json, load_keras.py, reference.npz.
The check runs the folder's own load_keras.py (`load_keras.py FOLDER --out TMP/model.keras`, as a
user does) to build the model and save a real .keras file, loads that file back with
keras.saving.load_model, runs the reference input in inference mode (batch norm on its moving
statistics) and compares every output with the tfjs one:
|keras - tfjs| <= atol + rtol * |tfjs| element-wise (numpy.allclose), float32.

Exit status: 0 all outputs match; 1 an output differs; 2 an export cannot be read or loaded (with
several folders, the worst). --json prints one JSON line per folder.

Keras 3 with TensorFlow: when `import keras` fails, the script creates a virtualenv in
~/.cache/genoise/py (or $GENOISE_PY_VENV), pip-installs tensorflow-cpu and keras into it (pip's
configured index or wheel store) and runs itself again there. --no-install turns that off.
"""
import argparse
import contextlib
import importlib.util
import json
import os
import subprocess
import sys
import tempfile

PACKAGES = ["tensorflow-cpu>=2.16", "keras>=3"]


def venv_dir():
    return os.environ.get("GENOISE_PY_VENV") or os.path.join(
        os.path.expanduser("~"), ".cache", "genoise", "py"
    )


def ensure_keras(allow_install):
    """Imports keras on the TensorFlow backend, or re-runs this script in a virtualenv that has it."""
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
    try:
        import keras  # noqa: F401
        import tensorflow  # noqa: F401

        return
    except ImportError as error:
        missing = error
    python = os.path.join(venv_dir(), "bin", "python")
    if not allow_install or os.path.realpath(sys.executable) == os.path.realpath(python):
        print(f"keras-check: keras with tensorflow is not importable ({missing})", file=sys.stderr)
        sys.exit(2)
    if not os.path.exists(python):
        print(f"keras-check: creating a virtualenv in {venv_dir()}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", venv_dir()], check=True)
    print(f"keras-check: pip install {' '.join(PACKAGES)} into {venv_dir()}", file=sys.stderr)
    subprocess.run([python, "-m", "pip", "install", "--quiet", *PACKAGES], check=True)
    os.execv(python, [python, os.path.abspath(__file__), *sys.argv[1:]])


def check(folder, atol, rtol):
    """Returns a report dict: ok, keras version, one entry per output with its max abs difference."""
    import keras
    import numpy as np

    # The folder's own loader, as a user runs it (a fresh module per folder).
    spec = importlib.util.spec_from_file_location("load_keras", os.path.join(folder, "load_keras.py"))
    loader = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loader)

    reference_path = os.path.join(folder, "reference.npz")
    if not os.path.exists(reference_path):
        raise FileNotFoundError(f"{reference_path} is missing: export with a reference batch")
    with tempfile.TemporaryDirectory() as temporary:
        path = os.path.join(temporary, "model.keras")
        with contextlib.redirect_stdout(sys.stderr):  # the loader's own line; stdout is the report
            status = loader.main([folder, "--out", path])
        if status != 0 or not os.path.exists(path):
            raise RuntimeError(f"load_keras.py exited with {status} and wrote no {path}")
        model = keras.saving.load_model(path)

    def numbered(prefix, names):
        """`prefix`, or `prefix_0`, `prefix_1`, ... in numeric order."""
        found = [n for n in names if n == prefix or n.startswith(prefix + "_")]
        return sorted(found, key=lambda n: int(n.rpartition("_")[2]) if n != prefix else -1)

    with np.load(reference_path, allow_pickle=False) as reference:
        inputs = [reference[k] for k in numbered("input", reference.files)]
        expected = [reference[k] for k in numbered("output", reference.files)]
    outputs = model(inputs[0] if len(inputs) == 1 else inputs, training=False)
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    if len(outputs) != len(expected):
        raise ValueError(f"Keras gives {len(outputs)} outputs, the reference has {len(expected)}")
    report = {"keras": keras.__version__, "atol": atol, "rtol": rtol, "outputs": []}
    for i, (got, want) in enumerate(zip(outputs, expected)):
        got = np.asarray(got, dtype=np.float32)
        entry = {"index": i, "shape": list(want.shape)}
        if got.shape != want.shape:
            entry.update(ok=False, error=f"shape {list(got.shape)} vs {list(want.shape)}")
        else:
            difference = np.abs(got.astype(np.float64) - want.astype(np.float64))
            entry.update(
                ok=bool(np.allclose(got, want, atol=atol, rtol=rtol)),
                maxAbsDiff=float(difference.max()) if difference.size else 0.0,
                maxAbsValue=float(np.abs(want).max()) if want.size else 0.0,
            )
        report["outputs"].append(entry)
    report["ok"] = all(o["ok"] for o in report["outputs"])
    report["parameters"] = int(model.count_params())
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", metavar="folder", help="a genoise Keras export folder with reference.npz")
    parser.add_argument("--atol", type=float, default=1e-4)
    parser.add_argument("--rtol", type=float, default=1e-4)
    parser.add_argument("--json", action="store_true", help="print each report as one JSON line")
    parser.add_argument("--no-install", action="store_true", help="never create a virtualenv")
    args = parser.parse_args(argv)
    ensure_keras(not args.no_install)
    status = 0
    for folder in args.folders:
        try:
            report = check(folder, args.atol, args.rtol)
        except Exception as error:  # noqa: BLE001 - any failure to load is exit 2, with its message
            message = f"cannot load the export: {type(error).__name__}: {error}"
            print(json.dumps({"folder": folder, "ok": False, "error": message}) if args.json else f"keras-check: {folder}: {message}")
            status = 2
            continue
        report["folder"] = folder
        if args.json:
            print(json.dumps(report))
        else:
            for o in report["outputs"]:
                detail = o.get("error") or f"max |keras - tfjs| = {o['maxAbsDiff']:.3g} (max |tfjs| {o['maxAbsValue']:.3g})"
                print(f"{folder}: output {o['index']} {o['shape']}: {'ok' if o['ok'] else 'MISMATCH'}, {detail}")
            verdict = "matches" if report["ok"] else "does NOT match"
            print(
                f"keras-check: {folder}: Keras {report['keras']} {verdict} tfjs "
                f"(atol {args.atol:g}, rtol {args.rtol:g}; {report['parameters']} parameters)"
            )
        if not report["ok"]:
            status = max(status, 1)
    return status


if __name__ == "__main__":
    sys.exit(main())
