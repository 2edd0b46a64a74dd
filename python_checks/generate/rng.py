"""Deterministic child random generators, one per (module, chunk) key."""

from __future__ import annotations

import zlib

import numpy as np


def _key_int(key: int | str) -> int:
    if isinstance(key, int):
        return key
    return zlib.crc32(key.encode("utf-8"))


def rng_for(seed: int, *keys: int | str) -> np.random.Generator:
    """A generator that depends only on the seed and the keys (e.g. "product", chunk index).

    Each module and chunk draws from its own stream, so adding draws in one module never shifts
    the numbers another module sees.
    """
    entropy = [seed & 0xFFFFFFFF, (seed >> 32) & 0xFFFFFFFF, *(_key_int(key) for key in keys)]
    return np.random.default_rng(np.random.SeedSequence(entropy))
