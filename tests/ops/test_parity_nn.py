"""tf.nn, tf.image and tf.random results and errors compared with TensorFlow 2.21's
(messages recorded from TF 2.21 and pasted in)."""

import re

import numpy as np
import pytest

import eagerflow as tf

InvalidArgumentError = tf.errors.InvalidArgumentError


# --- sigmoid_cross_entropy_with_logits: labels of another dtype ------------------------------

@pytest.mark.parametrize("labels, message", [
    ([1, 0], "cannot compute Mul as input #1(zero-based) was expected to be a float tensor "
             "but is a int32 tensor [Op:Mul]"),
    ([True, False], "cannot compute Sub as input #1(zero-based) was expected to be a float "
                    "tensor but is a bool tensor [Op:Sub]"),
    (tf.constant([1.0, 0.0], tf.float64),
     "cannot compute Mul as input #1(zero-based) was expected to be a float tensor but is "
     "a double tensor [Op:Mul]"),
])
def test_sigmoid_cross_entropy_refuses_labels_of_another_dtype(labels, message):
    with pytest.raises(InvalidArgumentError) as info:
        tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=[1.0, 2.0])
    assert info.value.message == message


def test_sigmoid_cross_entropy_with_float_labels():
    loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=[1.0, 0.0], logits=[1.0, 2.0])
    assert loss.dtype == tf.float32
    assert loss.numpy().tolist() == pytest.approx([0.31326163, 2.126928])  # TF 2.21


# --- stateless_gamma: `shape` is the whole output shape --------------------------------------

@pytest.mark.parametrize("shape, alpha, beta, expected", [
    ([3, 2], [5.0, 6.0], None, [3, 2]),
    ([2, 2], [[1.0], [2.0]], [3.0, 4.0], [2, 2]),
    ([4], 2.0, None, [4]),
])  # shapes recorded from TF 2.21
def test_stateless_gamma_shape_is_the_output_shape(shape, alpha, beta, expected):
    x = tf.random.stateless_gamma(shape, seed=[1, 2], alpha=alpha, beta=beta)
    assert x.shape.as_list() == expected


@pytest.mark.parametrize("shape, alpha, beta", [
    ([3], [5.0, 6.0], None),
    ([2], [[1.0], [2.0]], None),
    ([2], 2.0, [1.0, 2.0, 3.0]),
])
def test_stateless_gamma_shape_must_end_with_the_parameter_shape(shape, alpha, beta):
    with pytest.raises(InvalidArgumentError,
                       match=r"^Shape passed in must end with broadcasted shape\. "
                             r"\[Op:StatelessRandomGammaV3\]$"):
        tf.random.stateless_gamma(shape, seed=[1, 2], alpha=alpha, beta=beta)


def test_stateless_gamma_samples_each_alpha_and_rate():
    x = tf.random.stateless_gamma([4000, 2], seed=[1, 2], alpha=[2.0, 8.0], beta=4.0)
    assert tf.reduce_mean(x, axis=0).numpy().tolist() == pytest.approx([0.5, 2.0], rel=0.05)


# --- image rank errors ---------------------------------------------------------------------

def _ones(*shape):
    return tf.ones(shape)


