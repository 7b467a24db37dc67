"""Betweenness centrality with sparse-matrix breadth-first search (Brandes, many sources at once).

Gives the same numbers as `networkx.betweenness_centrality(graph, k=k, seed=seed)` for an
unweighted undirected graph (normalised, endpoints excluded; the same sampled sources),
but runs the searches of a batch of sources together as sparse matrix products, which
is one to two orders of magnitude faster than networkx's pure-Python loop.
"""

from __future__ import annotations

import math
import random
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse  # noqa: F401  # networkx converts with it: loaded with the module

BATCH = 128


def betweenness(
    graph: nx.Graph, k: int | None = None, seed: int = 42, batch: int = BATCH
) -> dict[str, float]:
    """Return normalised betweenness of every node, exact or from k sampled sources."""
    nodes = list(graph.nodes())
    n = len(nodes)
    if n < 3:
        return {v: 0.0 for v in nodes}
    sources = nodes if k is None or k >= n else random.Random(seed).sample(nodes, k)
    index = {v: i for i, v in enumerate(nodes)}
    adjacency = nx.to_scipy_sparse_array(
        graph, nodelist=nodes, weight=None, dtype=float, format="lil"
    )
    adjacency.setdiag(0)
    matrix = adjacency.tocsr()
    matrix.eliminate_zeros()
    total = np.zeros(n)
    columns = np.array([index[s] for s in sources], dtype=np.int64)
    for start in range(0, len(columns), batch):
        total += _dependencies(matrix, columns[start : start + batch])
    sampled = k is not None and len(sources) < n
    if not sampled:
        return {v: float(total[i]) / ((n - 1) * (n - 2)) for i, v in enumerate(nodes)}
    count = len(sources)
    scale_source = 1 / ((count - 1) * (n - 2)) if count > 1 else math.nan
    scale_other = 1 / (count * (n - 2))
    chosen = set(columns.tolist())
    return {
        v: float(total[i]) * (scale_source if i in chosen else scale_other)
        for i, v in enumerate(nodes)
    }


def _dependencies(adjacency: Any, sources: np.ndarray) -> np.ndarray:
    """Return, per node, the summed dependencies of the given sources (Brandes)."""
    n = adjacency.shape[0]
    width = len(sources)
    cols = np.arange(width)
    sigma = np.zeros((n, width))
    sigma[sources, cols] = 1.0
    dist = np.full((n, width), -1, dtype=np.int32)
    dist[sources, cols] = 0
    frontier = sigma.copy()
    depth = 0
    while True:
        reached = adjacency @ frontier
        reached[dist >= 0] = 0.0
        new = reached > 0
        if not new.any():
            break
        depth += 1
        dist[new] = depth
        sigma += reached
        frontier = reached
    delta = np.zeros((n, width))
    safe_sigma = np.where(sigma > 0, sigma, 1.0)
    for level in range(depth, 0, -1):
        share = np.where(dist == level, (1.0 + delta) / safe_sigma, 0.0)
        delta += np.where(dist == level - 1, sigma * (adjacency @ share), 0.0)
    delta[sources, cols] = 0.0
    result: np.ndarray = delta.sum(axis=1)
    return result
