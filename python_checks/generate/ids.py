"""Identifier formats of the source systems, built vectorised from integer keys.

Every id is a bijective 64-bit mix of an integer key, so distinct keys can never collide.
Real rows use keys below 2**62; keys at or above ORPHAN_KEY_BASE make ids that look real but
point to no row (orphan foreign keys).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

ORPHAN_KEY_BASE = 1 << 62
_BASE62 = np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", np.uint8)
_HEX = np.frombuffer(b"0123456789abcdef", np.uint8)

# Salts keep the id spaces of different objects unrelated.
SALTS = {
    "crm_account": 0x1A2B3C4D,
    "crm_user": 0x2B3C4D5E,
    "crm_contact": 0x3C4D5E6F,
    "crm_opportunity": 0x4D5E6F70,
    "crm_task": 0x5E6F7081,
    "crm_health_input": 0x6F708192,
    "billing_customer": 0x708192A3,
    "billing_subscription": 0x8192A3B4,
    "billing_invoice": 0x92A3B4C5,
    "billing_charge": 0xA3B4C5D6,
    "tracks": 0xB4C5D6E7,
    "groups": 0xC5D6E7F8,
    "anonymous": 0xD6E7F809,
    "response": 0xE7F8091A,
}

PREFIXES = {
    "crm_account": "001Hs00",
    "crm_user": "005Hs00",
    "crm_contact": "003Hs00",
    "crm_opportunity": "006Hs00",
    "crm_task": "00THs00",
    "crm_health_input": "a0XHs00",
    "billing_customer": "cus_",
    "billing_subscription": "sub_",
    "billing_invoice": "in_",
    "billing_charge": "ch_",
    "response": "resp_",
}

ZENDESK_ORG_BASE = 360_000_000_000
ZENDESK_ORPHAN_ORG_BASE = 399_000_000_000
ZENDESK_TICKETS_PER_CHUNK = 10_000_000


def mix64(keys: np.ndarray, salt: int) -> np.ndarray:
    """splitmix64 finaliser of key + salt: a bijection on 64-bit integers."""
    with np.errstate(over="ignore"):
        x = keys.astype(np.uint64) + np.uint64(salt * 0x9E3779B97F4A7C15 % (1 << 64))
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def chunk_keys(chunk: int, count: int, start: int = 0) -> np.ndarray:
    """Keys unique across chunks: the chunk index in the high bits, a row counter below."""
    return (np.uint64(chunk) << np.uint64(32)) + np.arange(start, start + count, dtype=np.uint64)


def _join_bytes(prefix: str, body: np.ndarray) -> np.ndarray:
    """Prefix bytes + a (n, width) uint8 body -> numpy array of fixed-width bytes."""
    n, width = body.shape
    head = np.frombuffer(prefix.encode("ascii"), np.uint8)
    matrix = np.empty((n, len(head) + width), np.uint8)
    matrix[:, : len(head)] = head
    matrix[:, len(head) :] = body
    return matrix.view(f"S{len(head) + width}").ravel()


def _base62(values: np.ndarray, width: int) -> np.ndarray:
    out = np.empty((len(values), width), np.uint8)
    rest = values.astype(np.uint64)
    for pos in range(width - 1, -1, -1):
        out[:, pos] = _BASE62[(rest % np.uint64(62)).astype(np.intp)]
        rest = rest // np.uint64(62)
    return out


def _hex(values: np.ndarray) -> np.ndarray:
    out = np.empty((len(values), 16), np.uint8)
    rest = values.astype(np.uint64)
    for pos in range(15, -1, -1):
        out[:, pos] = _HEX[(rest & np.uint64(15)).astype(np.intp)]
        rest = rest >> np.uint64(4)
    return out


def object_ids(kind: str, keys: np.ndarray) -> np.ndarray:
    """Salesforce- or Stripe-style ids (prefix + 11 base62 chars) for the given keys."""
    return _join_bytes(PREFIXES[kind], _base62(mix64(keys, SALTS[kind]), 11)).astype(str)


def _uuid_bytes(kind: str, keys: np.ndarray) -> np.ndarray:
    high = _hex(mix64(keys, SALTS[kind]))
    low = _hex(mix64(keys, SALTS[kind] ^ 0x5555_5555))
    body = np.concatenate([high, low], axis=1)
    dash = np.full((len(keys), 1), ord("-"), np.uint8)
    parts = [body[:, :8], dash, body[:, 8:12], dash, body[:, 12:16], dash]
    parts += [body[:, 16:20], dash, body[:, 20:32]]
    return _join_bytes("", np.concatenate(parts, axis=1))


def uuid_ids(kind: str, keys: np.ndarray) -> np.ndarray:
    """UUID-shaped ids (8-4-4-4-12 hex) for the given keys."""
    return _uuid_bytes(kind, keys).astype(str)


def uuid_array(kind: str, keys: np.ndarray) -> pa.Array:
    """The same ids as an Arrow string array, without Python strings in between."""
    return pa.array(_uuid_bytes(kind, keys), pa.binary(36)).cast(pa.string())


def orphan_keys(rng: np.random.Generator, count: int) -> np.ndarray:
    """Keys that no real row uses: ids made from them point nowhere."""
    return np.uint64(ORPHAN_KEY_BASE) + rng.integers(0, 1 << 40, count, dtype=np.uint64)
