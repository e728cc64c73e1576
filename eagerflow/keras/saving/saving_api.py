"""`keras.saving.save_model` / `load_model`: the file format is chosen by the extension.

`.keras` is Keras 3's zip (see `keras_file`); `.h5` and `.hdf5` are the legacy HDF5 format
of Keras 2, which Keras 3 still reads and writes (see `legacy_h5`).
"""

import os

_LEGACY_H5_SUFFIXES = (".h5", ".hdf5")


def save_model(model, filepath, overwrite=True, zipped=None, **kwargs):
    """Saves a model as a Keras 3 `.keras` file (architecture, weights, compile state and
    optimizer state).

    >>> import os, tempfile
    >>> from eagerflow import keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.keras")
    >>> keras.saving.save_model(model, path)
    >>> keras.saving.load_model(path).output_shape
    (None, 2)

    Args:
      model: the model to save.
      filepath: where to write: a `.keras` file, or a legacy `.h5` / `.hdf5` file (written
        as Keras 3 writes them, with its warning that the format is legacy).
      overwrite: whether to replace an existing file silently (else the user is asked).
      zipped: whether to write a zip (the only form eagerflow writes; False is refused).

    Raises:
      ValueError: for another extension, or `zipped=False`.
    """
    filepath = os.fspath(filepath)
    if kwargs:
        raise ValueError(f"The following argument(s) are not supported: {list(kwargs)}")
    if filepath.endswith(_LEGACY_H5_SUFFIXES):
        if not overwrite and os.path.exists(filepath) and not _ask_to_overwrite(filepath):
            return
        from eagerflow.keras.saving import legacy_h5
        legacy_h5.save_model(model, filepath)
        return
    if not filepath.endswith(".keras"):
        raise ValueError(f"Invalid filepath extension for saving. Please add either a `.keras` "
                         f"extension for the native Keras format (recommended) or a `.h5` "
                         f"extension. Use `model.export(filepath)` if you want to export a "
                         f"SavedModel for use with TFLite/TFServing/etc. Received: "
                         f"filepath={filepath}.")
    if zipped is False:
        raise ValueError(f"eagerflow writes `.keras` files only as zip archives; "
                         f"`zipped=False` is not supported. Received: filepath={filepath}")
    if not overwrite and os.path.exists(filepath) and not _ask_to_overwrite(filepath):
        return
    from eagerflow.keras.saving import keras_file
    keras_file.save_model(model, filepath)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model saved with `model.save()` (by eagerflow or by Keras 3).

    Args:
      filepath: a `.keras` file, or a legacy `.h5` / `.hdf5` file (Keras 2's or Keras 3's).
      custom_objects: a dict mapping names to your own classes and functions.
      compile: whether to compile the model as it was saved (optimizer state included).
      safe_mode: whether to refuse Python lambdas (bytecode) in the file.

    Raises:
      ValueError: for a missing file, an unsupported extension, or a file that is not a
        valid `.keras` archive (the message names the file and what is wrong).
    """
    filepath = os.fspath(filepath)
    if filepath.endswith(".keras"):
        if not os.path.isfile(filepath):
            raise ValueError(f"File not found: filepath={filepath}. Please ensure the file is "
                             f"an accessible `.keras` zip file.")
        from eagerflow.keras.saving import keras_file
        return keras_file.load_model(filepath, custom_objects=custom_objects,
                                     compile=compile, safe_mode=safe_mode)
    if filepath.endswith(_LEGACY_H5_SUFFIXES):
        from eagerflow.keras.saving import legacy_h5
        return legacy_h5.load_model(filepath, custom_objects=custom_objects, compile=compile,
                                    safe_mode=safe_mode)
    raise ValueError(f"File format not supported: filepath={filepath}. Keras 3 only supports "
                     f"V3 `.keras` files, legacy H5 format files (`.h5` extension). Note that "
                     f"the legacy SavedModel format is not supported by `load_model()` in "
                     f"Keras 3. In order to reload a TensorFlow SavedModel as an "
                     f"inference-only layer in Keras 3, use "
                     f"`keras.layers.TFSMLayer({filepath}, call_endpoint='serving_default')` "
                     f"(note that your `call_endpoint` might have a different name).")


def _ask_to_overwrite(filepath):
    """Keras's prompt before replacing a file when `overwrite=False`."""
    answer = input(f"[WARNING] {filepath} already exists - overwrite? [y/n]").strip().lower()
    while answer not in ("y", "n"):
        answer = input('Enter "y" (overwrite) or "n" (cancel).').strip().lower()
    if answer == "n":
        return False
    print("[TIP] Next time specify overwrite=True!")
    return True
