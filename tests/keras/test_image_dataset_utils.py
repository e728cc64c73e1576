"""keras.utils.image_dataset_from_directory: decoding with Pillow (optional), resizing, labels
and layout, against Keras 3.15 (values recorded from it on the same files)."""

import sys

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras.utils.image_dataset_utils import image_dataset_from_directory

RESIZED = [  # (keyword arguments, element_spec, the image), recorded from Keras 3.15 on a
    # 4x6 RGB PNG of np.random.default_rng(0).integers(0, 256, (4, 6, 3)), rounded to 4 places
    ('image_size=(2, 3)',
     'TensorSpec(shape=(2, 3, 3), dtype=tf.float32, name=None)',
     [[[144.5, 135.0, 152.0], [69.5, 200.5, 67.0], [114.25, 149.75, 87.75]], [[139.5, 121.25, 98.75], [108.5, 150.0, 168.25], [119.0, 123.75, 182.5]]]),
    ('image_size=(2, 2), crop_to_aspect_ratio=True',
     'TensorSpec(shape=(2, 2, 3), dtype=tf.float32, name=None)',
     [[[80.5, 183.75, 86.0], [135.25, 148.0, 61.0]], [[130.25, 111.75, 147.25], [155.5, 175.0, 207.0]]]),
    ('image_size=(3, 3), pad_to_aspect_ratio=True',
     'TensorSpec(shape=(3, 3, 3), dtype=tf.float32, name=None)',
     [[[144.5, 135.0, 152.0], [69.5, 200.5, 67.0], [114.25, 149.75, 87.75]], [[139.5, 121.25, 98.75], [108.5, 150.0, 168.25], [119.0, 123.75, 182.5]], [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]]),
    ("image_size=(3, 2), interpolation='nearest'",
     'TensorSpec(shape=(3, 2, 3), dtype=tf.uint8, name=None)',
     [[[217, 207, 235], [248, 189, 16]], [[208, 78, 28], [127, 178, 237]], [[154, 130, 248], [220, 161, 231]]]),
    ("image_size=(2, 3), data_format='channels_first'",
     'TensorSpec(shape=(3, 2, 3), dtype=tf.float32, name=None)',
     [[[144.5, 69.5, 114.25], [139.5, 108.5, 119.0]], [[135.0, 200.5, 149.75], [121.25, 150.0, 123.75]], [[152.0, 67.0, 87.75], [98.75, 168.25, 182.5]]]),
    ("image_size=(3, 5), interpolation='bicubic'",
     'TensorSpec(shape=(3, 5, 3), dtype=tf.float32, name=None)',
     [[[114.7146987915039, 128.26170349121094, 194.21910095214844], [151.85809326171875, 195.77720642089844, 163.21530151367188], [90.59410095214844, 194.21629333496094, 72.1729965209961], [233.95899963378906, 177.68870544433594, 32.8932991027832], [79.53980255126953, 187.88710021972656, 197.58779907226562]], [[169.78599548339844, 94.07450103759766, 99.24539947509766], [103.88300323486328, 125.36669921875, 7.014699935913086], [32.914100646972656, 206.3437957763672, 119.39450073242188], [62.05860137939453, 96.03160095214844, 154.76539611816406], [111.04280090332031, 168.11500549316406, 75.72799682617188]], [[85.38719940185547, 150.16949462890625, 75.34020233154297], [147.11270141601562, 107.6509017944336, 226.09739685058594], [127.25409698486328, 134.56320190429688, 154.67430114746094], [218.16900634765625, 182.720703125, 215.47860717773438], [28.035999298095703, 56.73099899291992, 144.29220581054688]]]),
]


def _pixels(*shape):
    return np.random.default_rng(0).integers(0, 256, shape, dtype=np.uint8)


@pytest.fixture
def pil():
    return pytest.importorskip("PIL.Image")


@pytest.fixture
def images(tmp_path, pil):
    """cat/: an RGB PNG, an RGBA PNG and a grayscale BMP; dog/: a GIF, a JPEG, a nested
    PNG and a text file (skipped); all 6x8. Returns the directory and the source pixels."""
    rng = np.random.default_rng(1)
    sources = {"cat/a.png": rng.integers(0, 256, (6, 8, 3), dtype=np.uint8),
               "cat/b.png": rng.integers(0, 256, (6, 8, 4), dtype=np.uint8),
               "cat/c.bmp": rng.integers(0, 256, (6, 8), dtype=np.uint8),
               "dog/d.gif": rng.integers(0, 256, (6, 8, 3), dtype=np.uint8),
               "dog/f.jpg": rng.integers(0, 256, (6, 8, 3), dtype=np.uint8),
               "dog/sub/e.png": rng.integers(0, 256, (6, 8, 3), dtype=np.uint8)}
    for name, pixels in sources.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        image = pil.fromarray(pixels)
        (image.convert("P") if name.endswith(".gif") else image).save(tmp_path / name)
    (tmp_path / "dog" / "notes.txt").write_text("not an image")
    return tmp_path, sources


