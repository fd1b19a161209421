"""Rounding parts so that they add up to the total printed under them (largest-remainder method).

A column of shares printed with a 合计 row must add up on paper: three thirds rounded one by one
show 33.33% + 33.33% + 33.33% = 99.99% above a 合计 of 100.00%. Here each part is rounded down to
the unit, and the units still missing go, one each, to the parts that lost the most in rounding
(on a tie, the earlier part). So the parts add up to the total exactly, each shown part is within
one unit of its exact value, and a part of nothing stays nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal


def largest_remainder(weights: Sequence[int], total: int) -> list[int]:
    """Split ``total`` whole units in proportion to ``weights`` (non-negative, not all zero)."""
    if total < 0:
        raise ValueError(f"total must not be negative, got {total}")
    if any(weight < 0 for weight in weights):
        raise ValueError("weights must not be negative")
    whole = sum(weights)
    if whole == 0:
        raise ValueError("at least one weight must be positive")
    # Integer arithmetic throughout: exact quotients and remainders, no float error.
    divided = [divmod(weight * total, whole) for weight in weights]
    parts = [quotient for quotient, _remainder in divided]
    missing = total - sum(parts)
    by_loss = sorted(range(len(weights)), key=lambda index: (-divided[index][1], index))
    for index in by_loss[:missing]:
        parts[index] += 1
    return parts


def percentages(counts: Sequence[int], places: int = 2) -> list[Decimal] | None:
    """Each count's share of their sum in percent, ``places`` decimals, adding up to exactly
    100; None when there is nothing to share (the sum is 0)."""
    if sum(counts) == 0:
        return None
    scale = 10**places
    quantum = Decimal(1).scaleb(-places)
    return [
        (Decimal(part) / scale).quantize(quantum) for part in largest_remainder(counts, 100 * scale)
    ]
