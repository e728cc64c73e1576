"""`keras.utils.text_dataset_from_directory`: a dataset of text files, labelled by folder."""

import eagerflow as tf
from eagerflow.keras.utils import dataset_utils


def check_format(format):
    """Only `format="tf"`: eagerflow's datasets are `tf.data` datasets."""
    if format not in ("tf", "grain"):
        raise ValueError(f'`format` should be either "tf" or "grain". Received: format={format}')
    if format == "grain":
        raise ValueError('`format="grain"` needs the Grain library, which eagerflow does not '
                         'use; use `format="tf"`.')


def text_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                class_names=None, batch_size=32, max_length=None,
                                shuffle=True, seed=None, validation_split=None, subset=None,
                                follow_links=False, format="tf", verbose=True):
    """Generates a `tf.data.Dataset` from text files in a directory.

    With `labels="inferred"` the directory holds one subdirectory per class, whose `.txt`
    files (at any depth) are that class's samples:

    ```
    main_directory/
    ...class_a/
    ......a_text_1.txt
    ...class_b/
    ......b_text_1.txt
    ```

    Args:
        directory: Directory where the data is located.
        labels: `"inferred"` (from the subdirectories), None (no labels), or a list of
            integer labels, one per file in alphanumeric order of the paths.
        label_mode: `"int"` (int32 indices), `"categorical"` (one-hot float32),
            `"binary"` (float32 0 or 1, shape `(batch, 1)`), or None (no labels).
        class_names: With inferred labels, the subdirectories to use, in label order.
        batch_size: Size of the batches; None yields single samples.
        max_length: The maximum size (in bytes) of a text string; longer ones are cut.
        shuffle: Whether to shuffle the data (else files come in alphanumeric order).
        seed: Optional random seed for shuffling and transformations.
        validation_split: Optional fraction of the data to reserve for validation.
        subset: `"training"`, `"validation"` or `"both"` (a list of two datasets); only
            with `validation_split`.
        follow_links: Whether to visit subdirectories pointed to by symlinks.
        format: `"tf"`, the only format eagerflow returns.
        verbose: Whether to print how many files and classes were found.

    Returns:
        A `tf.data.Dataset` of string tensors (with labels when `label_mode` is set), with
        a `class_names` attribute; a list of two with `subset="both"`.
    """
    dataset_utils.check_directory_arguments(labels, label_mode, class_names,
                                            validation_split, subset, shuffle, seed,
                                            "text", "text samples")
    check_format(format)
    if labels is None or label_mode is None:
        labels = label_mode = None

    def load(path):
        with open(path.numpy(), "rb") as file:
            text = tf.constant(file.read())
        return text if max_length is None else tf.strings.substr(text, 0, max_length)

    dataset, _ = dataset_utils.datasets_from_directory(
        directory, labels, label_mode, class_names, batch_size, shuffle, seed,
        validation_split, subset, follow_links, verbose, (".txt",), load, "text files",
        "Allowed format: .txt")
    return dataset
