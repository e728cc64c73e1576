"""`keras.datasets`: small standard datasets, downloaded once into the Keras cache."""

from eagerflow.keras.datasets import (  # noqa: F401
    boston_housing, california_housing, cifar10, cifar100, fashion_mnist, imdb, mnist,
    reuters)
