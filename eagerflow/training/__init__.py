"""Checkpoints: the object graph of saved state, `tf.train.Checkpoint` and its manager."""
