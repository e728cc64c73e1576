"""Lists and dicts held by layers: layers put in them later are tracked by the layer too
(`self.blocks = []` then `self.blocks.append(Dense(4))`), as Keras 3's are."""


class TrackedList(list):
    """A list attribute of a layer: layers appended to it later are tracked too."""

    def __init__(self, values=(), owner=None):
        super().__init__(values)
        self._owner = owner
        self._track_all(self)

    def _track_all(self, values):
        if self._owner is not None:
            for value in values:
                self._owner._track(value)

    def append(self, value):
        super().append(value)
        self._track_all([value])

    def extend(self, values):
        values = list(values)
        super().extend(values)
        self._track_all(values)

    def insert(self, index, value):
        super().insert(index, value)
        self._track_all([value])

    def __iadd__(self, values):
        self.extend(values)
        return self

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self._track_all(value if isinstance(key, slice) else [value])

    def remove(self, value):
        super().remove(value)
        if self._owner is not None:
            self._owner._untrack(value)

    def pop(self, index=-1):
        value = super().pop(index)
        if self._owner is not None:
            self._owner._untrack(value)
        return value


class TrackedDict(dict):
    """A dict attribute of a layer: layers stored in it later are tracked too."""

    def __init__(self, values=(), owner=None):
        super().__init__(values)
        self._owner = owner
        if owner is not None:
            for value in self.values():
                owner._track(value)

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        if self._owner is not None:
            self._owner._track(value)

    def update(self, *args, **kwargs):
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return self[key]

    def pop(self, key, *default):
        value = super().pop(key, *default)
        if self._owner is not None:
            self._owner._untrack(value)
        return value
