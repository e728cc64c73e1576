"""RE2's regular expressions on Python's `re`, for `tf.strings.regex_replace` and
`regex_full_match`: a pattern in RE2's syntax translated to a Python pattern with the same
matches, RE2's rewrite strings (`\\1`) and its global replacement.

Text is matched as decoded by `decode`: invalid UTF-8 bytes become lone surrogates, which
no translated class matches, as RE2 never matches an invalid byte.
"""

import functools
import re
import unicodedata

from eagerflow.framework.errors import UnimplementedError


class PatternError(Exception):
    """RE2's complaint about a pattern: its description and the offending text."""

    def __init__(self, description, text=None):
        super().__init__(description if text is None else f"{description}: {text}")


_MAX_CODE_POINT = 0x10FFFF
_SURROGATES = (0xD800, 0xDFFF)  # invalid input bytes decode to U+DC80..U+DCFF
_DIGIT = [(0x30, 0x39)]
_WORD = [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)]
_PERL_CLASSES = {"d": _DIGIT, "w": _WORD, "s": [(0x09, 0x0A), (0x0C, 0x0D), (0x20, 0x20)]}
_POSIX_CLASSES = {
    "alnum": [(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)], "alpha": [(0x41, 0x5A), (0x61, 0x7A)],
    "ascii": [(0x00, 0x7F)], "blank": [(0x09, 0x09), (0x20, 0x20)],
    "cntrl": [(0x00, 0x1F), (0x7F, 0x7F)], "digit": _DIGIT, "graph": [(0x21, 0x7E)],
    "lower": [(0x61, 0x7A)], "print": [(0x20, 0x7E)],
    "punct": [(0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)],
    "space": [(0x09, 0x0D), (0x20, 0x20)], "upper": [(0x41, 0x5A)], "word": _WORD,
    "xdigit": [(0x30, 0x39), (0x41, 0x46), (0x61, 0x66)],
}
_CONTROL_ESCAPES = {"a": 0x07, "f": 0x0C, "t": 0x09, "n": 0x0A, "r": 0x0D, "v": 0x0B}
_WORD_CLASS = "[0-9A-Za-z_]"
_ASSERTIONS = {
    "A": r"(?:\A)", "z": r"(?:\Z)",
    "b": f"(?:(?<={_WORD_CLASS})(?!{_WORD_CLASS})|(?<!{_WORD_CLASS})(?={_WORD_CLASS}))",
    "B": f"(?:(?<={_WORD_CLASS})(?={_WORD_CLASS})|(?<!{_WORD_CLASS})(?!{_WORD_CLASS}))",
}
_REPEAT_SIZE = re.compile(r"\{(\d+)(,(\d*))?\}")


@functools.lru_cache(maxsize=None)
def _category_runs():
    """Unicode general categories as runs of code points: {"Lu": [(lo, hi), ...], ...}."""
    runs = {}
    start, current = 0, unicodedata.category("\0")
    for code in range(1, _MAX_CODE_POINT + 2):
        category = unicodedata.category(chr(code)) if code <= _MAX_CODE_POINT else None
        if category != current:
            runs.setdefault(current, []).append((start, code - 1))
            start, current = code, category
    return runs


def _unicode_class(name, text):
    if name == "Any":
        return [(0, _MAX_CODE_POINT)]
    runs = _category_runs()
    if len(name) == 1 and name in "CLMNPSZ":
        return [r for category, found in runs.items()
                if category[0] == name and category != "Cn" for r in found]
    if name in runs and name != "Cn":
        return runs[name]
    if len(name) == 1:
        raise PatternError("invalid character class range", text)
    raise UnimplementedError(None, None, f"eagerflow's regular expressions support Unicode "
                                         f"general categories in \\p{{...}}, not {text}")


def _complement(ranges):
    """The code points (surrogates aside) outside `ranges`."""
    out, start = [], 0
    for lo, hi in sorted(ranges + [_SURROGATES]):
        if lo > start:
            out.append((start, lo - 1))
        start = max(start, hi + 1)
    if start <= _MAX_CODE_POINT:
        out.append((start, _MAX_CODE_POINT))
    return out


