"""One epoch of `from_tensor_slices((x, y)) -> shuffle(1024) -> batch(128) -> prefetch` over
60,000 MNIST-shaped samples (28x28 float32 images, int64 labels).

Prints elements per second and the ratio to the NumPy floor: the same epoch shuffled and
sliced by hand (a permutation, then one gather per batch); and TensorFlow's tf.data on the
same arrays when TensorFlow is installed. Every batch is touched (its sum is read) so lazy
pipelines pay for their work.
"""

import time

from timing import single_threaded_tensorflow  # first: one BLAS thread before NumPy starts

import numpy as np

SAMPLES, BATCH, BUFFER = 60_000, 128, 1024


def data():
    rng = np.random.default_rng(0)
    x = rng.random((SAMPLES, 28, 28), dtype=np.float32)
    y = rng.integers(0, 10, SAMPLES)
    return x, y


def numpy_epoch(x, y):
    start = time.perf_counter()
    order = np.random.default_rng(1).permutation(SAMPLES)
    for begin in range(0, SAMPLES, BATCH):
        rows = order[begin:begin + BATCH]
        images, labels = x[rows], y[rows]
        images[0, 0, 0] + labels[0]
    return time.perf_counter() - start


def pipeline_epoch(tf, x, y):
    ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(BUFFER, seed=1).batch(BATCH)
    ds = ds.prefetch(tf.data.AUTOTUNE)
    start = time.perf_counter()
    for images, labels in ds:
        images.numpy()[0, 0, 0] + labels.numpy()[0]
    return time.perf_counter() - start


def main():
    x, y = data()
    floor = min(numpy_epoch(x, y) for _ in range(3))
    import eagerflow
    ours = min(pipeline_epoch(eagerflow, x, y) for _ in range(3))
    print(f"tf.data pipeline, one epoch of {SAMPLES} MNIST-shaped samples, shuffle({BUFFER}), "
          f"batch({BATCH}), prefetch:")
    print(f"  numpy floor  {floor:7.3f} s  {SAMPLES / floor:12,.0f} elements/s")
    print(f"  eagerflow    {ours:7.3f} s  {SAMPLES / ours:12,.0f} elements/s   "
          f"{ours / floor:5.2f}x floor")
    tf = single_threaded_tensorflow()
    if tf is not None:
        theirs = min(pipeline_epoch(tf, x, y) for _ in range(3))
        print(f"  tensorflow   {theirs:7.3f} s  {SAMPLES / theirs:12,.0f} elements/s   "
              f"{theirs / floor:5.2f}x floor   (eagerflow is {theirs / ours:.2f}x faster)")


if __name__ == "__main__":
    main()
