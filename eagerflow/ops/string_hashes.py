"""TensorFlow's three string hashes, bit for bit: FarmHash's Fingerprint64 (farmhashna),
the MurmurHash64A variant of tensorflow::Hash64, and SipHash-2-4 — the hashes behind
`tf.strings.to_hash_bucket_fast`, `to_hash_bucket` and `to_hash_bucket_strong`.

Each takes `bytes` and returns an unsigned 64-bit Python int.
"""

_MASK = (1 << 64) - 1
_K0, _K1, _K2 = 0xC3A5C85C97CB3127, 0xB492B66FBE98F273, 0x9AE16A3B2F90404F


def _fetch64(data, i):
    return int.from_bytes(data[i:i + 8], "little")


def _fetch32(data, i):
    return int.from_bytes(data[i:i + 4], "little")


def _rotate_right(value, shift):
    return ((value >> shift) | (value << (64 - shift))) & _MASK


def _shift_mix(value):
    return value ^ (value >> 47)


def _hash_len16(u, v, mul):
    a = ((u ^ v) * mul) & _MASK
    a ^= a >> 47
    b = ((v ^ a) * mul) & _MASK
    b ^= b >> 47
    return (b * mul) & _MASK


def _hash_len0to16(data, size):
    if size >= 8:
        mul = _K2 + size * 2
        a = (_fetch64(data, 0) + _K2) & _MASK
        b = _fetch64(data, size - 8)
        c = (_rotate_right(b, 37) * mul + a) & _MASK
        d = ((_rotate_right(a, 25) + b) * mul) & _MASK
        return _hash_len16(c, d, mul)
    if size >= 4:
        mul = _K2 + size * 2
        return _hash_len16(size + (_fetch32(data, 0) << 3), _fetch32(data, size - 4), mul)
    if size:
        y = data[0] + (data[size >> 1] << 8)
        z = size + (data[size - 1] << 2)
        return (_shift_mix((y * _K2 ^ z * _K0) & _MASK) * _K2) & _MASK
    return _K2


def _hash_len17to32(data, size):
    mul = _K2 + size * 2
    a = (_fetch64(data, 0) * _K1) & _MASK
    b = _fetch64(data, 8)
    c = (_fetch64(data, size - 8) * mul) & _MASK
    d = (_fetch64(data, size - 16) * _K2) & _MASK
    return _hash_len16((_rotate_right((a + b) & _MASK, 43) + _rotate_right(c, 30) + d) & _MASK,
                       (a + _rotate_right((b + _K2) & _MASK, 18) + c) & _MASK, mul)


def _hash_len33to64(data, size):
    mul = _K2 + size * 2
    a = (_fetch64(data, 0) * _K2) & _MASK
    b = _fetch64(data, 8)
    c = (_fetch64(data, size - 8) * mul) & _MASK
    d = (_fetch64(data, size - 16) * _K2) & _MASK
    y = (_rotate_right((a + b) & _MASK, 43) + _rotate_right(c, 30) + d) & _MASK
    z = _hash_len16(y, (a + _rotate_right((b + _K2) & _MASK, 18) + c) & _MASK, mul)
    e = (_fetch64(data, 16) * mul) & _MASK
    f = _fetch64(data, 24)
    g = ((y + _fetch64(data, size - 32)) * mul) & _MASK
    h = ((z + _fetch64(data, size - 24)) * mul) & _MASK
    return _hash_len16((_rotate_right((e + f) & _MASK, 43) + _rotate_right(g, 30) + h) & _MASK,
                       (e + _rotate_right((f + a) & _MASK, 18) + g) & _MASK, mul)


def _weak_hash_len32(data, i, a, b):
    w, x, y, z = (_fetch64(data, i + k) for k in (0, 8, 16, 24))
    a = (a + w) & _MASK
    b = _rotate_right((b + a + z) & _MASK, 21)
    c = a
    a = (a + x + y) & _MASK
    b = (b + _rotate_right(a, 44)) & _MASK
    return (a + z) & _MASK, (b + c) & _MASK


