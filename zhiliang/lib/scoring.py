"""The assessment scoring engine: pure functions over an indicator tree and per-city inputs.

No Django here. The caller (``zhiliang.assessment.services``) turns database rows into the
dataclasses below, calls :func:`assess`, and stores what comes back.

Rules (the same on every screen, in every export and in the bench):

1. **Leaves are scored.** A leaf's *base* is an override made with a reason if there is one,
   else the department's score (manual indicators) or the automatic score (indicators fed from
   the platform), else nothing: an unscored leaf counts 0 and says so.
   Verification adjustments (positive or negative, each with a reason) are added to the base.
   The result is capped to ``[0, points]``; the cap is recorded as a trace line of its own.
2. **Inner nodes** sum their children, capped to ``[0, points]`` as well (a block cannot lend
   points to another block).
3. **Totals are normalised to the scale:** ``total = Σ roots × scale / Σ root points``, so a
   tree worth 100 on a 100 scale is unchanged and a tree worth 75 is stretched to 100.
   Every score is rounded half-up to ``places`` decimals (2 by default) at the leaf and again at
   the total; ranking and grading use the rounded total, the number people see.
4. **Grades come from bands:** ``[("A", 90), ("B", 80), ("C", 60), ("D", 0)]`` means A ≥ 90,
   80 ≤ B < 90, and so on; bands are in scale units (A ≥ 900 on a 1000 scale).
5. **Veto:** a city with at least one veto finding gets ``veto_grade`` (D) whatever its score.
   Its score is still shown. With ``veto_ranks_last`` (the default) vetoed cities rank after
   every city that was not vetoed, in score order among themselves.
6. **Ties:** equal rounded totals share a rank. ``"competition"`` (default) skips the ranks used
   up by the tie, 1, 2, 2, 4; ``"dense"`` does not, 1, 2, 2, 3.

>>> tree = [Node("1", None, Decimal(60)), Node("1.1", "1", Decimal(40)), Node("1.2", "1", Decimal(30))]
>>> inputs = {"1.1": LeafInput(base=Decimal(38), source="department", reason="抽查合格率未达标"),
...           "1.2": LeafInput(base=Decimal(30), source="department")}
>>> city = score_city(compile_tree(tree), inputs)
>>> str(city.nodes["1"].score), str(city.nodes["1"].raw)
('60.00', '68.00')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
TIE_RULES = ("competition", "dense")


class SchemeError(ValueError):
    """The indicator tree or the scheme's settings cannot be scored."""


@dataclass(frozen=True)
class Node:
    key: str
    parent: str | None
    points: Decimal
    name: str = ""


@dataclass(frozen=True)
class Adjustment:
    delta: Decimal
    reason: str
    ref: str = ""  # e.g. "核查记录#12" or an evidence id: where the number comes from