def _class_text(ranges, negate=False):
    """A Python character class for `ranges`. It never matches a surrogate, so never an
    invalid input byte (those decode to U+DC80..U+DCFF), as RE2 never matches one."""
    if not negate:
        ranges = _complement(_complement(ranges))
    body = "".join(f"\\U{lo:08x}" if lo == hi else f"\\U{lo:08x}-\\U{hi:08x}"
                   for lo, hi in ranges)
    if negate:
        return f"[^{body}\\ud800-\\udfff]"
    return f"[{body}]" if body else "(?!)"


class _Re2Translator:
    """Translates an RE2 pattern into a Python `re` pattern with the same matches.

    RE2 differs from `re` in ways that would change results silently: \\d, \\w, \\s and \\b
    are ASCII-only; `$` matches only at the very end; flags such as `(?i)` may appear
    anywhere and last to the end of the group; `{,n}` is literal text; POSIX classes
    exist; lookarounds, backreferences and possessive repetition are errors. So every
    construct is spelled out for `re`: classes as code point ranges, anchors as `\\A` and
    `\\Z`, flags on each atom. Errors carry RE2's own wording. Unicode scripts
    (`\\p{Greek}`) and `\\C` raise UnimplementedError.
    """

    def __init__(self, pattern):
        self.pattern = pattern
        self.pos = 0
        self.out = []
        self.flags = frozenset()
        self.open_groups = []  # the flags in force outside each open group
        self.last = None  # None: nothing to repeat; "atom"; or where the last repeat began

    def translate(self):
        pattern = self.pattern
        while self.pos < len(pattern):
            char = pattern[self.pos]
            if char == "\\":
                self._escape_outside_class()
            elif char == "[":
                self._atom(self._class())
            elif char == "(":
                self._open_group()
            elif char == ")":
                if not self.open_groups:
                    raise PatternError("unexpected )", pattern)
                self.flags = self.open_groups.pop()
                self.out.append(")")
                self.pos += 1
                self.last = "atom"
            elif char == "|":
                self.out.append("|")
                self.pos += 1
                self.last = None
            elif char in "*+?":
                self._repeat(self.pos + 1)
            elif char == "{" and _REPEAT_SIZE.match(pattern, self.pos):
                self._repeat(_REPEAT_SIZE.match(pattern, self.pos).end())
            elif char == ".":
                self.pos += 1
                self._atom(_class_text([] if "s" in self.flags else [(0x0A, 0x0A)], True))
            elif char == "^":
                self.pos += 1
                self._atom("(?m:^)" if "m" in self.flags else r"(?:\A)")
            elif char == "$":
                self.pos += 1
                self._atom("(?m:$)" if "m" in self.flags else r"(?:\Z)")
            else:
                self.pos += 1
                self._atom(re.escape(char))
        if self.open_groups:
            raise PatternError("missing )", pattern)
        return "".join(self.out)

    def _atom(self, text):
        self.out.append(f"(?i:{text})" if "i" in self.flags else text)
        self.last = "atom"

    def _repeat(self, end):
        """The repetition operator from self.pos to `end`, maybe made non-greedy by '?'."""
        pattern, start = self.pattern, self.pos
        lazy = pattern.startswith("?", end)
        operator = pattern[start:end + lazy]
        if self.last is None:
            raise PatternError("no argument for repetition operator", operator)
        if self.last != "atom":
            raise PatternError("bad repetition operator", pattern[self.last:end + lazy])
        size = _REPEAT_SIZE.fullmatch(pattern, start, end)
        if size:
            low = int(size.group(1))
            high = low if size.group(2) is None else int(size.group(3) or -1)
            if low > 1000 or high > 1000 or -1 < high < low:
                raise PatternError("invalid repetition size", pattern[start:end])
        self.out.append(pattern[start:end] + ("?" if lazy != ("U" in self.flags) else ""))
        self.pos = end + lazy
        self.last = start

    def _open_group(self):
        pattern, start = self.pattern, self.pos
        if not pattern.startswith("(?", start):
            self._push_group("(", start + 1)
            return
        if pattern.startswith("(?P<", start) and start + 4 < len(pattern):
            end = pattern.find(">", start)
            name = pattern[start + 4:end] if end > 0 else ""
            if not name or not all(c.isalnum() or c == "_" for c in name):
                raise PatternError("invalid named capture group",
                                    pattern[start:end + 1] if end > 0 else pattern[start:])
            self._push_group("(", end + 1)  # names don't matter: rewrites use numbers
            return
        flags, negated, i = set(self.flags), None, start + 2
        while i < len(pattern) and pattern[i] not in ":)":
            char = pattern[i]
            if char in "imsU":
                if negated is None:
                    flags.add(char)
                else:
                    flags.discard(char)
                    negated = True
            elif char == "-" and negated is None:
                negated = False  # True once a flag follows the '-'
            else:
                raise PatternError("invalid perl operator", pattern[start:i + 1])
            i += 1
        if i == len(pattern) or negated is False:
            raise PatternError("invalid perl operator", pattern[start:i + 1])
        if pattern[i] == ")":  # (?i): for the rest of the enclosing group
            self.flags = frozenset(flags)
            self.pos = i + 1
            self.last = None
        else:
            self._push_group("(?:", i + 1)
            self.flags = frozenset(flags)

    def _push_group(self, text, end):
        self.open_groups.append(self.flags)
        self.out.append(text)
        self.pos = end
        self.last = None

    def _escape_outside_class(self):
        pattern = self.pattern
        if pattern.startswith("\\Q", self.pos):
            end = pattern.find("\\E", self.pos + 2)
            end = len(pattern) if end == -1 else end
            for char in pattern[self.pos + 2:end]:
                self._atom(re.escape(char))
            self.pos = min(end + 2, len(pattern))
            return
        kind, value = self._escape(in_class=False)
        if kind == "char":
            self._atom(re.escape(chr(value)))
        elif kind == "class":
            self._atom(_class_text(*value))
        else:
            self._atom(value)

    def _escape(self, in_class):
        """Reads the escape at self.pos: ("char", code), ("class", (ranges, negate)) or
        ("assert", text)."""
        pattern, start = self.pattern, self.pos
        if start + 1 >= len(pattern):
            raise PatternError("trailing \\")
        char = pattern[start + 1]
        self.pos = start + 2
        if "0" <= char <= "7" and (char == "0" or pattern[self.pos:self.pos + 1] in
                                   tuple("01234567")):
            digits = char
            while len(digits) < 3 and pattern[self.pos:self.pos + 1] in tuple("01234567"):
                digits += pattern[self.pos]
                self.pos += 1
            return "char", int(digits, 8)
        if char == "x":
            return "char", self._hex_escape(start)
        if char in _CONTROL_ESCAPES:
            return "char", _CONTROL_ESCAPES[char]
        if char.lower() in _PERL_CLASSES:
            return "class", (_PERL_CLASSES[char.lower()], char.isupper())
        if char in "pP":
            return "class", self._unicode_escape(start, negate=char == "P")
        if char in _ASSERTIONS and not in_class:
            return "assert", _ASSERTIONS[char]
        if char == "C":
            raise UnimplementedError(None, None, "eagerflow's regular expressions do not "
                                                 "support \\C (any byte)")
        if char < "\x80" and not char.isalnum():
            return "char", ord(char)
        raise PatternError("invalid escape sequence", pattern[start:start + 2])

    def _hex_escape(self, start):
        pattern, hex_digits = self.pattern, "0123456789abcdefABCDEF"
        if not pattern.startswith("{", self.pos):
            digits = pattern[self.pos:self.pos + 2]
            if len(digits) < 2 or not all(c in hex_digits for c in digits):
                raise PatternError("invalid escape sequence", pattern[start:self.pos + 2])
            self.pos += 2
            return int(digits, 16)
        # Any number of digits in braces; RE2's message shows what it read before failing.
        i, code = self.pos + 1, None
        if i == len(pattern):
            raise PatternError("invalid UTF-8")
        while pattern[i] in hex_digits:
            code = (code or 0) * 16 + int(pattern[i], 16)
            if code > _MAX_CODE_POINT or i + 1 == len(pattern):
                raise PatternError("invalid escape sequence", pattern[start:i + 1])
            i += 1
        if pattern[i] != "}" or code is None:
            raise PatternError("invalid escape sequence", pattern[start:i + 1])
        self.pos = i + 1
        return code

    def _unicode_escape(self, start, negate):
        pattern = self.pattern
        if pattern.startswith("{", self.pos):
            end = pattern.find("}", self.pos)
            if end == -1:
                raise PatternError("invalid character class range", pattern[start:])
            name, self.pos = pattern[self.pos + 1:end], end + 1
        elif self.pos < len(pattern):
            name, self.pos = pattern[self.pos], self.pos + 1
        else:
            raise PatternError("invalid character class range", pattern[start:])
        if name.startswith("^"):
            name, negate = name[1:], not negate
        return _unicode_class(name, pattern[start:self.pos]), negate

    def _class(self):
        """Reads a bracketed class at self.pos; returns Python's class text."""
        pattern, start = self.pattern, self.pos
        self.pos += 1
        negate = pattern.startswith("^", self.pos)
        self.pos += negate
        ranges, first = [], True
        while True:
            if self.pos >= len(pattern):
                raise PatternError("missing ]", pattern[start:])
            if pattern[self.pos] == "]" and not first:
                self.pos += 1
                break
            first = False
            if pattern.startswith("[:", self.pos) and pattern.find(":]", self.pos + 2) != -1:
                end = pattern.find(":]", self.pos + 2)
                name = pattern[self.pos + 2:end]
                found = _POSIX_CLASSES.get(name.lstrip("^"))
                if found is None or name.startswith("^^"):
                    raise PatternError("invalid character class range",
                                        pattern[self.pos:end + 2])
                ranges += _complement(found) if name.startswith("^") else found
                self.pos = end + 2
                continue
            item_start = self.pos
            low = self._class_item()
            if not isinstance(low, int):
                ranges += low
                continue
            if (pattern.startswith("-", self.pos) and self.pos + 1 < len(pattern)
                    and pattern[self.pos + 1] != "]"):
                self.pos += 1
                escape_start = self.pos
                high = self._class_item()
                if not isinstance(high, int):
                    raise PatternError("invalid escape sequence",
                                        pattern[escape_start:escape_start + 2])
                if high < low:
                    raise PatternError("invalid character class range",
                                        pattern[item_start:self.pos])
                ranges.append((low, high))
            else:
                ranges.append((low, low))
        return _class_text(ranges, negate)

    def _class_item(self):
        """One class member: a code point, or the ranges of an escaped class."""
        if self.pattern[self.pos] != "\\":
            self.pos += 1
            return ord(self.pattern[self.pos - 1])
        kind, value = self._escape(in_class=True)
        if kind == "char":
            return value
        ranges, negate = value
        return _complement(ranges) if negate else ranges