def fingerprint64(data):
    """FarmHash's Fingerprint64 of `data` (bytes), the hash of `to_hash_bucket_fast`."""
    size = len(data)
    if size <= 16:
        return _hash_len0to16(data, size)
    if size <= 32:
        return _hash_len17to32(data, size)
    if size <= 64:
        return _hash_len33to64(data, size)
    seed = 81
    y = (seed * _K1 + 113) & _MASK
    z = (_shift_mix((y * _K2 + 113) & _MASK) * _K2) & _MASK
    v0 = v1 = w0 = w1 = 0
    x = (seed * _K2 + _fetch64(data, 0)) & _MASK
    end = ((size - 1) // 64) * 64  # the loop leaves 1 to 64 bytes for the tail
    for i in range(0, end, 64):
        x = (_rotate_right((x + y + v0 + _fetch64(data, i + 8)) & _MASK, 37) * _K1) & _MASK
        y = (_rotate_right((y + v1 + _fetch64(data, i + 48)) & _MASK, 42) * _K1) & _MASK
        x ^= w1
        y = (y + v0 + _fetch64(data, i + 40)) & _MASK
        z = (_rotate_right((z + w0) & _MASK, 33) * _K1) & _MASK
        v0, v1 = _weak_hash_len32(data, i, (v1 * _K1) & _MASK, (x + w0) & _MASK)
        w0, w1 = _weak_hash_len32(data, i + 32, (z + w1) & _MASK,
                                  (y + _fetch64(data, i + 16)) & _MASK)
        z, x = x, z
    mul = _K1 + ((z & 0xFF) << 1)
    i = size - 64  # the last 64 bytes, overlapping the loop's
    w0 = (w0 + ((size - 1) & 63)) & _MASK
    v0 = (v0 + w0) & _MASK
    w0 = (w0 + v0) & _MASK
    x = (_rotate_right((x + y + v0 + _fetch64(data, i + 8)) & _MASK, 37) * mul) & _MASK
    y = (_rotate_right((y + v1 + _fetch64(data, i + 48)) & _MASK, 42) * mul) & _MASK
    x ^= (w1 * 9) & _MASK
    y = (y + v0 * 9 + _fetch64(data, i + 40)) & _MASK
    z = (_rotate_right((z + w0) & _MASK, 33) * mul) & _MASK
    v0, v1 = _weak_hash_len32(data, i, (v1 * mul) & _MASK, (x + w0) & _MASK)
    w0, w1 = _weak_hash_len32(data, i + 32, (z + w1) & _MASK,
                              (y + _fetch64(data, i + 16)) & _MASK)
    z, x = x, z
    return _hash_len16((_hash_len16(v0, w0, mul) + _shift_mix(y) * _K0 + z) & _MASK,
                       (_hash_len16(v1, w1, mul) + x) & _MASK, mul)


def legacy_hash64(data, seed=0xDECAFCAFFE):
    """tensorflow::Hash64 (MurmurHash64A), the hash of `to_hash_bucket`."""
    m = 0xC6A4A7935BD1E995
    size = len(data)
    h = (seed ^ (size * m)) & _MASK
    whole = size - size % 8
    for i in range(0, whole, 8):
        k = (_fetch64(data, i) * m) & _MASK
        k = ((k ^ (k >> 47)) * m) & _MASK
        h = ((h ^ k) * m) & _MASK
    if size % 8:
        h = ((h ^ int.from_bytes(data[whole:], "little")) * m) & _MASK
    h = ((h ^ (h >> 47)) * m) & _MASK
    return h ^ (h >> 47)


def _rotate_left(value, shift):
    return ((value << shift) | (value >> (64 - shift))) & _MASK


def siphash(key, data):
    """SipHash-2-4 of `data` with the 128-bit `key` (two 64-bit words)."""
    k0, k1 = key
    v = [k0 ^ 0x736F6D6570736575, k1 ^ 0x646F72616E646F6D,
         k0 ^ 0x6C7967656E657261, k1 ^ 0x7465646279746573]

    def rounds(count):
        v0, v1, v2, v3 = v
        for _ in range(count):
            v0 = (v0 + v1) & _MASK
            v1 = _rotate_left(v1, 13) ^ v0
            v0 = _rotate_left(v0, 32)
            v2 = (v2 + v3) & _MASK
            v3 = _rotate_left(v3, 16) ^ v2
            v0 = (v0 + v3) & _MASK
            v3 = _rotate_left(v3, 21) ^ v0
            v2 = (v2 + v1) & _MASK
            v1 = _rotate_left(v1, 17) ^ v2
            v2 = _rotate_left(v2, 32)
        v[:] = v0, v1, v2, v3

    size = len(data)
    whole = size - size % 8
    words = [_fetch64(data, i) for i in range(0, whole, 8)]
    words.append(int.from_bytes(data[whole:], "little") | ((size & 0xFF) << 56))
    for word in words:
        v[3] ^= word
        rounds(2)
        v[0] ^= word
    v[2] ^= 0xFF
    rounds(4)
    return v[0] ^ v[1] ^ v[2] ^ v[3]
