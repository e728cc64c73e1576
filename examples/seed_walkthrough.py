"""The TensorFlow 2 walkthrough eagerflow starts from: tensors, variables, ops, GradientTape.

Run with `python examples/seed_walkthrough.py`; it prints what TensorFlow prints for the
same lines (random values aside).
"""

import eagerflow as tf

x = tf.ones(shape=(2, 1)); x = tf.zeros(shape=(2, 1)); print(x)
z = tf.random.normal(shape=(3, 1), mean=0., stddev=1.)
w = tf.random.uniform(shape=(3, 1), minval=0., maxval=1.)
q = tf.Variable(initial_value=tf.random.normal(shape=(2, 1))); print(q)
q.assign(tf.ones(shape=(2, 1))); q[0, 0].assign(7.); q.assign_add(tf.ones((2, 1))); print(q)
a = tf.ones((2, 2)); b = tf.square(a); c = tf.sqrt(a); d = b + c
e = tf.matmul(a, b); e *= d; print(e)
input_var = tf.Variable(initial_value=3.)
with tf.GradientTape() as tape:
    result = tf.square(input_var)
    gradient = tape.gradient(result, input_var)     # called inside the block: works
print(result, gradient)                             # tf.Tensor(9.0, ...) tf.Tensor(6.0, ...)
input_const = tf.constant(3.)
with tf.GradientTape() as tape:
    tape.watch(input_const)
    result = tf.square(input_const)
print(tape.gradient(result, input_const))            # tf.Tensor(6.0, shape=(), dtype=float32)
time = tf.Variable(0.)
with tf.GradientTape() as outer:
    with tf.GradientTape() as inner:
        position = 4.9 * time ** 2
    speed = inner.gradient(position, time)
print(speed, outer.gradient(speed, time))            # 0.0 and 9.8
