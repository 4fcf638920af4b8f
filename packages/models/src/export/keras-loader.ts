/**
 * `load_keras.py`, written into every Keras export folder: builds the Keras 3 model from
 * `config.json`, sets the weights from `weights.npz` in the order `export.json` lists (checking each
 * layer's weight names), and saves a `.keras` file. Needs Python 3 with `keras>=3` and a backend
 * (TensorFlow). Kept here, as text, so an export folder is self-contained.
 */
export const KERAS_LOADER_PY = `"""Builds the Keras 3 model of a genoise export folder and saves it as a .keras file.

    python3 load_keras.py [FOLDER] [--out FOLDER/model.keras]

FOLDER (default: this file's folder) holds config.json (the Keras model config), weights.npz (one
float32 array per weight, keyed "<layer>/<weight>") and export.json (the layers and weight order).
Needs keras>=3 with a backend, e.g. pip install tensorflow-cpu keras. From Python:

    from load_keras import load
    model = load("runs/simclr/keras")   # a keras.Model in inference mode: model(x, training=False)

Written by @genoise/models (toKeras / writeKerasExport).
"""
import argparse
import json
import os
import sys

import numpy as np

FORMAT = "genoise-keras-export"


def load(folder):
    """Returns the keras.Model of an export folder, with its weights set."""
    import keras

    with open(os.path.join(folder, "export.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    if manifest.get("format") != FORMAT or manifest.get("version") != 1:
        raise ValueError(f"{folder}/export.json is not a {FORMAT} version 1 manifest")
    with open(os.path.join(folder, "config.json"), encoding="utf-8") as f:
        model = keras.models.model_from_json(f.read())
    with np.load(os.path.join(folder, "weights.npz"), allow_pickle=False) as arrays:
        for entry in manifest["layers"]:
            layer = model.get_layer(entry["name"])
            names = [w.name for w in layer.weights]
            if names != entry["weights"]:
                raise ValueError(
                    f"layer {entry['name']}: Keras has weights {names}, the export {entry['weights']}"
                )
            layer.set_weights([arrays[f"{entry['name']}/{w}"] for w in entry["weights"]])
    return model


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--out", help="the .keras file to write (default FOLDER/model.keras)")
    args = parser.parse_args(argv)
    model = load(args.folder)
    out = args.out or os.path.join(args.folder, "model.keras")
    model.save(out)
    print(f"{out}: {model.name}, {model.count_params()} parameters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
`;
