"""Keyword co-occurrence map as VOSviewer makes it: thesaurus, association strength, VOS mapping and clustering.

What is implemented (VOSviewer itself is a Java program with no Python API and no
library implements its mapping, so the mapping is written here, following the published
method; the clustering optimiser is networkx's Louvain):

- **Terms**: author keywords, lower-cased, merged through a VOSviewer thesaurus file
  (tab-delimited, header ``label<TAB>replace by``); items with at least
  ``min_occurrences`` documents are kept, and, as VOSviewer does by default, only the
  largest connected set of them.
- **Co-occurrence**: full counting, ``c_ij`` = documents holding both terms.
- **Association strength** (van Eck & Waltman 2009; the VOSviewer default):
  ``s_ij = 2 m c_ij / (k_i k_j)`` with ``k_i = sum_j c_ij`` the total link strength of
  item ``i`` and ``m`` the total link strength of the network.
- **Mapping** (the unified VOS approach, Waltman, van Eck & Noyons 2010): minimise
  ``V(x) = sum_{i<j} s_ij d_ij^2 - sum_{i<j} d_ij`` over 2-D positions (L-BFGS from
  seeded random starts, best kept), then translate to the centroid, rotate onto the
  principal axes and scale to an average distance of 1, as VOSviewer normalises its
  layouts (the orientation of an axis is fixed by a sign rule, so runs agree).
- **Clustering**: VOS clustering maximises ``sum_{i<j} delta(x_i,x_j)(c_ij - gamma k_i k_j / 2m)``,
  which with association strength equals modularity with resolution ``gamma``
  (Waltman et al. 2010). VOSviewer optimises it with the smart local moving / Leiden
  algorithm; here networkx's Louvain (``louvain_communities``, seeded; best modularity of
  ``random_starts`` seeds) is used, so on near-ties a partition can differ
  from VOSviewer's while the objective is the same. Clusters smaller than
  ``min_cluster_size`` are merged into the cluster they link to most, as VOSviewer's
  "merge small clusters" does; clusters are numbered by size (1 = largest).

Outputs follow VOSviewer's map and network file formats (see :func:`vosviewer_map_text`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import combinations

import networkx as nx
import numpy as np
import pandas as pd
from scipy.optimize import minimize

from nero.slr.coding import split_list
from nero.tolerances import CUT_TOL


class ThesaurusError(ValueError):
    """A thesaurus file that is not in VOSviewer's format."""


def read_thesaurus(text: str, file="thesaurus.txt") -> dict[str, str]:
    """A VOSviewer thesaurus: ``label<TAB>replace by`` lines under that header (lower-cased)."""
    lines = [line for line in text.replace("\r\n", "\n").lstrip("\ufeff").split("\n")]
    header = [h.strip().lower() for h in lines[0].split("\t")]
    if header[:2] != ["label", "replace by"]:
        raise ThesaurusError(f"{file}: line 1: expected the header 'label<TAB>replace by', found {lines[0]!r}")
    out = {}
    for n, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != 2:
            raise ThesaurusError(
                f"{file}: line {n}: expected two tab-separated fields (label, replace by), found {len(cells)}"
            )
        out[cells[0].strip().lower()] = cells[1].strip().lower()
    return out


def document_terms(keywords: pd.Series, thesaurus: dict[str, str]) -> list[list[str]]:
    """Each document's distinct terms after the thesaurus (an empty replacement drops the term)."""
    docs = []
    for value in keywords:
        terms = []
        for kw in split_list(value):
            term = thesaurus.get(kw.lower(), kw.lower())
            if term and term not in terms:
                terms.append(term)
        docs.append(terms)
    return docs