@functools.lru_cache(maxsize=256)
def compile_pattern(pattern):
    """The RE2 `pattern` (bytes) compiled by Python's `re`; raises PatternError."""
    try:
        source = pattern.decode("utf-8")
    except UnicodeDecodeError:
        raise PatternError("invalid UTF-8") from None
    translated = _Re2Translator(source).translate()
    try:
        return re.compile(translated)
    except re.error as err:
        raise PatternError(err.msg) from None


def decode(data):
    """UTF-8 bytes as the text a compiled pattern matches; invalid bytes become surrogates."""
    return data.decode("utf-8", "surrogateescape")  # invalid bytes survive the round trip


def encode(text):
    """Text back to bytes, the inverse of `decode`."""
    return text.encode("utf-8", "surrogateescape")


def parse_rewrite(rewrite):
    """RE2's rewrite string: its pieces (text, or a group number), whether it is well
    formed (pieces stop at the first bad escape), and the largest group it names."""
    pieces, text, valid, largest, i = [], [], True, 0, 0
    while i < len(rewrite):
        char, following = rewrite[i], rewrite[i + 1:i + 2]
        if char != "\\":
            if valid:
                text.append(char)
            i += 1
            continue
        if "0" <= following <= "9" and following:
            largest = max(largest, int(following))
            if valid:
                pieces += ["".join(text), int(following)]
                text = []
        elif following == "\\":
            if valid:
                text.append("\\")
        else:
            valid = False
        i += 2
    pieces.append("".join(text))
    return pieces, valid, largest


def expand(pieces, match):
    """The rewrite `pieces` (from `parse_rewrite`) with the groups of `match` filled in."""
    return "".join(piece if isinstance(piece, str) else match.group(piece) or ""
                   for piece in pieces)


def replace_all(regex, text, pieces):
    """RE2's GlobalReplace: no empty match right where the previous match ended."""
    out, pos, last_end, replaced = [], 0, -1, False
    while pos <= len(text):
        match = regex.search(text, pos)
        if match is None:
            break
        start, end = match.span()
        out.append(text[pos:start])
        if start == end == last_end:
            out.append(text[pos:pos + 1])
            pos += 1
            continue
        out.append(expand(pieces, match))
        pos = last_end = end
        replaced = True
    if not replaced:
        return text
    out.append(text[pos:])
    return "".join(out)
