"""MixUp and CutMix: images and labels mixed in the same proportions, with the configs
Keras 3.15 writes."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.keras import layers


def _batch(n=6, size=8):
    """Image i is constant i; label i is one-hot i."""
    images = np.broadcast_to(np.arange(n, dtype="float32")[:, None, None, None],
                             (n, size, size, 3)).copy()
    return images, np.eye(n, dtype="float32")


def test_mixup_mixes_images_and_labels_alike():
    images, labels = _batch()
    out = layers.MixUp(alpha=0.8, seed=3)({"images": images, "labels": labels})
    mixed, mixed_labels = out["images"].numpy(), out["labels"].numpy()
    np.testing.assert_allclose(mixed_labels.sum(axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(mixed[:, 0, 0, 0], mixed_labels @ np.arange(6), rtol=1e-5,
                               atol=1e-5)
    assert np.ptp(mixed, axis=(1, 2, 3)).max() < 1e-5  # each image is one blend
    again = layers.MixUp(alpha=0.8, seed=3)({"images": images, "labels": labels})
    np.testing.assert_array_equal(again["images"].numpy(), mixed)


def test_cutmix_pastes_a_rectangle_and_mixes_labels():
    images, labels = _batch()
    out = layers.CutMix(seed=2)({"images": images, "labels": labels})
    mixed, mixed_labels = out["images"].numpy(), out["labels"].numpy()
    np.testing.assert_allclose(mixed_labels.sum(axis=1), 1.0, rtol=1e-6)
    for i in range(6):
        sources = {float(i)} | set(np.nonzero(mixed_labels[i] > 0)[0].astype(float).tolist())
        assert set(np.unique(mixed[i]).tolist()) <= sources  # its own pixels or its partner's
        pasted = mixed[i, ..., 0] != i
        if pasted.any():  # one rectangle
            rows, cols = np.nonzero(pasted)
            assert pasted[rows.min():rows.max() + 1, cols.min():cols.max() + 1].all()


@pytest.mark.parametrize("layer, config", [
    (layers.MixUp(), {"data_format": "channels_last", "alpha": 0.2, "seed": None}),
    (layers.CutMix(0.5, seed=4), {"data_format": "channels_last", "factor": (0, 0.5),
                                  "seed": 4})])
def test_inference_and_config(layer, config):
    images, labels = _batch(4, 4)
    np.testing.assert_array_equal(layer(images, training=False).numpy(), images)
    kept = layer({"images": images, "labels": labels}, training=False)
    np.testing.assert_array_equal(kept["labels"].numpy(), labels)
    got = layer.get_config()
    assert {key: got[key] for key in config} == config  # as recorded from Keras 3.15
    assert list(got)[3:] == list(config)


def test_channels_first_and_unknown_keys():
    images, labels = _batch(4, 4)
    first = np.transpose(images, (0, 3, 1, 2))
    out = layers.MixUp(seed=1, data_format="channels_first")(first)
    assert out.shape == first.shape
    with pytest.raises(NotImplementedError, match="bounding_boxes"):
        layers.CutMix()({"images": images, "bounding_boxes": tf.zeros((4, 1, 4))})
