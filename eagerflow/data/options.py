"""`tf.data.Options`: settings attached to a dataset with `with_options`.

eagerflow's pipelines run the same whatever these say; they are held so that code setting
them runs and reads them back as in TensorFlow.
"""

from eagerflow.data.dataset import Dataset


class _OptionsGroup:
    """Attributes fixed at construction, each None until set; others are refused."""

    _NAMES = ()
    _DEFAULTS = {}

    def __init__(self):
        for name in self._NAMES:
            object.__setattr__(self, name, self._DEFAULTS.get(name))

    def __setattr__(self, name, value):
        if name not in self._NAMES:
            raise AttributeError(f"Cannot set the property {name} on {type(self).__name__}.")
        object.__setattr__(self, name, value)

    def __eq__(self, other):
        return type(other) is type(self) and all(
            getattr(self, name) == getattr(other, name) for name in self._NAMES)

    def __hash__(self):
        return hash(type(self))

    def _merged(self, other):
        """A copy of `self` where `other`'s values that differ from the defaults win."""
        merged = type(self)()
        for name in self._NAMES:
            mine, theirs = getattr(self, name), getattr(other, name)
            if isinstance(mine, _OptionsGroup):
                value = mine._merged(theirs)
            else:
                value = mine if theirs == self._DEFAULTS.get(name) else theirs
            object.__setattr__(merged, name, value)
        return merged


class AutotuneOptions(_OptionsGroup):
    _NAMES = ("enabled", "cpu_budget", "ram_budget", "autotune_algorithm",
              "initial_parallelism", "min_parallelism")


class ThreadingOptions(_OptionsGroup):
    _NAMES = ("max_intra_op_parallelism", "private_threadpool_size")


class OptimizationOptions(_OptionsGroup):
    _NAMES = ("apply_default_optimizations", "filter_fusion", "map_and_batch_fusion",
              "map_and_filter_fusion", "map_fusion", "map_parallelization",
              "noop_elimination", "parallel_batch", "shuffle_and_repeat_fusion",
              "inject_prefetch", "seq_interleave_prefetch")


class DistributeOptions(_OptionsGroup):
    _NAMES = ("auto_shard_policy", "num_devices")
    _DEFAULTS = {"auto_shard_policy": 0}  # AutoShardPolicy.AUTO


class Options(_OptionsGroup):
    """Options for a dataset: `deterministic`, `autotune`, `threading`, … as TensorFlow's.

    >>> from eagerflow import data
    >>> options = data.Options()
    >>> options.deterministic = False
    >>> data.Dataset.range(3).with_options(options).options().deterministic
    False
    """

    _NAMES = ("autotune", "dataset_name", "deterministic",
              "experimental_distribute", "experimental_external_state_policy",
              "experimental_optimization", "experimental_slack",
              "experimental_symbolic_checkpoint", "experimental_warm_start", "threading",
              "framework_type")

    def __init__(self):
        super().__init__()
        object.__setattr__(self, "autotune", AutotuneOptions())
        object.__setattr__(self, "threading", ThreadingOptions())
        object.__setattr__(self, "experimental_optimization", OptimizationOptions())
        object.__setattr__(self, "experimental_distribute", DistributeOptions())

    @property
    def experimental_threading(self):
        return self.threading

    @property
    def experimental_deterministic(self):
        return self.deterministic

    def __setattr__(self, name, value):
        super().__setattr__("deterministic" if name == "experimental_deterministic" else name,
                            value)

    def merge(self, options):
        """These options with the non-default values of `options` laid over them."""
        return self._merged(options)


class _OptionsDataset(Dataset):

    def __init__(self, dataset, options):
        if not isinstance(options, Options):
            raise TypeError(f"`options` must be a `tf.data.Options`, got {type(options)}.")
        super().__init__(dataset.element_spec)
        self._input = dataset
        self._options = options

    def _cardinality(self):
        return self._input._cardinality()

    def _indexed(self):
        return self._input._indexed()

    def _components(self):
        return self._input._components()

    def options(self):
        return self._input.options().merge(self._options)