def test_decodes_lossless_files_exactly_with_labels_and_paths(images, capsys):
    directory, sources = images
    ds = image_dataset_from_directory(directory, image_size=(6, 8), batch_size=None,
                                      shuffle=False)
    assert capsys.readouterr().out == "Found 6 files belonging to 2 classes.\n"
    # Keras 3.15 on the same directory: the element_spec, the order and the labels.
    assert repr(ds.element_spec) == ("(TensorSpec(shape=(6, 8, 3), dtype=tf.float32, "
                                     "name=None), TensorSpec(shape=(), dtype=tf.int32, "
                                     "name=None))")
    assert ds.class_names == ["cat", "dog"]
    names = ["cat/a.png", "cat/b.png", "cat/c.bmp", "dog/d.gif", "dog/f.jpg", "dog/sub/e.png"]
    assert ds.file_paths == [str(directory / name) for name in names]
    decoded = list(ds.as_numpy_iterator())
    assert [int(label) for _, label in decoded] == [0, 0, 0, 1, 1, 1]
    expected = {"cat/a.png": sources["cat/a.png"], "cat/b.png": sources["cat/b.png"][..., :3],
                "cat/c.bmp": np.repeat(sources["cat/c.bmp"][..., None], 3, axis=-1),
                "dog/sub/e.png": sources["dog/sub/e.png"]}
    for name, (image, _) in zip(names, decoded):
        assert image.dtype == np.float32 and image.shape == (6, 8, 3)
        if name in expected:  # lossless formats decode to their pixels
            np.testing.assert_array_equal(image, expected[name].astype(np.float32))
    rgba = image_dataset_from_directory(directory, image_size=(6, 8), batch_size=None,
                                        shuffle=False, color_mode="rgba", verbose=False)
    np.testing.assert_array_equal(next(iter(rgba.skip(1)))[0].numpy(),
                                  sources["cat/b.png"].astype(np.float32))


def test_batches_shuffle_and_validation_split(images):
    directory, _ = images
    train, validation = image_dataset_from_directory(
        directory, image_size=(6, 8), batch_size=4, seed=5, validation_split=0.5,
        subset="both", label_mode="categorical", verbose=False)
    assert repr(train.element_spec) == (
        "(TensorSpec(shape=(None, 6, 8, 3), dtype=tf.float32, name=None), "
        "TensorSpec(shape=(None, 2), dtype=tf.float32, name=None))")
    assert len(train.file_paths) == len(validation.file_paths) == 3
    assert not set(train.file_paths) & set(validation.file_paths)
    images_seen = sum(int(x.shape[0]) for x, _ in train) + sum(
        int(x.shape[0]) for x, _ in validation)
    assert images_seen == 6
    unlabelled = image_dataset_from_directory(directory, labels=None, image_size=(6, 8),
                                              batch_size=2, shuffle=False, verbose=False)
    assert unlabelled.class_names is None
    assert [tuple(x.shape) for x in unlabelled] == [(2, 6, 8, 3)] * 3


@pytest.mark.parametrize("kwargs, spec, expected", RESIZED)
def test_resizing_matches_keras(tmp_path, pil, kwargs, spec, expected):
    pytest.importorskip("eagerflow.image")
    (tmp_path / "a").mkdir()
    pil.fromarray(_pixels(4, 6, 3)).save(tmp_path / "a" / "x.png")
    ds = eval(f"image_dataset_from_directory(directory, {kwargs}, shuffle=False, "
              "batch_size=None, verbose=False, labels=None)",
              {"image_dataset_from_directory": image_dataset_from_directory,
               "directory": tmp_path})
    assert repr(ds.element_spec) == spec
    image = next(iter(ds)).numpy()
    assert image.dtype == ds.element_spec.dtype.as_numpy_dtype
    np.testing.assert_allclose(image, np.array(expected, dtype=np.float64), atol=2e-4)


@pytest.mark.parametrize("kwargs, message", [
    ({"color_mode": "cmyk"}, '`color_mode` must be one of {"rgb", "rgba", "grayscale"}. '
                             "Received: color_mode=cmyk"),
    ({"image_size": (1, 2, 3)}, "Invalid `image_size` value. Expected a tuple of 2 integers. "
                                "Received: image_size=(1, 2, 3)"),
    ({"interpolation": "cubic"}, "Argument `interpolation` should be one of ('bilinear', "
                                 "'nearest', 'bicubic', 'area', 'lanczos3', 'lanczos5', "
                                 "'gaussian', 'mitchellcubic'). Received: interpolation=cubic"),
    ({"labels": "x"}, "number of image files in the target directory"),
    ({"crop_to_aspect_ratio": True, "pad_to_aspect_ratio": True},
     "Only one of `pad_to_aspect_ratio`, `crop_to_aspect_ratio` can be set to `True`."),
])
def test_argument_errors(images, kwargs, message):
    directory, _ = images
    with pytest.raises(ValueError) as caught:
        image_dataset_from_directory(directory, verbose=False, **kwargs)
    assert message in str(caught.value)


def test_missing_pillow_names_the_install_command(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "PIL", None)
    (tmp_path / "a").mkdir()
    with pytest.raises(ImportError, match="pip install pillow"):
        image_dataset_from_directory(tmp_path)
    assert keras.utils.image_dataset_from_directory is image_dataset_from_directory


def test_trains_on_images(images):
    directory, _ = images
    ds = image_dataset_from_directory(directory, image_size=(6, 8), batch_size=3, seed=0,
                                      verbose=False).map(lambda x, y: (x / 255.0, y))
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((6, 8, 3)), keras.layers.Flatten(),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(0.05),
                  loss="sparse_categorical_crossentropy")
    losses = model.fit(ds, epochs=8, verbose=0).history["loss"]
    assert losses[-1] < losses[0]
    assert isinstance(next(iter(ds))[0], tf.Tensor)
