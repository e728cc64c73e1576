"""Keras 3's progress bar: `469/469 ━━━━━━━━━━━━━━━━━━━━ 2s 3ms/step - loss: 0.2612`.

On a terminal (or in a notebook) the line is redrawn in place with Keras's colours;
written to a file or a pipe, only the finished line is written, without escape codes, so
that a log holds one line per epoch. `verbose=2` writes `40/40 - 0s - 2ms/step - ...`
once at the end.
"""

import logging
import math
import sys
import time

import numpy as np

_BAR_CHAR = "\u2501"
_BOLD, _GREEN, _WHITE, _RESET = "\x1b[1m", "\x1b[32m", "\x1b[37m", "\x1b[0m"


def _is_dynamic_display():
    stdout = sys.stdout
    return bool((hasattr(stdout, "isatty") and stdout.isatty()) or "ipykernel" in sys.modules)


def _write(message):
    from eagerflow.keras import backend
    if not backend.is_interactive_logging_enabled():  # keras.config's switch: to logging
        if message.strip():
            logging.getLogger("keras").info(message.strip("\r\n"))
        return
    sys.stdout.write(message)
    sys.stdout.flush()


def print_msg(message, line_break=True):
    """Prints `message` (Keras's io_utils.print_msg): to stdout, or to the "keras" logger
    when `keras.config.disable_interactive_logging()` is in force."""
    _write(message + ("\n" if line_break else ""))


def format_time_per_unit(seconds, unit_name="step"):
    """` 3ms/step`: the time per step in s, ms or us, as Keras shows it."""
    if seconds >= 1 or seconds == 0:
        return f" {seconds:.0f}s/{unit_name}"
    if seconds >= 1e-3:
        return f" {seconds * 1e3:.0f}ms/{unit_name}"
    return f" {seconds * 1e6:.0f}us/{unit_name}"


def format_eta(seconds):
    """`5s`, `1:05` or `1:01:05`: the time left."""
    if seconds > 3600:
        return "%d:%02d:%02d" % (seconds // 3600, (seconds % 3600) // 60, seconds % 60)
    if seconds > 60:
        return "%d:%02d" % (seconds // 60, seconds % 60)
    return "%ds" % seconds


class Progbar:
    """Displays a progress bar.

    Values passed to `update` are averaged over the steps they were reported for, except
    those named in `stateful_metrics` (shown as given); `stateless_metrics` lists the
    averaged ones instead.

    >>> from eagerflow import keras
    >>> bar = keras.utils.Progbar(10, verbose=0)
    >>> bar.update(5, [("loss", 0.5)])

    Args:
      target: the total number of steps, None when unknown.
      width: the width of the bar in characters.
      verbose: 0 (silent), 1 (the bar) or 2 (one line when finished).
      stateful_metrics: names of values shown as given, not averaged.
      stateless_metrics: names of values averaged (then the others are shown as given).
      interval: the smallest time between two redraws, in seconds.
      unit_name: what a step is called (`3ms/step`).
    """

    def __init__(self, target, width=20, verbose=1, interval=0.05, stateful_metrics=None,
                 stateless_metrics=None, unit_name="step"):
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError("Only one of `stateful_metrics` or `stateless_metrics` can be "
                             "provided.")
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self.stateful_metrics = None if stateless_metrics is not None else set(
            stateful_metrics or ())
        self.stateless_metrics = None if stateless_metrics is None else set(
            stateless_metrics)
        self._dynamic_display = _is_dynamic_display()
        self._values = {}
        self._values_order = []
        self._seen_so_far = 0
        self._start = time.time()
        self._last_update = 0
        self._time_after_first_step = None
        self._prev_total_width = 0

    def _averaged(self, name):
        if self.stateful_metrics is not None:
            return name not in self.stateful_metrics
        return name in self.stateless_metrics

    def update(self, current, values=None, finalize=None):
        """Shows step `current`; `values` is a list of `(name, value)` pairs."""
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        for name, value in values or []:
            if name not in self._values_order:
                self._values_order.append(name)
            if self._averaged(name) and not finalize:
                count = max(current - self._seen_so_far, 1)
                total, seen = self._values.get(name, (0.0, 0))
                self._values[name] = (total + value * count, seen + count)
            else:
                self._values[name] = (value, 1)
        self._seen_so_far = current
        now = time.time()
        time_per_unit = self._estimate_step_duration(current, now)
        if self.verbose == 1:
            if now - self._last_update < self.interval and not finalize:
                return
            if self._dynamic_display:
                self._draw_in_place(current, finalize, now, time_per_unit)
            elif finalize:
                _write(self._line(current, finalize, now, time_per_unit, styled=False) + "\n")
        elif self.verbose == 2 and finalize and self.target:
            digits = int(math.log10(self.target)) + 1
            line = (f"{current:{digits}d}/{self.target} - {now - self._start:.0f}s -"
                    f"{format_time_per_unit(time_per_unit, self.unit_name)}")
            _write(line + self._metrics_text(verbose=2) + "\n")
        self._last_update = now

    def add(self, n, values=None):
        """Advances by `n` steps."""
        self.update(self._seen_so_far + n, values)

    def _draw_in_place(self, current, finalize, now, time_per_unit):
        line = self._line(current, finalize, now, time_per_unit, styled=True)
        width = len(self._line(current, finalize, now, time_per_unit, styled=False))
        message = "\b" * self._prev_total_width + "\r" + line
        if self._prev_total_width > width:
            message += " " * (self._prev_total_width - width)
        if finalize:
            message += "\n"
        _write(message)
        self._prev_total_width = width

    def _line(self, current, finalize, now, time_per_unit, styled):
        bold, green, white, reset = (_BOLD, _GREEN, _WHITE, _RESET) if styled else ("",) * 4
        if self.target:
            digits = int(math.log10(self.target)) + 1
            done = int(self.width * current / self.target)
            line = f"{bold}{current:{digits}d}/{self.target}{reset} "
            if done > 0:
                line += f"{green}{_BAR_CHAR * done}{reset}"
            line += f"{white}{_BAR_CHAR * (self.width - done)}{reset}"
        else:
            line = "%7d/Unknown" % current
        if self.target and not finalize:
            shown = format_eta(time_per_unit * (self.target - current))
        else:
            shown = f"{now - self._start:.0f}s"
        line += f" {bold}{shown}{reset}"
        line += format_time_per_unit(time_per_unit, self.unit_name)
        return line + self._metrics_text(verbose=1)

    def _metrics_text(self, verbose):
        text = ""
        for name in self._values_order:
            total, count = self._values[name]
            average = float(np.mean(total)) / max(1, count)
            small = abs(average) <= 1e-3 if verbose == 1 else average <= 1e-3
            text += f" - {name}: {average:.4e}" if small else f" - {name}: {average:.4f}"
        return text

    def _estimate_step_duration(self, current, now):
        """Seconds per step, leaving out the (usually slower) first step when it can."""
        if not current:
            return 0
        if self._time_after_first_step is not None and current > 1:
            per_step = (now - self._time_after_first_step) / (current - 1)
        else:
            per_step = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return per_step
