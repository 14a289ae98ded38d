"""Which polygons touch and along how much edge, and keeping every label in one piece."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import Polygon

from infra.demo.city.coordinates import Matrix

Adjacency = list[dict[int, float]]
"""For each node, its edge neighbours and the length of edge they share."""


def adjacency_of(grids: list[Polygon]) -> Adjacency:
    left, right = shapely.STRtree(grids).query(grids, predicate="intersects")
    edges = shapely.boundary(np.array(grids, dtype=object))
    shared = shapely.length(shapely.intersection(edges[left], edges[right]))
    neighbours: Adjacency = [{} for _ in grids]
    for a, b, length in zip(left.tolist(), right.tolist(), shared.tolist(), strict=True):
        if a != b and length > 0:
            neighbours[a][b] = length
    return neighbours


def group_adjacency(groups: list[list[int]], adjacency: Adjacency) -> Adjacency:
    group_of = {g: i for i, group in enumerate(groups) for g in group}
    result: Adjacency = [{} for _ in groups]
    for i, group in enumerate(groups):
        for g in group:
            for h, length in adjacency[g].items():
                if group_of[h] != i:
                    result[i][group_of[h]] = result[i].get(group_of[h], 0.0) + length
    return result


def pieces(nodes: list[int], adjacency: Adjacency, weights: Matrix) -> list[list[int]]:
    """The connected pieces of a node set, heaviest first."""
    left, found = set(nodes), []
    while left:
        piece, todo = [], [min(left)]
        left.discard(todo[0])
        while todo:
            piece.append(node := todo.pop())
            todo += [n for n in adjacency[node] if n in left]
            left.difference_update(adjacency[node])
        found.append(piece)
    return sorted(found, key=lambda piece: (-float(weights[piece].sum()), min(piece)))


def rejoin(labels: list[int], adjacency: Adjacency, weights: Matrix) -> list[int]:
    """Moves every piece cut off from the heaviest piece of its label to the neighbouring label
    it shares most edge with, until each label is in one piece."""
    while True:
        members: dict[int, list[int]] = {}
        for node, label in enumerate(labels):
            members.setdefault(label, []).append(node)
        strays = [p for m in members.values() for p in pieces(m, adjacency, weights)[1:]]
        if not strays:
            return labels
        for piece in strays:
            contact: dict[int, float] = {}
            for n in piece:
                for m, length in adjacency[n].items():
                    if labels[m] != labels[n]:
                        contact[labels[m]] = contact.get(labels[m], 0.0) + length
            for n in piece:
                labels[n] = max(sorted(contact), key=contact.__getitem__)
