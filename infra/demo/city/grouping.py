"""Grids grouped into communities over their adjacency graph, and communities gathered into
streets around the real streets' positions."""

from __future__ import annotations

import random

import numpy as np
import shapely

from infra.demo.city.adjacency import Adjacency, pieces, rejoin
from infra.demo.city.coordinates import Matrix, centres_m
from infra.demo.names import STREETS

COMMUNITY_COUNT = 205
_SIZE_WEIGHTS = (1, 4, 5, 3, 1)
"""How often a community aims at 1, 2, … 5 grids before the count is trimmed to 205."""


def communities(adjacency: Adjacency, centres: Matrix, rng: random.Random) -> list[list[int]]:
    """Contiguous groups of 1–5 grids, peeled from the loosest corner inwards so few grids are
    left stranded, then merged or split to exactly COMMUNITY_COUNT."""
    free = set(range(len(adjacency)))
    groups: list[list[int]] = []
    while free:
        start = min(free, key=lambda g: (len(adjacency[g].keys() & free), -centres[g, 1], g))
        group, target = [start], rng.choices(range(1, 6), weights=_SIZE_WEIGHTS)[0]
        free.discard(start)
        while len(group) < target and (
            frontier := sorted({h for g in group for h in adjacency[g] if h in free})
        ):
            middle = centres[group].mean(axis=0)
            group.append(min(frontier, key=lambda h: float(np.hypot(*(centres[h] - middle)))))
            free.discard(group[-1])
        groups.append(group)
    while len(groups) > COMMUNITY_COUNT:
        _merge_smallest(groups, adjacency)
    while len(groups) < COMMUNITY_COUNT:
        _split_largest(groups, adjacency, centres)
    return groups


def streets(adjacency: Adjacency, centres: Matrix, areas: Matrix) -> list[int]:
    """Each community goes to the nearest real street's middle, then cut-off pieces are
    rejoined so every street is in one piece."""
    sites = centres_m(shapely.points([(s.lon, s.lat) for s in STREETS]))
    nearest = [int(np.argmin(np.hypot(*(sites - c).T))) for c in centres]
    return rejoin(nearest, adjacency, areas)


def _merge_smallest(groups: list[list[int]], adjacency: Adjacency) -> None:
    group_of = {g: i for i, group in enumerate(groups) for g in group}
    for i in sorted(range(len(groups)), key=lambda i: len(groups[i])):
        near = {group_of[h] for g in groups[i] for h in adjacency[g]} - {i}
        fits = sorted(j for j in near if len(groups[i]) + len(groups[j]) <= 5)
        if fits:
            groups[min(fits, key=lambda j: len(groups[j]))] += groups[i]
            del groups[i]
            return
    raise RuntimeError("no two neighbouring communities fit together")


def _split_largest(groups: list[list[int]], adjacency: Adjacency, centres: Matrix) -> None:
    group = max(groups, key=len)
    middle = centres[group].mean(axis=0)
    for g in sorted(group, key=lambda g: -float(np.hypot(*(centres[g] - middle)))):
        rest = [h for h in group if h != g]
        if len(pieces(rest, adjacency, np.ones(len(adjacency)))) == 1:
            group.remove(g)
            groups.append([g])
            return
