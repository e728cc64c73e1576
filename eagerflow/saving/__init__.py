"""SavedModel directories (`tf.saved_model`): objects, variables and traced functions saved
as data, and loaded back without the Python code that made them."""