@pytest.mark.parametrize("call, message", [
    (lambda: tf.image.flip_left_right(_ones(4, 4)),
     "'image' (shape (4, 4)) must be at least three-dimensional."),
    (lambda: tf.image.flip_up_down(_ones(4)),
     "'image' (shape (4,)) must be at least three-dimensional."),
    (lambda: tf.image.flip_up_down(_ones(1, 1, 1, 1, 1)),
     "'image' (shape (1, 1, 1, 1, 1))must have either 3 or 4 dimensions."),
    (lambda: tf.image.crop_to_bounding_box(_ones(4), 0, 0, 1, 1),
     "'image' (shape (4,)) must have either 3 or 4 dimensions."),
    (lambda: tf.image.crop_to_bounding_box(_ones(1, 1, 1, 1, 1), 0, 0, 1, 1),
     "'image' (shape (1, 1, 1, 1, 1)) must have either 3 or 4 dimensions."),
    (lambda: tf.image.pad_to_bounding_box(_ones(4, 4), 0, 0, 5, 5),
     "'image' (shape (4, 4)) must have either 3 or 4 dimensions."),
    (lambda: tf.image.resize_with_crop_or_pad(_ones(4, 4), 5, 5),
     "'image' (shape (4, 4)) must have either 3 or 4 dimensions."),
    (lambda: tf.image.rot90(_ones(4, 4)),
     "'image' (shape (4, 4)) must be at least three-dimensional."),
    (lambda: tf.image.rot90(_ones(1, 1, 1, 1, 1)),
     "'image' (shape (1, 1, 1, 1, 1)) must have either 3 or 4 dimensions."),
    (lambda: tf.image.central_crop(_ones(4, 4), 0.5),
     "'image' (shape (4, 4)) must be at least three-dimensional."),
    (lambda: tf.image.central_crop(_ones(1, 1, 1, 1, 1), 0.5),
     "`image` should either be a Tensor with rank = 3 or rank = 4. Had rank = 5."),
    (lambda: tf.image.random_flip_left_right(_ones(4, 4)),
     "'image' (shape (4, 4)) must be at least three-dimensional."),
    (lambda: tf.image.random_flip_up_down(_ones(1, 1, 1, 1, 1)),
     "'image' (shape (1, 1, 1, 1, 1)) must have either 3 or 4 dimensions."),
    (lambda: tf.image.stateless_random_flip_left_right(_ones(4, 4), seed=[1, 2]),
     "'image' (shape (4, 4)) must be at least three-dimensional."),
    (lambda: tf.image.resize(_ones(4, 4), [2, 2]),
     "'images' must have either 3 or 4 dimensions."),
])  # messages recorded from TF 2.21
def test_image_rank_errors_name_the_shape(call, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        call()


def test_image_ops_still_accept_images_and_batches():
    image = tf.reshape(tf.range(4), [2, 2, 1])
    assert tf.image.flip_left_right(image)[..., 0].numpy().tolist() == [[1, 0], [3, 2]]
    assert tf.image.flip_up_down(image[None])[0, ..., 0].numpy().tolist() == [[2, 3], [0, 1]]
    assert tf.image.central_crop(tf.ones([1, 4, 4, 1]), 0.5).shape.as_list() == [1, 2, 2, 1]


# --- tf.image.transpose ------------------------------------------------------------------

def test_image_transpose_swaps_height_and_width():
    image = tf.reshape(tf.range(6), [2, 3, 1])
    assert tf.image.transpose(image)[..., 0].numpy().tolist() == [[0, 3], [1, 4], [2, 5]]
    assert tf.image.transpose(tf.ones([2, 2, 3, 1])).shape.as_list() == [2, 3, 2, 1]
    with pytest.raises(ValueError, match=re.escape(
            "'image' (shape (4, 4)) must be at least three-dimensional.")):
        tf.image.transpose(tf.ones([4, 4]))


def test_rot90_still_turns_counter_clockwise():
    image = tf.reshape(tf.range(6), [2, 3, 1])
    for k in range(4):
        expected = np.rot90(np.arange(6).reshape(2, 3), k).tolist()
        assert tf.image.rot90(image, k)[..., 0].numpy().tolist() == expected


# --- tf.random.stateless_poisson -----------------------------------------------------------

def test_stateless_poisson_shapes_dtypes_and_determinism():
    x = tf.random.stateless_poisson([3, 2], seed=[1, 2], lam=[5.0, 6.0])
    assert x.shape.as_list() == [3, 2] and x.dtype == tf.int32  # recorded, TF 2.21
    y = tf.random.stateless_poisson([3, 2], seed=[1, 2], lam=[5.0, 6.0])
    assert x.numpy().tolist() == y.numpy().tolist()
    assert tf.random.stateless_poisson([3], [1, 2], 2.0, dtype=tf.float64).dtype == tf.float64
    draws = tf.random.stateless_poisson([20000], seed=[3, 4], lam=4.0)
    assert float(tf.reduce_mean(tf.cast(draws, tf.float32))) == pytest.approx(4.0, rel=0.03)


@pytest.mark.parametrize("kwargs, message", [
    (dict(shape=[3], seed=[1, 2], lam=[5.0, 6.0]),
     "Shape passed in must end with broadcasted shape. [Op:StatelessRandomPoisson]"),
    (dict(shape=[3], seed=[1, 2], lam=2.0, dtype=tf.string),
     "Value for attr 'dtype' of string is not in the list of allowed values: half, float, "
     "double, int32, int64 [Op:StatelessRandomPoisson]"),
])  # recorded from TF 2.21
def test_stateless_poisson_errors(kwargs, message):
    with pytest.raises(InvalidArgumentError) as info:
        tf.random.stateless_poisson(**kwargs)
    assert info.value.message == message


def test_stateless_poisson_seed_must_be_a_pair():
    with pytest.raises(InvalidArgumentError, match=re.escape("seed must have shape [2], not [1]")):
        tf.random.stateless_poisson([3], seed=[1], lam=2.0)


# --- relu keeps the sign of zero ------------------------------------------------------------

def test_relu_on_edge_values_prints_as_tensorflow():
    x = tf.constant([-np.inf, np.nan, np.inf, -0.0, 1.0])
    assert str(tf.nn.relu(x)) == ("tf.Tensor([ 0. nan inf -0.  1.], shape=(5,), "
                                  "dtype=float32)")  # recorded, TF 2.21
    assert np.signbit(tf.nn.relu(tf.constant([-0.0], tf.float64)).numpy()).tolist() == [True]
