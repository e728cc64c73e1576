"""What the normalization layers share: the learned scale `gamma` and offset `beta` (their
constructor arguments, weights and config), and the axis checks."""

from eagerflow.keras import constraints, initializers, regularizers


def set_gamma_beta_arguments(layer, center, scale, beta_initializer, gamma_initializer,
                             beta_regularizer, gamma_regularizer, beta_constraint,
                             gamma_constraint):
    """Stores the `center`/`scale` arguments on `layer`, resolved as Keras resolves them."""
    layer.center = center
    layer.scale = scale
    layer.beta_initializer = initializers.get(beta_initializer)
    layer.gamma_initializer = initializers.get(gamma_initializer)
    layer.beta_regularizer = regularizers.get(beta_regularizer)
    layer.gamma_regularizer = regularizers.get(gamma_regularizer)
    layer.beta_constraint = constraints.get(beta_constraint)
    layer.gamma_constraint = constraints.get(gamma_constraint)


def add_gamma_beta(layer, shape, scale, center):
    """Adds `gamma` (if `scale`) then `beta` (if `center`) to `layer`, in Keras's order."""
    layer.gamma = layer.add_weight(
        shape=shape, name="gamma", initializer=layer.gamma_initializer,
        regularizer=layer.gamma_regularizer, constraint=layer.gamma_constraint,
        autocast=False) if scale else None
    layer.beta = layer.add_weight(
        shape=shape, name="beta", initializer=layer.beta_initializer,
        regularizer=layer.beta_regularizer, constraint=layer.beta_constraint,
        autocast=False) if center else None


def gamma_beta_config(layer):
    return {"center": layer.center, "scale": layer.scale,
            "beta_initializer": initializers.serialize(layer.beta_initializer),
            "gamma_initializer": initializers.serialize(layer.gamma_initializer),
            "beta_regularizer": regularizers.serialize(layer.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(layer.gamma_regularizer),
            "beta_constraint": constraints.serialize(layer.beta_constraint),
            "gamma_constraint": constraints.serialize(layer.gamma_constraint)}


def check_axes(axes, input_shape, axis_argument):
    """Keras's error for an axis outside the inputs' rank."""
    for axis in [axes] if isinstance(axes, int) else axes:
        if axis >= len(input_shape) or axis < -len(input_shape):
            raise ValueError(f"Axis {axis} is out of bounds for input shape "
                             f"{tuple(input_shape)}. Received: axis={axis_argument}")


def compute_dtype(dtype):
    """Normalization runs in float32, or in float64 for float64 inputs, as in Keras."""
    return "float64" if dtype == "float64" else "float32"