def cooccurrence(docs: list[list[str]], min_occurrences: int = 1) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Terms with at least ``min_occurrences`` documents (sorted), their occurrences and the co-occurrence matrix."""
    occ = Counter(t for d in docs for t in d)
    terms = sorted(t for t, n in occ.items() if n >= min_occurrences)
    index = {t: i for i, t in enumerate(terms)}
    c = np.zeros((len(terms), len(terms)))
    for d in docs:
        kept = sorted(index[t] for t in d if t in index)
        for i, j in combinations(kept, 2):
            c[i, j] += 1
            c[j, i] += 1
    return terms, np.array([occ[t] for t in terms], dtype=float), c


def largest_component(c: np.ndarray) -> np.ndarray:
    """Indices of the largest connected set of items (ties: the one with the lowest index)."""
    n = len(c)
    seen, best = np.full(n, False), []
    for start in range(n):
        if seen[start]:
            continue
        comp, stack = [], [start]
        seen[start] = True
        while stack:
            i = stack.pop()
            comp.append(i)
            for j in np.nonzero(c[i])[0]:
                if not seen[j]:
                    seen[j] = True
                    stack.append(j)
        if len(comp) > len(best):
            best = comp
    return np.array(sorted(best), dtype=int)


def association_strength(c: np.ndarray) -> np.ndarray:
    """``s_ij = 2 m c_ij / (k_i k_j)`` (zero diagonal)."""
    k = c.sum(axis=1)
    m = k.sum() / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(np.outer(k, k) > 0, 2 * m * c / np.outer(k, k), 0.0)
    np.fill_diagonal(s, 0.0)
    return s


def vos_objective(flat: np.ndarray, s: np.ndarray) -> tuple[float, np.ndarray]:
    """``V(x) = sum_{i<j} s_ij d_ij^2 - sum_{i<j} d_ij`` and its gradient."""
    x = flat.reshape(-1, 2)
    diff = x[:, None, :] - x[None, :, :]
    d = np.sqrt((diff**2).sum(axis=2))
    iu = np.triu_indices(len(x), 1)
    value = float((s[iu] * d[iu] ** 2).sum() - d[iu].sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        inv = np.where(d > 0, 1.0 / d, 0.0)
    weight = 2 * s - inv
    np.fill_diagonal(weight, 0.0)
    grad = (weight[:, :, None] * diff).sum(axis=1)
    return value, grad.ravel()


def vos_mapping(s: np.ndarray, seed: int, starts: int = 10) -> np.ndarray:
    """2-D VOS map of the similarity matrix ``s`` (normalised as VOSviewer does)."""
    n = len(s)
    if n == 1:
        return np.zeros((1, 2))
    rng = np.random.default_rng(seed)
    best = None
    for _ in range(starts):
        x0 = rng.uniform(-1, 1, size=(n, 2)).ravel()
        res = minimize(
            vos_objective, x0, args=(s,), jac=True, method="L-BFGS-B", options={"maxiter": 5000, "gtol": 1e-9}
        )
        if best is None or res.fun < best.fun - 1e-12:
            best = res
    x = best.x.reshape(-1, 2)
    x = x - x.mean(axis=0)
    _, _, vt = np.linalg.svd(x, full_matrices=False)
    x = x @ vt.T
    iu = np.triu_indices(n, 1)
    avg = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=2))[iu].mean()
    x = x / avg
    for axis in range(2):  # sign rule: the item with the largest |coordinate| lies on the positive side;
        # items within nero.tolerances.CUT_TOL (relative) of the largest tie, and the first of them decides
        # (argmax alone would pick between near-equal items by their last bits)
        size = np.abs(x[:, axis])
        first = int(np.flatnonzero(size >= size.max() * (1 - CUT_TOL))[0])
        if x[first, axis] < 0:
            x[:, axis] = -x[:, axis]
    return x


def modularity(c: np.ndarray, labels: np.ndarray, resolution: float = 1.0) -> float:
    """``(1/2m) sum_ij [c_ij - gamma k_i k_j / 2m] delta(g_i, g_j)`` (Newman; resolution ``gamma``)."""
    k = c.sum(axis=1)
    two_m = k.sum()
    same = labels[:, None] == labels[None, :]
    return float(((c - resolution * np.outer(k, k) / two_m) * same).sum() / two_m)


def louvain(c: np.ndarray, resolution: float = 1.0, seed: int = 0) -> np.ndarray:
    """One Louvain run (``networkx.community.louvain_communities``, seeded): cluster label per item."""
    graph = nx.from_numpy_array(c)
    communities = nx.community.louvain_communities(graph, weight="weight", resolution=resolution, seed=seed)
    labels = np.empty(len(c), dtype=int)
    for label, members in enumerate(sorted(communities, key=min)):
        labels[sorted(members)] = label
    return labels


def vos_clustering(
    c: np.ndarray, resolution: float = 1.0, seed: int = 0, starts: int = 10, min_cluster_size: int = 1
) -> np.ndarray:
    """Clusters 1..K (1 = largest) of the co-occurrence network (best of ``starts`` seeded runs)."""
    best, best_q = None, -np.inf
    for start in range(starts):
        labels = louvain(c, resolution, seed=seed + start)
        q = modularity(c, labels, resolution)
        if q > best_q + 1e-12:
            best, best_q = labels, q
    labels = best.copy()
    while True:
        sizes = Counter(labels)
        small = sorted((n, lab) for lab, n in sizes.items() if n < min_cluster_size)
        if not small or len(sizes) == 1:
            break
        _, lab = small[0]
        members = labels == lab
        links = {other: c[np.ix_(members, labels == other)].sum() for other in sizes if other != lab}
        target = max(sorted(links), key=lambda o: (links[o], sizes[o]))
        labels[members] = target
    order = sorted(Counter(labels).items(), key=lambda kv: (-kv[1], min(np.nonzero(labels == kv[0])[0])))
    renumber = {lab: i + 1 for i, (lab, _) in enumerate(order)}
    return np.array([renumber[lab] for lab in labels])


@dataclass
class KeywordMap:
    """Items (label, x, y, cluster, weights), links, and the settings used."""

    items: pd.DataFrame
    links: pd.DataFrame
    quality: float

    def summary(self) -> str:
        return (
            f"{len(self.items)} keywords, {len(self.links)} links, {self.items['cluster'].nunique()} clusters "
            f"(modularity {self.quality:.3f})"
        )

    def to_frame(self) -> pd.DataFrame:
        return self.items


def keyword_map(
    keywords: pd.Series,
    years: pd.Series,
    thesaurus: dict[str, str],
    min_occurrences: int = 3,
    resolution: float = 1.0,
    min_cluster_size: int = 1,
    seed: int = 0,
    starts: int = 10,
) -> KeywordMap:
    """The keyword co-occurrence map of a set of documents (one entry of ``keywords`` per document)."""
    docs = document_terms(keywords, thesaurus)
    terms, occ, c = cooccurrence(docs, min_occurrences)
    if not terms:
        raise ValueError(f"no keyword occurs in at least {min_occurrences} documents")
    keep = largest_component(c)
    terms = [terms[i] for i in keep]
    occ, c = occ[keep], c[np.ix_(keep, keep)]
    if len(terms) > 1:
        xy = vos_mapping(association_strength(c), seed=seed, starts=starts)
        clusters = vos_clustering(c, resolution, seed=seed, starts=starts, min_cluster_size=min_cluster_size)
        quality = modularity(c, clusters, resolution)
    else:
        xy, clusters, quality = np.zeros((1, 2)), np.array([1]), 0.0
    year_list = list(years)
    known = [
        [int(y) for d, y in zip(docs, year_list) if t in d and pd.notna(y)] for t in terms
    ]  # unknown years left out
    avg_year = [float(np.mean(ys)) if ys else float("nan") for ys in known]
    items = pd.DataFrame(
        {
            "id": np.arange(1, len(terms) + 1),
            "label": terms,
            "x": xy[:, 0],
            "y": xy[:, 1],
            "cluster": clusters,
            "links": (c > 0).sum(axis=1),
            "total_link_strength": c.sum(axis=1).astype(int),
            "occurrences": occ.astype(int),
            "avg_pub_year": avg_year,
        }
    )
    iu = np.triu_indices(len(terms), 1)
    mask = c[iu] > 0
    links = pd.DataFrame({"id1": iu[0][mask] + 1, "id2": iu[1][mask] + 1, "strength": c[iu][mask].astype(int)})
    return KeywordMap(items=items, links=links, quality=quality)


def vosviewer_map_text(items: pd.DataFrame) -> str:
    """A VOSviewer map file: tab-delimited, header ``id label x y cluster weight<Links> ...``."""
    header = [
        "id",
        "label",
        "x",
        "y",
        "cluster",
        "weight<Links>",
        "weight<Total link strength>",
        "weight<Occurrences>",
        "score<Avg. pub. year>",
    ]
    lines = ["\t".join(header)]
    for r in items.itertuples(index=False):
        lines.append(
            "\t".join(
                [
                    str(r.id),
                    r.label,
                    f"{r.x:.4f}",
                    f"{r.y:.4f}",
                    str(r.cluster),
                    str(r.links),
                    str(r.total_link_strength),
                    str(r.occurrences),
                    f"{r.avg_pub_year:.4f}",
                ]
            )
        )
    return "\n".join(lines) + "\n"


def vosviewer_network_text(links: pd.DataFrame) -> str:
    """A VOSviewer network file: no header, ``id1<TAB>id2<TAB>strength`` per link."""
    return "".join(f"{r.id1}\t{r.id2}\t{r.strength}\n" for r in links.itertuples(index=False))


def thematic_evolution(
    keywords: pd.Series,
    years: pd.Series,
    thesaurus: dict[str, str],
    periods: dict[str, list[int]],
    min_occurrences: int = 2,
    resolution: float = 1.0,
    seed: int = 0,
    starts: int = 10,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per period: each keyword's occurrences and cluster; between consecutive periods: cluster overlap.

    The overlap of two clusters A (earlier) and B (later) is the inclusion index
    ``|A & B| / min(|A|, |B|)`` over their keywords (the measure of thematic-evolution
    maps in SciMAT and bibliometrix).
    """
    rows = []
    for name, (low, high) in periods.items():
        mask = ((years >= low) & (years <= high)).fillna(False).astype(bool)  # unknown years in no period
        if mask.sum() == 0:
            continue
        docs = document_terms(keywords[mask], thesaurus)
        terms, occ, c = cooccurrence(docs, min_occurrences)
        if not terms:
            continue
        clusters = (
            vos_clustering(c, resolution, seed=seed, starts=starts) if c.sum() > 0 else np.ones(len(terms), dtype=int)
        )
        for t, o, k in zip(terms, occ, clusters):
            rows.append(
                {"period": name, "keyword": t, "occurrences": int(o), "cluster": int(k), "documents": int(mask.sum())}
            )
    table = pd.DataFrame(rows, columns=["period", "keyword", "occurrences", "cluster", "documents"])
    links = []
    names = [p for p in periods if p in set(table["period"])]
    for a, b in zip(names, names[1:]):
        ta, tb = table[table["period"] == a], table[table["period"] == b]
        for ca, ga in ta.groupby("cluster"):
            for cb, gb in tb.groupby("cluster"):
                shared = sorted(set(ga["keyword"]) & set(gb["keyword"]))
                if shared:
                    links.append(
                        {
                            "from_period": a,
                            "from_cluster": int(ca),
                            "to_period": b,
                            "to_cluster": int(cb),
                            "shared": len(shared),
                            "inclusion": len(shared) / min(len(ga), len(gb)),
                            "keywords": "; ".join(shared),
                        }
                    )
    return table, pd.DataFrame(
        links, columns=["from_period", "from_cluster", "to_period", "to_cluster", "shared", "inclusion", "keywords"]
    )
