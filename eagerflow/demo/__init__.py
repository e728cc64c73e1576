"""The main job: train a small dense network on the handwritten digits shipped here.

`optdigits.npz` holds the 1,797 8x8 images (pixel counts 0..16) and labels of the test
part of the UCI "Optical Recognition of Handwritten Digits" data set by E. Alpaydin and
C. Kaynak (1998), https://archive.ics.uci.edu/dataset/80, licensed CC BY 4.0.
"""

import pathlib

import numpy as np

DATA = pathlib.Path(__file__).with_name("optdigits.npz")


def load_digits(test_fraction=0.2, seed=0):
    """`(x_train, y_train), (x_test, y_test)`: images scaled to [0, 1] as float32 vectors
    of 64, labels as uint8, split after a seeded shuffle."""
    with np.load(DATA, allow_pickle=False) as data:
        images, labels = data["images"], data["labels"]
    order = np.random.default_rng(seed).permutation(len(labels))
    x = images[order].reshape(len(labels), 64).astype(np.float32) / 16.0
    y = labels[order]
    split = int(len(y) * (1 - test_fraction))
    return (x[:split], y[:split]), (x[split:], y[split:])


def main(epochs=30, weights_path="digits.weights.h5"):
    """Trains, prints test accuracy and saves the trained weights (Keras's .weights.h5)."""
    from eagerflow import keras
    from eagerflow.keras import layers

    keras.backend.clear_session()
    keras.utils.set_random_seed(0)
    (x_train, y_train), (x_test, y_test) = load_digits()
    model = keras.Sequential([keras.Input(shape=(64,)),
                              layers.Dense(128, activation="relu"),
                              layers.Dense(10, activation="softmax")])
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.summary()
    model.fit(x_train, y_train, epochs=epochs, batch_size=32, validation_split=0.1)
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"Test accuracy: {accuracy:.4f} (loss {loss:.4f}) on {len(y_test)} digits")
    model.save_weights(weights_path)
    print(f"Saved the trained weights to {weights_path}")
    return accuracy

