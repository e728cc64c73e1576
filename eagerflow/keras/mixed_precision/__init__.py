"""`keras.mixed_precision` and the dtype policies of `keras.config`.

A policy names the dtype layers compute in and the dtype of their variables. The plain
policies ("float16", "float32", "float64") set both. The mixed ones ("mixed_float16":
float16 computations on float32 variables; "mixed_bfloat16") are not supported: eagerflow
layers compute in their variables' dtype, and NumPy has no bfloat16. Asking for one raises
an error that says so.

>>> from eagerflow import keras
>>> keras.mixed_precision.Policy("float64")
<DTypePolicy "float64">
"""

from eagerflow.keras import backend

_MIXED = {"mixed_float16": ("float16", "float32"), "mixed_bfloat16": ("bfloat16", "float32")}


class DTypePolicy:
    """A dtype policy: `name`, `compute_dtype` and `variable_dtype`."""

    def __init__(self, name=None):
        if name is None:
            name = backend.floatx()
        if not isinstance(name, str):
            raise TypeError(f"'name' must be a string, such as 'mixed_float16'. Received: "
                            f"name={name} (of type {type(name)})")
        if name in _MIXED:
            self._compute_dtype, self._variable_dtype = _MIXED[name]
        else:
            try:
                dtype = backend.standardize_dtype(name)
            except (ValueError, TypeError):
                raise ValueError(f"Cannot convert '{name}' to a mixed precision DTypePolicy. "
                                 f"Valid policies include 'mixed_float16', 'mixed_bfloat16', "
                                 f"and the name of any float dtype such as 'float32'.") from None
            self._compute_dtype = self._variable_dtype = dtype
        self._name = name

    @property
    def name(self):
        return self._name

    @property
    def compute_dtype(self):
        return self._compute_dtype

    @property
    def variable_dtype(self):
        return self._variable_dtype

    def __repr__(self):
        return f'<DTypePolicy "{self._name}">'

    def __eq__(self, other):
        return isinstance(other, DTypePolicy) and other.name == self.name

    def __hash__(self):
        return hash(self.name)

    def get_config(self):
        return {"name": self._name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


Policy = DTypePolicy


def check_supported(policy):
    """Raises for the policies eagerflow layers cannot follow (mixed, bfloat16)."""
    if policy.name == "mixed_bfloat16" or policy.compute_dtype == "bfloat16":
        raise ValueError(f"The dtype policy '{policy.name}' needs bfloat16, which eagerflow "
                         f"does not support (NumPy has no bfloat16 type). Use 'float32' or "
                         f"'float16'.")
    if policy.compute_dtype != policy.variable_dtype:
        raise NotImplementedError(
            f"The dtype policy '{policy.name}' (computations in {policy.compute_dtype} on "
            f"{policy.variable_dtype} variables) is not supported by eagerflow: its layers "
            f"compute in the dtype of their variables. Use 'float16' to train entirely in "
            f"float16, or 'float32'.")


def set_dtype_policy(policy):
    """Sets the default dtype policy of layers created from now on (None: `floatx()`)."""
    if policy is None:
        backend.set_default_dtype_policy(None)
        return
    if isinstance(policy, str):
        policy = DTypePolicy(policy)
    if not isinstance(policy, DTypePolicy):
        raise ValueError(f"Invalid `policy` argument. Expected the string name of a policy "
                         f"(such as 'mixed_float16') or a `DTypePolicy` instance. Received: "
                         f"policy={policy} (of type {type(policy)})")
    check_supported(policy)
    backend.set_default_dtype_policy(policy.name)


def dtype_policy():
    """The default dtype policy (`floatx()`'s when none was set)."""
    return DTypePolicy(backend.default_dtype_policy_name())


set_global_policy = set_dtype_policy
global_policy = dtype_policy


class LossScaleOptimizer:
    """Keras's loss-scaling wrapper for mixed float16 training, which eagerflow does not
    support: constructing one raises an error that says so."""

    def __init__(self, inner_optimizer, initial_scale=32768.0, dynamic_growth_steps=2000,
                 name=None, **kwargs):
        raise NotImplementedError(
            "LossScaleOptimizer is not supported by eagerflow: it serves the 'mixed_float16' "
            "policy (float16 computations on float32 variables), which eagerflow layers do "
            "not implement. Train with float32, or with float16 throughout "
            "(keras.config.set_floatx('float16')) and the inner optimizer alone.")