@dataclass(frozen=True)
class LeafInput:
    base: Decimal | None
    source: str = ""  # "department" | "auto" | "override" | "" (unscored)
    reason: str = ""  # why the base is below the points (the department's 扣分理由, the auto formula)
    refs: tuple[str, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()


@dataclass(frozen=True)
class TraceLine:
    """One step from the points to the score of a leaf: what moved the number, by how much, why."""

    kind: str  # "base" | "unscored" | "adjustment" | "cap"
    amount: Decimal  # change relative to full points for "base"; signed delta otherwise
    reason: str
    source: str = ""
    refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class NodeScore:
    key: str
    points: Decimal
    raw: Decimal  # before capping
    score: Decimal
    trace: tuple[TraceLine, ...] = ()

    @property
    def deduction(self) -> Decimal:
        return self.points - self.score


@dataclass(frozen=True)
class CompiledTree:
    """A tree checked once and laid out children-first, so each city is one pass over a list."""

    nodes: tuple[Node, ...]  # post-order: every child before its parent
    children: Mapping[str, tuple[str, ...]]
    roots: tuple[str, ...]
    max_total: Decimal

    @property
    def leaves(self) -> tuple[str, ...]:
        return tuple(n.key for n in self.nodes if not self.children.get(n.key))


@dataclass
class CityScore:
    nodes: dict[str, NodeScore]
    raw_total: Decimal  # Σ root scores, in tree points
    total: Decimal  # normalised to the scale and rounded


@dataclass
class CityResult:
    city: str
    score: CityScore
    total: Decimal
    grade: str
    vetoed: bool
    veto_reasons: tuple[str, ...] = ()
    rank: int = 0
    banded_grade: str = ""  # the grade the score alone would get


@dataclass(frozen=True)
class Rules:
    scale: Decimal = Decimal(100)
    bands: tuple[tuple[str, Decimal], ...] = (
        ("A", Decimal(90)),
        ("B", Decimal(80)),
        ("C", Decimal(60)),
        ("D", ZERO),
    )
    veto_grade: str = "D"
    veto_ranks_last: bool = True
    tie_rule: str = "competition"
    places: int = 2

    def __post_init__(self) -> None:
        check_bands(self.bands, self.scale)
        if self.tie_rule not in TIE_RULES:
            raise SchemeError(f"unknown tie rule {self.tie_rule!r}; use one of {', '.join(TIE_RULES)}")
        if self.veto_grade not in {g for g, _ in self.bands}:
            raise SchemeError(f"veto grade {self.veto_grade!r} is not one of the bands")


@dataclass
class CityInput:
    leaves: Mapping[str, LeafInput] = field(default_factory=dict)
    vetoes: tuple[str, ...] = ()  # reasons; any one forces the veto grade


_EXPONENTS = {p: Decimal(1).scaleb(-p) for p in range(7)}


def quantize(value: Decimal, places: int = 2) -> Decimal:
    exponent = _EXPONENTS.get(places) or Decimal(1).scaleb(-places)
    return value.quantize(exponent, rounding=ROUND_HALF_UP)


def _cap(value: Decimal, points: Decimal, places: int) -> Decimal:
    """*value* (already rounded) limited to [0, points]."""
    if value < ZERO:
        return quantize(ZERO, places)
    if value > points:
        return quantize(points, places)
    return value


def check_bands(bands: Sequence[tuple[str, Decimal]], scale: Decimal) -> None:
    """Bands must be listed best first with strictly falling minimums, the last one at 0.

    >>> check_bands([("A", Decimal(90)), ("B", Decimal(95))], Decimal(100))  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ...
    zhiliang.lib.scoring.SchemeError: grade bands must fall strictly: B (95) is not below A (90)
    """
    if not bands:
        raise SchemeError("at least one grade band is needed")
    names = [g for g, _ in bands]
    if len(set(names)) != len(names):
        raise SchemeError("grade names must be unique")
    for (g1, m1), (g2, m2) in zip(bands, bands[1:], strict=False):
        if not m2 < m1:
            raise SchemeError(f"grade bands must fall strictly: {g2} ({m2}) is not below {g1} ({m1})")
    if bands[0][1] > scale:
        raise SchemeError(f"grade {bands[0][0]} starts above the scale ({scale})")
    if bands[-1][1] != 0:
        raise SchemeError(f"the last grade ({bands[-1][0]}) must start at 0 so every score has a grade")


def compile_tree(nodes: Iterable[Node]) -> CompiledTree:
    """Check the tree (unique keys, known parents, no cycles, positive points) and order it."""
    by_key: dict[str, Node] = {}
    for node in nodes:
        if node.key in by_key:
            raise SchemeError(f"indicator {node.key} appears twice")
        if node.points <= 0:
            raise SchemeError(f"indicator {node.key} must be worth more than 0 points")
        by_key[node.key] = node
    children: dict[str, list[str]] = {}
    roots: list[str] = []
    for node in by_key.values():
        if node.parent is None:
            roots.append(node.key)
        elif node.parent not in by_key:
            raise SchemeError(f"indicator {node.key} names an unknown parent {node.parent}")
        else:
            children.setdefault(node.parent, []).append(node.key)
    if not roots:
        raise SchemeError("the scheme has no indicators")
    order: list[Node] = []
    seen: set[str] = set()
    for root in roots:  # iterative post-order; a cycle never reaches a root, so it is caught below
        stack: list[tuple[str, bool]] = [(root, False)]
        while stack:
            key, expanded = stack.pop()
            if expanded:
                order.append(by_key[key])
                continue
            seen.add(key)
            stack.append((key, True))
            stack.extend((c, False) for c in reversed(children.get(key, [])))
    if len(seen) != len(by_key):
        raise SchemeError("the indicator tree has a cycle: " + ", ".join(sorted(set(by_key) - seen)))
    return CompiledTree(
        nodes=tuple(order),
        children={k: tuple(v) for k, v in children.items()},
        roots=tuple(roots),
        max_total=sum((by_key[r].points for r in roots), ZERO),
    )


def point_warnings(tree: CompiledTree) -> list[str]:
    """Inner nodes whose children add up to something other than their own points (allowed, but
    usually a typing error: the children's surplus is capped away, a shortfall is unreachable)."""
    points = {n.key: n.points for n in tree.nodes}
    out = []
    for node in tree.nodes:
        kids = tree.children.get(node.key)
        if kids:
            total = sum((points[k] for k in kids), ZERO)
            if total != node.points:
                out.append(f"{node.key}: 下级分值合计 {total}，本级 {node.points}")
    return out


def score_city(
    tree: CompiledTree, inputs: Mapping[str, LeafInput], *, scale: Decimal = Decimal(100), places: int = 2
) -> CityScore:
    """Score one city: every node's score with the trace of each leaf (see the module rules)."""
    scores: dict[str, NodeScore] = {}
    empty = LeafInput(base=None)
    for node in tree.nodes:
        kids = tree.children.get(node.key)
        if kids:
            raw = sum((scores[k].score for k in kids), ZERO)
            scores[node.key] = NodeScore(
                node.key, node.points, raw, _cap(quantize(raw, places), node.points, places)
            )
            continue
        given = inputs.get(node.key, empty)
        trace: list[TraceLine] = []
        if given.base is None:
            raw = ZERO
            trace.append(TraceLine("unscored", -node.points, "未评分，按0分计"))
        else:
            raw = given.base
            if raw != node.points or given.reason:
                trace.append(TraceLine("base", raw - node.points, given.reason, given.source, given.refs))
        for adj in given.adjustments:
            raw += adj.delta
            trace.append(
                TraceLine("adjustment", adj.delta, adj.reason, "verification", (adj.ref,) if adj.ref else ())
            )
        rounded = quantize(raw, places)
        score = _cap(rounded, node.points, places)
        if score != rounded:
            trace.append(TraceLine("cap", score - raw, f"限于0至{node.points}分之间"))
        scores[node.key] = NodeScore(node.key, node.points, raw, score, tuple(trace))
    raw_total = sum((scores[r].score for r in tree.roots), ZERO)
    return CityScore(scores, raw_total, normalise(raw_total, tree.max_total, scale, places))


def normalise(raw_total: Decimal, max_total: Decimal, scale: Decimal, places: int = 2) -> Decimal:
    if max_total == scale:
        return quantize(raw_total, places)
    return quantize(raw_total * scale / max_total, places)


def grade_for(total: Decimal, bands: Sequence[tuple[str, Decimal]]) -> str:
    """The first band whose minimum the total reaches.

    >>> bands = Rules().bands
    >>> [grade_for(Decimal(x), bands) for x in ("90", "89.99", "80", "60", "59.99", "0")]
    ['A', 'B', 'B', 'C', 'D', 'D']
    """
    for grade, minimum in bands:
        if total >= minimum:
            return grade
    return bands[-1][0]


def rank(
    totals: Sequence[tuple[str, Decimal, bool]], *, tie_rule: str = "competition", vetoed_last: bool = True
) -> dict[str, int]:
    """Ranks for ``(id, total, vetoed)`` rows, best first; equal totals share a rank.

    >>> rows = [("a", Decimal(95), False), ("b", Decimal(90), False), ("c", Decimal(90), False), ("d", Decimal(80), False)]
    >>> rank(rows)
    {'a': 1, 'b': 2, 'c': 2, 'd': 4}
    >>> rank(rows, tie_rule="dense")
    {'a': 1, 'b': 2, 'c': 2, 'd': 3}
    """
    if tie_rule not in TIE_RULES:
        raise SchemeError(f"unknown tie rule {tie_rule!r}")

    def key(row: tuple[str, Decimal, bool]) -> tuple[bool, Decimal]:
        return (row[2] and vetoed_last, -row[1])

    ordered = sorted(totals, key=lambda r: (*key(r), r[0]))
    ranks: dict[str, int] = {}
    previous: tuple[bool, Decimal] | None = None
    current = 0
    for position, row in enumerate(ordered, start=1):
        k = key(row)
        if k != previous:
            current = position if tie_rule == "competition" else current + 1
            previous = k
        ranks[row[0]] = current
    return ranks


def assess(
    tree: CompiledTree, cities: Mapping[str, CityInput], rules: Rules | None = None
) -> list[CityResult]:
    """Score, grade and rank every city; results come back in rank order (ties by city id)."""
    rules = rules or Rules()
    results: list[CityResult] = []
    for city, given in cities.items():
        score = score_city(tree, given.leaves, scale=rules.scale, places=rules.places)
        total = score.total
        banded = grade_for(total, rules.bands)
        vetoed = bool(given.vetoes)
        results.append(
            CityResult(
                city=city,
                score=score,
                total=total,
                grade=rules.veto_grade if vetoed else banded,
                vetoed=vetoed,
                veto_reasons=tuple(given.vetoes),
                banded_grade=banded,
            )
        )
    ranks = rank(
        [(r.city, r.total, r.vetoed) for r in results],
        tie_rule=rules.tie_rule,
        vetoed_last=rules.veto_ranks_last,
    )
    for r in results:
        r.rank = ranks[r.city]
    results.sort(key=lambda r: (r.rank, r.city))
    return results


def bottom(results: Sequence[CityResult], n: int = 3) -> list[CityResult]:
    """The cities in the last *n* places: rank > (number of cities − n).

    A tie that straddles the line stays out (the benefit of the doubt goes to the city): with
    competition ranks a tie sits at its best place.

    >>> rs = [CityResult(c, None, Decimal(0), "C", False, rank=k) for c, k in (("a", 1), ("b", 2), ("c", 3), ("d", 3))]
    >>> [r.city for r in bottom(rs, 2)]
    ['c', 'd']
    >>> [r.city for r in bottom(rs, 3)]
    ['b', 'c', 'd']
    >>> tied = [CityResult(c, None, Decimal(0), "C", False, rank=k) for c, k in (("a", 1), ("b", 2), ("c", 2), ("d", 4))]
    >>> [r.city for r in bottom(tied, 2)]
    ['d']
    """
    if n <= 0:
        return []
    line = len(results) - n
    return sorted((r for r in results if r.rank > line), key=lambda r: (r.rank, r.city))
