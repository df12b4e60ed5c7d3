"""Keyword map: closed-form cases, recovery of the planted keywords, VOSviewer file formats."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nero.config import load_yaml
from nero.slr.bibliometrics import (
    ThesaurusError,
    association_strength,
    cooccurrence,
    keyword_map,
    modularity,
    read_thesaurus,
    thematic_evolution,
    vos_clustering,
    vos_mapping,
    vos_objective,
    vosviewer_map_text,
    vosviewer_network_text,
)
from nero.testing import REPO

from .conftest import SLR_RAW

#: The study's seed (as the workflow passes it to the keyword map).
STUDY_SEED = load_yaml(REPO / "config" / "config.yaml")["seed"]


def _two_triangles():
    c = np.zeros((6, 6))
    for i, j in [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)]:
        c[i, j] = c[j, i] = 1
    return c


def test_modularity_of_two_triangles_is_five_fourteenths():
    # m = 7 edges; each triangle holds 3 edges and degree sum 7: Q = 2 (3/7 - (7/14)^2) = 5/14
    c = _two_triangles()
    labels = vos_clustering(c, resolution=1.0, seed=1, starts=3)
    assert list(labels) == [1, 1, 1, 2, 2, 2] or list(labels) == [2, 2, 2, 1, 1, 1]
    assert modularity(c, labels) == pytest.approx(5 / 14)


def test_resolution_zero_point_one_keeps_one_cluster():
    # with gamma small, merging everything maximises sum(c_ij - gamma k_i k_j / 2m)
    assert len(set(vos_clustering(_two_triangles(), resolution=0.1, seed=1, starts=3))) == 1


def test_association_strength_closed_form():
    c = np.array([[0, 2, 1], [2, 0, 0], [1, 0, 0]], dtype=float)
    k = c.sum(axis=1)  # 3, 2, 1; m = 3
    s = association_strength(c)
    assert s[0, 1] == pytest.approx(2 * 3 * 2 / (k[0] * k[1]))
    assert s[0, 2] == pytest.approx(2 * 3 * 1 / (k[0] * k[2]))
    assert s[1, 2] == 0 and np.allclose(np.diag(s), 0)


def test_vos_mapping_is_a_stationary_point_with_unit_mean_distance():
    c = _two_triangles()
    s = association_strength(c)
    x = vos_mapping(s, seed=3, starts=4)
    d = np.sqrt(((x[:, None] - x[None]) ** 2).sum(axis=2))[np.triu_indices(6, 1)]
    assert d.mean() == pytest.approx(1.0)
    # the normalised layout is a rescaled optimum: the gradient of V at the unscaled optimum vanishes,
    # i.e. x / mean distance ... scaled back by t = argmin V(t x) is stationary
    a = (s[np.triu_indices(6, 1)] * d**2).sum()
    t = d.sum() / (2 * a)
    _, grad = vos_objective((t * x).ravel(), s)
    assert np.abs(grad).max() < 1e-4
    assert np.allclose(x.mean(axis=0), 0)
    within = np.linalg.norm(x[0] - x[1])
    between = np.linalg.norm(x[0] - x[5])
    assert within < between


def test_cooccurrence_counts_documents():
    terms, occ, c = cooccurrence([["a", "b"], ["a", "b", "c"], ["c"]], min_occurrences=1)
    assert terms == ["a", "b", "c"] and list(occ) == [2, 2, 2]
    assert c[0, 1] == 2 and c[0, 2] == 1 and c[1, 2] == 1


def test_thesaurus_format_is_checked(tmp_path):
    assert read_thesaurus("label\treplace by\nSME\tsmes\n") == {"sme": "smes"}
    with pytest.raises(ThesaurusError, match="line 1"):
        read_thesaurus("term,replace\nSME,smes\n")
    with pytest.raises(ThesaurusError, match="line 3: expected two tab-separated fields"):
        read_thesaurus("label\treplace by\nSME\tsmes\nbad line\n")


@pytest.fixture(scope="module")
def stand_in_map(flow, dedup):
    from nero.slr.flow import included_records

    inc = included_records(flow.flow, dedup.unique)
    thesaurus = read_thesaurus((SLR_RAW / "thesaurus_keywords.txt").read_text(encoding="utf-8"))
    return (
        inc,
        thesaurus,
        keyword_map(
            inc["author_keywords"],
            inc["year"],
            thesaurus,
            min_occurrences=3,
            min_cluster_size=3,
            seed=STUDY_SEED,
            starts=3,
        ),
    )


def test_keyword_occurrences_after_the_thesaurus_equal_the_planted_ones(stand_in_map, truth):
    _, _, kmap = stand_in_map
    planted = truth["keywords"]["occurrences"]
    for row in kmap.items.itertuples():
        assert row.occurrences == planted[row.label]
    assert {k for k, n in planted.items() if n >= 3} >= set(kmap.items["label"])
    assert "small and medium-sized enterprises" not in set(kmap.items["label"])


def test_clusters_separate_the_two_planted_themes(stand_in_map, truth):
    _, _, kmap = stand_in_map
    theme = truth["keywords"]["themes"]
    cluster = dict(zip(kmap.items["label"], kmap.items["cluster"]))
    platforms = {cluster[k] for k in cluster if theme[k] == "platforms"}
    transformation = {cluster[k] for k in cluster if theme[k] == "transformation"}
    assert len(platforms) == 1 and len(transformation) == 1 and platforms != transformation


def test_vosviewer_files_follow_the_documented_formats(stand_in_map):
    _, _, kmap = stand_in_map
    map_lines = vosviewer_map_text(kmap.items).rstrip("\n").split("\n")
    header = map_lines[0].split("\t")
    assert header[:5] == ["id", "label", "x", "y", "cluster"]
    assert all(h.startswith(("weight<", "score<")) and h.endswith(">") for h in header[5:])
    rows = [line.split("\t") for line in map_lines[1:]]
    assert all(len(r) == len(header) for r in rows)
    ids = [int(r[0]) for r in rows]
    assert ids == list(range(1, len(rows) + 1))
    clusters = {int(r[4]) for r in rows}
    assert clusters == set(range(1, len(clusters) + 1))
    for r in rows:
        float(r[2]), float(r[3])
    net = [line.split("\t") for line in vosviewer_network_text(kmap.links).rstrip("\n").split("\n")]
    assert all(len(r) == 3 for r in net)
    for a, b, w in net:
        assert int(a) in ids and int(b) in ids and int(a) < int(b) and int(w) > 0
    strength = pd.Series([int(w) for _, _, w in net])
    assert strength.sum() * 2 == kmap.items["total_link_strength"].sum()


def test_map_is_deterministic(stand_in_map):
    inc, thesaurus, kmap = stand_in_map
    again = keyword_map(
        inc["author_keywords"], inc["year"], thesaurus, min_occurrences=3, min_cluster_size=3, seed=STUDY_SEED, starts=3
    )
    assert vosviewer_map_text(again.items) == vosviewer_map_text(kmap.items)


def test_covid_enters_only_in_the_last_period(stand_in_map):
    inc, thesaurus, _ = stand_in_map
    periods = {"2011-2016": [2011, 2016], "2017-2020": [2017, 2020], "2021-2023": [2021, 2023]}
    table, links = thematic_evolution(
        inc["author_keywords"], inc["year"], thesaurus, periods, min_occurrences=2, seed=1, starts=2
    )
    covid = table[table["keyword"] == "covid-19"]
    assert set(covid["period"]) <= {"2017-2020", "2021-2023"} and "2021-2023" in set(covid["period"])
    assert (links["inclusion"] > 0).all() and (links["inclusion"] <= 1).all()
