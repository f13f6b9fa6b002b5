"""Dashboards at national scale: the office dashboard and a unit dashboard, next to a trivial view.

Builds a synthetic dataset with bulk_create (31 provinces × 3 years × 18 tasks × 8 units, 4
reporting dates and 4 reports per work item, about 13k work items and 54k reports) in a throw-away
SQLite file and in a throw-away PostgreSQL database (``zhiliang_bench_dash``, created and dropped
here). Requests go through Django's test Client in the same process (the same server) for
``/alerts/office/<plan>/`` (a provincial office), ``/supervision/mine/`` (a unit) and
``/alerts/healthz`` (the floor: no database, no template); N requests each after a warm-up.

    .venv/bin/python bench/dashboards.py
    .venv/bin/python bench/dashboards.py --skip-pg --requests 100

The last lines are machine-readable, one per database:

    db=sqlite office_p95_ms=… unit_p95_ms=… floor_p95_ms=…
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

YEARS = (2024, 2025, 2026)
TASKS_PER_PLAN = 18
SECTIONS_PER_PLAN = 3
UNITS_PER_PROVINCE = 8
REPORTS_PER_ITEM = 4
TODAY = datetime.date(2026, 5, 15)  # the clock the dashboards are read at (mid-year)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def build(seed: int) -> tuple[int, str, str]:
    """Fill the database; return (plan id for the office, office username, unit username)."""
    from django.contrib.auth.models import User

    from zhiliang.accounts.models import Membership, Organisation, OrganisationKind, Role
    from zhiliang.plans.models import Plan, PlanSource, Section, Target, Task
    from zhiliang.plans.models import Role as ARole
    from zhiliang.regions.models import Region
    from zhiliang.supervision.models import (
        CloseOutcome,
        ProgressReport,
        ReportDue,
        ReportDueStatus,
        ReportingSchedule,
        ReportStatus,
        TargetProgress,
        WorkItem,
        WorkItemStatus,
    )

    rng = random.Random(seed)
    provinces = list(Region.objects.provinces().order_by("code"))[:31]
    cities = {}
    for r in Region.objects.filter(level="city"):
        cities.setdefault(r.parent_id, []).append(r)

    orgs: list[Organisation] = []
    for p in provinces:
        orgs.append(
            Organisation(
                name=f"{p.name}质量工作领导小组办公室", kind=OrganisationKind.QUALITY_OFFICE, region=p
            )
        )
        for u in range(UNITS_PER_PROVINCE):
            city_list = cities.get(p.pk, [])
            if u >= 5 and len(city_list) > u - 5:
                region, kind, name = (
                    city_list[u - 5],
                    OrganisationKind.GOVERNMENT,
                    f"{city_list[u - 5].name}人民政府",
                )
            else:
                region, kind, name = p, OrganisationKind.DEPARTMENT, f"{p.short_name}省直部门{u + 1}"
            orgs.append(Organisation(name=name, kind=kind, region=region))
    Organisation.objects.bulk_create(orgs, batch_size=1000)
    orgs_by_region: dict[int, list[Organisation]] = {}
    offices = {}
    for o in Organisation.objects.select_related("region"):
        if o.kind == OrganisationKind.QUALITY_OFFICE:
            offices[o.region_id] = o
        else:
            province_id = o.region_id if o.region.level == "province" else o.region.parent_id
            orgs_by_region.setdefault(province_id, []).append(o)

    sources, plans = [], []
    for p in provinces:
        for y in YEARS:
            key = f"{p.code}-{y}"
            sources.append(
                PlanSource(file_name=f"{key}.txt", content_hash=key.ljust(64, "0"), size=1, text=key)
            )
    PlanSource.objects.bulk_create(sources, batch_size=1000)
    src = {s.file_name: s for s in PlanSource.objects.all()}
    for p in provinces:
        for y in YEARS:
            plans.append(
                Plan(
                    source=src[f"{p.code}-{y}.txt"],
                    title=f"{p.name}质量提升{y}年行动计划",
                    year=y,
                    region=p,
                    level="province",
                )
            )
    Plan.objects.bulk_create(plans, batch_size=1000)
    plans = list(Plan.objects.select_related("region"))
    Section.objects.bulk_create(
        [
            Section(plan=pl, number=n + 1, label="一二三"[n] + "、", title=f"第{n + 1}部分", kind="tasks")
            for pl in plans
            for n in range(SECTIONS_PER_PLAN)
        ],
        batch_size=2000,
    )
    sections = {}
    for s in Section.objects.all():
        sections[(s.plan_id, s.number)] = s
    Task.objects.bulk_create(
        [
            Task(
                plan=pl,
                section=sections[(pl.pk, 1 + t // (TASKS_PER_PLAN // SECTIONS_PER_PLAN))],
                number=t + 1,
                label=f"（{t + 1}）",
                title=f"重点任务{t + 1}",
                text="…",
                source_ref=f"{pl.pk}-{t + 1}",
            )
            for pl in plans
            for t in range(TASKS_PER_PLAN)
        ],
        batch_size=2000,
    )
    tasks = list(Task.objects.select_related("plan"))
    Target.objects.bulk_create(
        [
            Target(task=t, order=1, text="指标", subject="指标", value=Decimal(100), unit="项")
            for t in tasks
            if t.number % 3 == 0
        ],
        batch_size=2000,
    )
    targets = {t.task_id: t for t in Target.objects.all()}
    ReportingSchedule.objects.bulk_create(
        [
            ReportingSchedule(plan=pl, kind="quarterly", default_due_date=datetime.date(pl.year, 12, 31))
            for pl in plans
        ]
    )
    schedules = {s.plan_id: s for s in ReportingSchedule.objects.all()}

    items = []
    for t in tasks:
        due = datetime.date(t.plan.year, 12, 31)
        for n, org in enumerate(orgs_by_region.get(t.plan.region_id, [])[:UNITS_PER_PROVINCE]):
            items.append(
                WorkItem(
                    schedule=schedules[t.plan_id],
                    task=t,
                    organisation=org,
                    role=ARole.LEAD if n == 0 else ARole.ASSIST,
                    due_date=due,
                    acknowledged_at=datetime.datetime(t.plan.year, 1, 10, tzinfo=datetime.UTC),
                )
            )
    WorkItem.objects.bulk_create(items, batch_size=2000)
    items = list(WorkItem.objects.select_related("task__plan"))
    dues, item_updates = [], []
    for it in items:
        year = it.task.plan.year
        quarter_ends = [
            datetime.date(year, 3, 31),
            datetime.date(year, 6, 30),
            datetime.date(year, 9, 30),
            datetime.date(year, 12, 31),
        ]
        for q, d in enumerate(quarter_ends[:REPORTS_PER_ITEM]):
            if d < TODAY:
                status = rng.choices(
                    [ReportDueStatus.ACCEPTED, ReportDueStatus.RETURNED, ReportDueStatus.PENDING], [85, 5, 10]
                )[0]
            else:
                status = ReportDueStatus.PENDING
            dues.append(ReportDue(work_item=it, due_on=d, is_final=(q == 3), status=status))
    ReportDue.objects.bulk_create(dues, batch_size=5000)
    dues_by_item: dict[int, list[ReportDue]] = {}
    for d in ReportDue.objects.order_by("due_on").only("pk", "work_item_id", "due_on", "status"):
        dues_by_item.setdefault(d.work_item_id, []).append(d)
    reports = []
    report_status = {
        ReportDueStatus.ACCEPTED: ReportStatus.ACCEPTED,
        ReportDueStatus.RETURNED: ReportStatus.OFFICE_RETURNED,
        ReportDueStatus.PENDING: ReportStatus.DRAFT,
    }
    for it in items:
        open_dues = [
            d for d in dues_by_item[it.pk] if d.status in (ReportDueStatus.PENDING, ReportDueStatus.RETURNED)
        ]
        returned = any(d.status == ReportDueStatus.RETURNED for d in dues_by_item[it.pk])
        if not open_dues:
            it.status, it.next_due_on = WorkItemStatus.CLOSED, None
            it.close_outcome = CloseOutcome.ACHIEVED if rng.random() < 0.9 else CloseOutcome.NOT_ACHIEVED
        else:
            it.status = WorkItemStatus.RETURNED if returned else WorkItemStatus.IN_PROGRESS
            it.next_due_on = open_dues[0].due_on
        item_updates.append(it)
        for n, d in enumerate(dues_by_item[it.pk]):
            reports.append(
                ProgressReport(
                    work_item=it,
                    report_due=d,
                    status=report_status[d.status],
                    percent=min(100, 25 * (n + 1)),
                    narrative=f"第{n + 1}季度进展情况。",
                )
            )
    WorkItem.objects.bulk_update(item_updates, ["status", "next_due_on", "close_outcome"], batch_size=2000)
    ProgressReport.objects.bulk_create(reports, batch_size=5000)
    tp = []
    for r in ProgressReport.objects.filter(status=ReportStatus.ACCEPTED).values("pk", "work_item__task_id"):
        target = targets.get(r["work_item__task_id"])
        if target is not None:
            tp.append(TargetProgress(report_id=r["pk"], target=target, actual=Decimal(rng.randint(40, 120))))
    TargetProgress.objects.bulk_create(tp, batch_size=5000)

    zhejiang = Region.objects.get(code="330000")
    office = User.objects.create_user("bench_office", password="x")  # noqa: S106
    Membership.objects.create(user=office, organisation=offices[zhejiang.pk], role=Role.OFFICE_ADMIN)
    unit = User.objects.create_user("bench_unit", password="x")  # noqa: S106
    Membership.objects.create(
        user=unit, organisation=orgs_by_region[zhejiang.pk][0], role=Role.DEPARTMENT_LIAISON
    )
    plan = Plan.objects.get(region=zhejiang, year=2026)
    counts = (
        f"{len(provinces)} provinces, {len(plans)} plans, {len(tasks)} tasks, {len(items)} work items, "
        f"{len(dues)} reporting dates, {len(reports)} reports, {len(tp)} target actuals"
    )
    print(f"dataset: {counts}", flush=True)
    return plan.pk, office.username, unit.username


def time_get(client, url: str, n: int, warmup: int = 5) -> list[float]:  # noqa: ANN001
    for _ in range(warmup):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return samples


def bench_one(db: str, args: argparse.Namespace) -> str:
    import dj_database_url

    workdir = Path(tempfile.mkdtemp(prefix="zhiliang-bench-dash-"))
    os.environ["ZHILIANG_DATA_DIR"] = str(workdir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhiliang.config.settings")
    os.environ.pop("DATABASE_URL", None)
    os.environ["DB_CONN_MAX_AGE"] = "60"
    admin: dict = {}
    dbname = ""
    if db == "postgresql":
        import psycopg

        cfg = dj_database_url.parse(args.pg_url)
        admin = {"dbname": "postgres", "user": cfg.get("USER") or None, "host": cfg.get("HOST") or None}
        admin |= {"port": cfg.get("PORT") or None, "password": cfg.get("PASSWORD") or None}
        dbname = cfg["NAME"]
        with psycopg.connect(**admin, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
            c.execute(f'CREATE DATABASE "{dbname}"')
        os.environ["DATABASE_URL"] = args.pg_url
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test Client's plumbing; DEBUG stays off
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    try:
        start = time.perf_counter()
        call_command("migrate", verbosity=0)
        if db == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous=OFF")
        plan_id, office, unit = build(args.seed)
        if db == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"{db}: built in {time.perf_counter() - start:.0f} s", flush=True)
        from unittest import mock

        from django.contrib.auth.models import User

        # The dashboards read "today" from the clock: pin it to mid-2026 so the data is mid-year.
        with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
            oc, uc, fc = Client(), Client(), Client()
            oc.force_login(User.objects.get(username=office))
            uc.force_login(User.objects.get(username=unit))
            office_ms = time_get(oc, f"/alerts/office/{plan_id}/", args.requests)
            unit_ms = time_get(uc, "/supervision/mine/", args.requests)
            floor_ms = time_get(fc, "/alerts/healthz", args.requests)
        for name, s in (("office", office_ms), ("unit", unit_ms), ("floor", floor_ms)):
            print(f"{db:>10} {name:>6}: p50 {pct(s, 50):7.2f} ms   p95 {pct(s, 95):7.2f} ms   (n={len(s)})")
    finally:
        connection.close()
        if db == "postgresql" and not args.keep:
            import psycopg

            with psycopg.connect(**admin, autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
        if not args.keep:
            for path in sorted(workdir.rglob("*"), reverse=True):
                path.rmdir() if path.is_dir() else path.unlink()
            workdir.rmdir()
    return (
        f"db={db} office_p95_ms={pct(office_ms, 95):.2f} unit_p95_ms={pct(unit_ms, 95):.2f} "
        f"floor_p95_ms={pct(floor_ms, 95):.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page (default 50)")
    parser.add_argument("--seed", type=int, default=7, help="random seed")
    parser.add_argument("--skip-pg", action="store_true", help="SQLite only")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get(
            "ZHILIANG_BENCH_DASH_PG_URL", "postgres://postgres@127.0.0.1:5432/zhiliang_bench_dash"
        ),
        help="PostgreSQL database to create, fill and drop",
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.only:
        print(bench_one(args.only, args), flush=True)
        return 0
    print(f"requests={args.requests} seed={args.seed} clock={TODAY}")
    summary: list[str] = []
    for db in ["sqlite"] + ([] if args.skip_pg else ["postgresql"]):
        proc = subprocess.run(  # noqa: S603 -- this very script, with the same arguments
            [sys.executable, __file__, *argv, "--only", db], capture_output=True, text=True, check=False
        )
        lines = proc.stdout.rstrip("\n").splitlines()
        print("\n".join(line for line in lines if not line.startswith("db=")), flush=True)
        if proc.returncode != 0:
            print(proc.stderr[-4000:], file=sys.stderr)
            summary.append(f"db={db} failed")
            continue
        summary += [line for line in lines if line.startswith("db=")]
    print()
    for line in summary:
        print(line)
    return 0 if all("failed" not in line for line in summary) else 1


if __name__ == "__main__":
    sys.exit(main())
