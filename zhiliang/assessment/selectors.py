"""Reads that span models: a city's score sheet (every deduction with its reason and evidence),
the ranking, the radar and the year-over-year comparison."""

from __future__ import annotations

from decimal import Decimal

from zhiliang.assessment import services
from zhiliang.assessment.models import Assessment, AssessmentCity, Stage
from zhiliang.lib import scoring

SOURCE_LABELS = {
    "department": "部门评分",
    "auto": "自动取数",
    "override": "人工调整",
    "verification": "实地核查",
    "": "",
}


def _trace_text(line: scoring.TraceLine) -> str:
    source = SOURCE_LABELS.get(line.source, line.source)
    amount = f"{line.amount:+}"
    parts = [p for p in (source, line.reason) if p]
    refs = f"（{'；'.join(line.refs)}）" if line.refs else ""
    return f"{amount}：{'，'.join(parts) or '—'}{refs}"


def city_sheets(assessment: Assessment, *, city_ids: set[int] | None = None) -> dict[int, list[dict]]:
    """``{city id: [line, ...]}`` in tree order; each line is one indicator with its score."""
    rows_by_display = services.indicator_rows(assessment.scheme)
    tree, _ = services.scheme_tree(assessment.scheme)
    score_rows = services.score_rows(assessment).select_related("department_by", "override_by")
    if city_ids is not None:
        score_rows = score_rows.filter(city_id__in=city_ids)
    per_city: dict[int, dict[str, object]] = {}
    for row in score_rows:
        per_city.setdefault(row.city_id, {})[row.indicator.code] = row
    cities = assessment.cities.all() if city_ids is None else assessment.cities.filter(pk__in=city_ids)
    out: dict[int, list[dict]] = {}
    for city in cities:
        rows = per_city.get(city.pk, {})
        result = scoring.score_city(
            tree,
            {code: services.leaf_input(r) for code, r in rows.items()},
            scale=Decimal(assessment.scheme.scale),
        )
        lines = []
        for ind, depth, leaf in rows_by_display:
            node = result.nodes[ind.code]
            row = rows.get(ind.code)
            lines.append(
                {
                    "indicator": ind,
                    "code": ind.code,
                    "name": ind.name,
                    "depth": depth,
                    "indent": depth * 1.25,
                    "leaf": leaf,
                    "points": node.points,
                    "score": node.score,
                    "deduction": node.deduction,
                    "row": row,
                    "reasons": [_trace_text(t) for t in node.trace],
                    "evidence": list(row.evidence.all()) if row is not None else [],
                    "adjustments": list(row.adjustments.all()) if row is not None else [],
                }
            )
        out[city.pk] = lines
    return out


def city_sheet(city: AssessmentCity) -> tuple[list[dict], Decimal]:
    sheet = city_sheets(city.assessment, city_ids={city.pk})[city.pk]
    roots = [line for line in sheet if line["depth"] == 0]
    raw = sum((line["score"] for line in roots), Decimal(0))
    max_total = sum((line["points"] for line in roots), Decimal(0))
    return sheet, scoring.normalise(raw, max_total, Decimal(city.assessment.scheme.scale))


def ranking(assessment: Assessment) -> list[AssessmentCity]:
    return list(
        assessment.cities.select_related("region").prefetch_related("vetoes").order_by("rank", "region__code")
    )


def previous_assessment(assessment: Assessment) -> Assessment | None:
    """The same province's latest earlier assessment that reached 综合评价."""
    candidates = (
        Assessment.objects.filter(
            region_id=assessment.region_id, scheme__year_end__lt=assessment.scheme.year_start
        )
        .exclude(computed_at=None)
        .order_by("-scheme__year_end")
    )
    for a in candidates:
        if a.stage_reached(Stage.FINAL):
            return a
    return None


def chart_data(assessment: Assessment, cities: list[AssessmentCity]) -> dict:
    """Data for the ranking bar, the radar (top-level indicators as % of their points) and YoY."""
    tops = [ind for ind, depth, _leaf in services.indicator_rows(assessment.scheme) if depth == 0]
    radar = {
        "indicators": [{"name": f"{t.code} {t.name}", "max": 100} for t in tops],
        "cities": [],
        "average": [],
    }
    sums = [Decimal(0)] * len(tops)
    scored = [c for c in cities if c.node_scores]
    for c in scored:
        values = []
        for i, t in enumerate(tops):
            node = c.node_scores.get(t.code, {"score": "0", "points": str(t.points)})
            pct = scoring.quantize(Decimal(node["score"]) * 100 / Decimal(node["points"]))
            sums[i] += pct
            values.append(float(pct))
        radar["cities"].append({"name": c.region.name, "value": values})
    if scored:
        radar["average"] = [float(scoring.quantize(s / len(scored))) for s in sums]
    previous = previous_assessment(assessment)
    before = {}
    if previous is not None:
        before = {c.region_id: c for c in previous.cities.all()}
    yoy = []
    for c in cities:
        p = before.get(c.region_id)
        yoy.append(
            {
                "city": c.region.name,
                "now": float(c.total) if c.total is not None else None,
                "before": float(p.total) if p is not None and p.total is not None else None,
                "grade": c.grade,
                "before_grade": p.grade if p is not None else "",
                "change": float(c.total - p.total)
                if p is not None and p.total is not None and c.total is not None
                else None,
            }
        )
    return {
        "ranking": [
            {"city": c.region.name, "total": float(c.total) if c.total is not None else 0, "grade": c.grade}
            for c in cities
        ],
        "radar": radar,
        "yoy": yoy,
        "previous_title": previous.title if previous else "",
    }
