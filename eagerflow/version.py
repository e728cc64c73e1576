"""`tf.version`: eagerflow's own version (the one pyproject.toml declares)."""

VERSION = "0.1.0"
