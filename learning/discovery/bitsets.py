"""Sets of positions as Python ints (bit i set: position i is in the set), built in numpy:
what the catalogue (learning/discovery/catalogue.py) counts facets with."""

from collections.abc import Iterable

import numpy as np


def int_of_flags(flags: np.ndarray) -> int:
    """The int whose bit i is flags[i]."""
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


def bitset(positions: Iterable[int], size: int) -> int:
    """An int with the given bit positions set (each below size)."""
    flags = np.zeros(size, dtype=bool)
    flags[np.fromiter(positions, dtype=np.int64)] = True
    return int_of_flags(flags)


def spans_bitset(starts: np.ndarray, stops: np.ndarray, size: int) -> int:
    """An int with every bit from starts[i] up to (not including) stops[i] set; the spans
    never overlap."""
    edges = np.zeros(size + 1, dtype=np.int32)
    np.add.at(edges, starts, 1)
    np.add.at(edges, stops, -1)
    return int_of_flags(np.cumsum(edges[:-1]) > 0)


def set_positions(bits: int, start: int = 0, stop: int | None = None) -> list[int]:
    """Positions of the set bits, lowest first, from the start-th set bit to the stop-th."""
    if stop is not None and stop <= start:
        return []
    packed = np.frombuffer(bits.to_bytes((bits.bit_length() + 7) // 8, "little"), np.uint8)
    return np.flatnonzero(np.unpackbits(packed, bitorder="little"))[start:stop].tolist()
