"""Assessment scoring at scale: 400 cities × a 75-item scheme through the real engine.

Builds a synthetic scheme in memory (5 dimensions × 3 考核要点 × 5 leaves = 75 leaves under 20
inner nodes, 100 points; a 1000-point variant with --scale 1000) and per-city inputs: a department
or auto score for every leaf, a verification adjustment on ~1 leaf in 8, a veto on ~1 city in 50.
Then times ``zhiliang.lib.scoring.assess`` (trace, caps, normalisation, grades, ranking with ties)
next to the floor: a plain loop over the same numbers (Σ min(max(base + adj, 0), points) per city,
then one sort). Best of N repetitions for both.

    .venv/bin/python bench/assessment_scoring.py
    .venv/bin/python bench/assessment_scoring.py --cities 400 --repeat 5

The last line is machine-readable:

    seconds=… floor_seconds=… ratio=…
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from zhiliang.lib import scoring  # noqa: E402  (after the path tweak)


def build_tree(scale: int) -> tuple[list[scoring.Node], list[str]]:
    """5 × 3 × 5 = 75 leaves; dimension points 20 each (×10 on a 1000 scale)."""
    unit = Decimal(scale) / 100
    nodes: list[scoring.Node] = []
    leaves: list[str] = []
    for d in range(1, 6):
        nodes.append(scoring.Node(f"{d}", None, 20 * unit))
        for p in range(1, 4):
            key = f"{d}.{p}"
            points = (Decimal(7) if p < 3 else Decimal(6)) * unit
            nodes.append(scoring.Node(key, f"{d}", points))
            for leaf in range(1, 6):
                leaf_points = points / 5
                nodes.append(scoring.Node(f"{key}.{leaf}", key, leaf_points))
                leaves.append(f"{key}.{leaf}")
    return nodes, leaves


def build_inputs(
    nodes: list[scoring.Node], leaves: list[str], cities: int, seed: int
) -> dict[str, scoring.CityInput]:
    rng = random.Random(seed)
    points = {n.key: n.points for n in nodes}
    out: dict[str, scoring.CityInput] = {}
    for c in range(cities):
        given = {}
        for key in leaves:
            full = points[key]
            base = (full * Decimal(rng.randint(60, 100)) / 100).quantize(Decimal("0.01"))
            adjustments = ()
            if rng.random() < 0.125:
                adjustments = (scoring.Adjustment(Decimal(rng.choice(("-1", "-0.5", "0.5"))), "现场核查"),)
            reason = "" if base == full else "未达到目标"
            given[key] = scoring.LeafInput(
                base=base, source="department", reason=reason, adjustments=adjustments
            )
        vetoes = ("区域性质量安全事件",) if rng.random() < 0.02 else ()
        out[f"city{c:04d}"] = scoring.CityInput(given, vetoes)
    return out


def floor(nodes: list[scoring.Node], inputs: dict[str, scoring.CityInput]) -> list[tuple[str, Decimal]]:
    """The same numbers, the least work: capped leaf sums per city, then one sort."""
    points = {n.key: n.points for n in nodes}
    totals = []
    for city, given in inputs.items():
        total = Decimal(0)
        for key, leaf in given.leaves.items():
            value = leaf.base + sum((a.delta for a in leaf.adjustments), Decimal(0))
            total += min(max(value, Decimal(0)), points[key])
        totals.append((city, total))
    totals.sort(key=lambda t: -t[1])
    return totals


def best_of(repeat: int, fn) -> tuple[float, object]:  # noqa: ANN001
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, default=400, help="cities to score (default 400)")
    parser.add_argument("--scale", type=int, default=100, choices=(100, 1000), help="scheme scale")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions; the best time counts")
    parser.add_argument("--seed", type=int, default=2013, help="random seed for the synthetic scores")
    args = parser.parse_args()

    nodes, leaves = build_tree(args.scale)
    assert len(leaves) == 75, len(leaves)
    inputs = build_inputs(nodes, leaves, args.cities, args.seed)
    scale = Decimal(args.scale)
    rules = scoring.Rules(scale=scale, bands=tuple((g, m * scale / 100) for g, m in scoring.Rules().bands))

    def engine():  # noqa: ANN202
        return scoring.assess(scoring.compile_tree(nodes), inputs, rules)

    seconds, results = best_of(args.repeat, engine)
    floor_seconds, _totals = best_of(args.repeat, lambda: floor(nodes, inputs))
    grades: dict[str, int] = {}
    for r in results:
        grades[r.grade] = grades.get(r.grade, 0) + 1
    ties = len(results) - len({r.rank for r in results})
    print(
        f"cities={args.cities} leaves={len(leaves)} nodes={len(nodes)} scale={args.scale} repeat={args.repeat}"
    )
    print(f"grades={dict(sorted(grades.items()))} vetoed={sum(r.vetoed for r in results)} tied_places={ties}")
    print(f"engine: {seconds * 1000:.1f} ms ({seconds / args.cities * 1e6:.0f} µs per city)")
    print(f"floor:  {floor_seconds * 1000:.1f} ms (plain loop over the same numbers)")
    print(f"seconds={seconds:.4f} floor_seconds={floor_seconds:.4f} ratio={seconds / floor_seconds:.1f}")


if __name__ == "__main__":
    main()
