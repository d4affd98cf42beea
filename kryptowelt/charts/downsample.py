"""Fewer points, same picture: LTTB ("Largest Triangle Three Buckets", Steinarsson 2013) keeps
peaks and troughs visible while cutting 10 years of daily prices to a few hundred points, so
an SVG stays small. Everything works on indices, so several lines over the same x values
(a Sparplan's value, payments and lump sum) can share one selection."""

from __future__ import annotations

import math
from collections.abc import Sequence


def lttb_indices(points: Sequence[tuple[float, float]], threshold: int) -> list[int]:
    """Indices of `threshold` points of `points` (x ascending) that keep the visual shape:
    always the first and the last, in ascending order. With `threshold` < 3 or at least
    len(points), every index."""
    n = len(points)
    if threshold >= n or threshold < 3:
        return list(range(n))
    chosen = [0]
    bucket_size = (n - 2) / (threshold - 2)
    a = 0
    for i in range(threshold - 2):
        # The average of the next bucket is the third corner of the triangle.
        next_start = int((i + 1) * bucket_size) + 1
        next_end = min(int((i + 2) * bucket_size) + 1, n)
        next_slice = points[next_start:next_end] or points[-1:]
        avg_x = sum(p[0] for p in next_slice) / len(next_slice)
        avg_y = sum(p[1] for p in next_slice) / len(next_slice)
        start = int(i * bucket_size) + 1
        end = int((i + 1) * bucket_size) + 1
        ax, ay = points[a]
        best_area, best_index = -1.0, start
        for j in range(start, end):
            px, py = points[j]
            area = abs((ax - avg_x) * (py - ay) - (ax - px) * (avg_y - ay))
            if area > best_area:
                best_area, best_index = area, j
        chosen.append(best_index)
        a = best_index
    chosen.append(n - 1)
    return chosen


def chart_indices(points: Sequence[tuple[float, float]], max_points: int) -> list[int]:
    """LTTB to at most `max_points`, plus the exact highest and lowest point: a chart must
    never hide the high."""
    n = len(points)
    if n <= max_points:
        return list(range(n))
    high = max(range(n), key=lambda i: points[i][1])
    low = min(range(n), key=lambda i: points[i][1])
    chosen = set(lttb_indices(points, max_points - 2))
    chosen.update((high, low))
    return sorted(chosen)


def evenly_spaced(items: Sequence, count: int) -> list:
    """`count` items at even steps from first to last (all of them if there are fewer)."""
    if len(items) <= count:
        return list(items)
    if count < 2:
        return list(items[-1:])
    step = (len(items) - 1) / (count - 1)
    return [items[round(i * step)] for i in range(count)]


def every_nth(items: Sequence, max_items: int) -> list:
    """Every n-th item so that about `max_items` remain, always ending with the last one;
    cheaper than LTTB where a few pixels are all there is (sparklines)."""
    if not items:
        return []
    step = max(1, math.ceil(len(items) / max_items))
    sampled = list(items[::step])
    if (len(items) - 1) % step:
        sampled.append(items[-1])
    return sampled
