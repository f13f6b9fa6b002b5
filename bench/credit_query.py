"""Public credit search at registry scale: name and code queries through the real search path.

Builds a synthetic registry of enterprises (realistic Chinese names from syllable tables, valid
USCCs) in a throw-away SQLite file and in a throw-away PostgreSQL database (``zhiliang_bench``,
created and dropped here), then times ``search_enterprises`` for name and code queries next to a
naive ``LIKE '%…%'`` scan, and prints p50/p95 per database.

    .venv/bin/python bench/credit_query.py --enterprises 1000000
    .venv/bin/python bench/credit_query.py --enterprises 100000 --skip-pg --queries 100

The last lines are machine-readable, one per database:

    db=sqlite name_p95_ms=… code_p95_ms=… like_p95_ms=…
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# ---- synthetic names ---------------------------------------------------------------------------

REGIONS = (
    "杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水 合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 "
    "滁州 阜阳 宿州 六安 亳州 池州 宣城 南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁 "
    "福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德 济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 "
    "广州 深圳 珠海 汕头 佛山 韶关 湛江 肇庆 江门 茂名 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳"
).split()
DISTRICTS = "上城 西湖 滨江 萧山 余杭 鄞州 北仑 瓯海 南湖 吴兴 越城 婺城 柯桥 义乌 慈溪 余姚 瑞安 乐清 海宁 桐乡".split()
BRAND_CHARS = (
    "华盛鑫达恒瑞泰丰源宏德信隆兴昌明永安康宁富利通联合创新美佳嘉和顺祥福天海星光辉耀金银铭宝博远航"
    "正中诚毅卓越精工立恩泽润邦凯晟翔宇浩昊睿智汇聚融科锐捷万方圆益升腾飞龙凤麟骏豪杰英伟俊雅韵秀"
    "青松柏竹兰梅菊春夏秋冬东南西北江河湖山川林森峰岩石田禾谷农牧渔晨曦阳云雨雪霞彩虹蓝绿紫红橙"
)
INDUSTRIES = (
    "科技 电器 食品 机械 纺织 化工 建材 医药 电子 包装 汽车配件 服饰 家具 五金 塑胶 印染 环保 新材料 "
    "生物 制药 光电 照明 仪表 电缆 阀门 轴承 模具 陶瓷 玻璃 钢结构 水泵 电机 乳业 茶业 酿造 饮品 日化 "
    "文具 玩具 鞋业 皮革 卫浴 门业 涂料 农业 粮油 肉食品 水产 饲料 化纤 丝绸 针织 纸业 印刷 特种设备"
).split()
SUFFIXES = ["有限公司"] * 6 + ["股份有限公司"] * 2 + ["有限责任公司", "集团有限公司", "实业有限公司", "厂"]
# Characters that never occur in a generated name: queries made of them are guaranteed misses.
MISS_CHARS = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥鼠牛虎兔蛇马羊猴鸡狗猪琴棋书画诗酒"

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
ORG_CHARSET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
REGION_CODES = [
    "330100",
    "330200",
    "330300",
    "340100",
    "340200",
    "320100",
    "320500",
    "350200",
    "370200",
    "440300",
]


def _uscc_helpers() -> tuple[Callable[[str], str], Callable[[str], str]]:
    """(org_check_digit, uscc_check_digit) from zhiliang.lib.uscc, or the domain reference (§1.6)."""
    try:
        from zhiliang.lib import uscc as lib  # type: ignore[attr-defined]

        return lib.org_check_digit, lib.uscc_check_digit
    except (ImportError, AttributeError):
        value = {c: i for i, c in enumerate(USCC_CHARSET)}
        weights = [pow(3, i, 31) for i in range(17)]
        org_value = {c: i for i, c in enumerate(ORG_CHARSET)}

        def org_check_digit(body8: str) -> str:
            c9 = 11 - sum(org_value[c] * w for c, w in zip(body8, [3, 7, 9, 10, 5, 8, 4, 2])) % 11
            return "X" if c9 == 10 else "0" if c9 == 11 else str(c9)

        def uscc_check_digit(first17: str) -> str:
            return USCC_CHARSET[(31 - sum(value[c] * w for c, w in zip(first17, weights)) % 31) % 31]

        return org_check_digit, uscc_check_digit


def synthetic_enterprises(n: int, seed: int) -> Iterator[tuple[str, str]]:
    """(uscc, name) pairs; USCCs are unique (the org body counts up) and pass both check digits."""
    org_check, uscc_check = _uscc_helpers()
    rng = random.Random(seed)
    digits = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # body characters valid in both alphabets
    for i in range(n):
        body, k = [], i
        for _ in range(6):
            k, r = divmod(k, len(digits))
            body.append(digits[r])
        org8 = "MA" + "".join(reversed(body))
        first17 = "91" + rng.choice(REGION_CODES) + org8 + org_check(org8)
        uscc = first17 + uscc_check(first17)
        region = rng.choice(REGIONS)
        brand = "".join(rng.choice(BRAND_CHARS) for _ in range(rng.choice((2, 2, 3, 3, 4))))
        district = rng.choice(DISTRICTS) if rng.random() < 0.15 else ""
        name = f"{region}{'市' if rng.random() < 0.3 else ''}{district}{brand}{rng.choice(INDUSTRIES)}{rng.choice(SUFFIXES)}"
        yield uscc, name


# ---- loading -----------------------------------------------------------------------------------


def _row_template():
    """Column names and a function turning (uscc, name) into a full row of credit_enterprise."""
    from django.utils import timezone

    from zhiliang.credit.models import Enterprise

    now = timezone.now()
    known = {
        "uscc": None,
        "name": None,
        "former_names": "[]",
        "former_names_text": "",
        "uscc_warnings": "[]",
        "needs_regrade": False,
        "created_at": now,
        "updated_at": now,
    }
    columns, fixed = [], {}
    for field in Enterprise._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(field.column)
        if field.name in known:
            fixed[field.column] = known[field.name]
        elif field.null:
            fixed[field.column] = None
        else:
            fixed[field.column] = field.get_default()

    def row(uscc: str, name: str) -> tuple:
        values = {**fixed, "uscc": uscc, "name": name}
        return tuple(values[c] for c in columns)

    return columns, row


def _search_migration():
    """The migration that owns the search indexes: the bench rebuilds them with its own SQL."""
    import importlib

    return importlib.import_module("zhiliang.credit.migrations.0003_public_search")


def load_sqlite(alias: str, n: int, seed: int) -> None:
    """Bulk load: no per-row FTS triggers; the FTS tables are built once from the loaded rows.

    PRAGMA journal_mode=OFF / synchronous=OFF are for this throw-away file only: a crash mid-load
    leaves garbage, which the bench never reuses (the "done" marker is written last).
    """
    from django.db import connections, transaction

    mig = _search_migration()
    columns, row = _row_template()
    # Column names come from the model, values are parameters.
    sql = f"INSERT INTO credit_enterprise ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
    conn = connections[alias]
    with conn.cursor() as cursor:
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-1000000", "temp_store=MEMORY"):
            cursor.execute(f"PRAGMA {pragma}")
    t0 = time.perf_counter()
    with transaction.atomic(using=alias), conn.cursor() as cursor:
        for stmt in mig.SQLITE_DROP_TRIGGERS:
            cursor.execute(stmt)
        batch: list[tuple] = []
        for uscc, name in synthetic_enterprises(n, seed):
            batch.append(row(uscc, name))
            if len(batch) == 100_000:
                cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
    t1 = time.perf_counter()
    with transaction.atomic(using=alias), conn.cursor() as cursor:
        for stmt in mig.SQLITE_BACKFILL:  # 'rebuild' of the trigram table, the per-character table
            cursor.execute(stmt)
        cursor.execute("INSERT INTO credit_enterprise_fts (credit_enterprise_fts) VALUES ('optimize')")
        cursor.execute("INSERT INTO credit_enterprise_chars (credit_enterprise_chars) VALUES ('optimize')")
        for stmt in mig.SQLITE_TRIGGERS:
            cursor.execute(stmt)
    t2 = time.perf_counter()
    with conn.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"  rows {t1 - t0:.0f} s, FTS rebuild + triggers {t2 - t1:.0f} s, ANALYZE {time.perf_counter() - t2:.0f} s"
    )


def load_postgres(alias: str, n: int, seed: int) -> None:
    """COPY into the table without the search indexes, then build them once (migration SQL)."""
    from django.db import connections

    mig = _search_migration()
    columns, row = _row_template()
    conn = connections[alias]
    with conn.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        for stmt in mig.POSTGRES_DROP_INDEXES:
            cursor.execute(stmt)
        t0 = time.perf_counter()
        raw = cursor.cursor  # the psycopg cursor, for COPY
        with raw.copy(f"COPY credit_enterprise ({', '.join(columns)}) FROM STDIN") as copy:
            for uscc, name in synthetic_enterprises(n, seed):
                copy.write_row(row(uscc, name))
        t1 = time.perf_counter()
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for stmt in mig.POSTGRES_INDEXES:
            cursor.execute(stmt)
        t2 = time.perf_counter()
        cursor.execute("VACUUM (ANALYZE) credit_enterprise")
    print(
        f"  COPY {t1 - t0:.0f} s, search indexes {t2 - t1:.0f} s, VACUUM ANALYZE {time.perf_counter() - t2:.0f} s"
    )


def fingerprint(args: argparse.Namespace, db: str) -> str:
    """What a kept database depends on: size, seed, the name generator, the search SQL of its vendor
    and the list of migrations (a new migration means a rebuild)."""
    import hashlib
    import inspect

    mig = _search_migration()
    h = hashlib.sha256(f"{args.enterprises}:{args.seed}".encode())
    h.update(inspect.getsource(synthetic_enterprises).encode())
    h.update(repr(mig.SQLITE_FORWARD if db == "sqlite" else mig.POSTGRES_FORWARD).encode())
    for path in sorted(REPO.glob("zhiliang/*/migrations/0*.py")):
        h.update(path.name.encode())
    return h.hexdigest()[:12]


# ---- queries -----------------------------------------------------------------------------------


def make_queries(n_enterprises: int, count: int, seed: int) -> tuple[list[str], list[str]]:
    """Name queries (2–6 character substrings of real names, 10% misses) and code queries."""
    rng = random.Random(seed + 1)
    picks = sorted(rng.sample(range(n_enterprises), min(count * 2, n_enterprises)))
    wanted = set(picks)
    sample = [pair for i, pair in enumerate(synthetic_enterprises(picks[-1] + 1, seed)) if i in wanted]
    rng.shuffle(sample)
    names: list[str] = []
    for _uscc, name in sample[:count]:
        if rng.random() < 0.1:
            names.append("".join(rng.choice(MISS_CHARS) for _ in range(rng.randint(2, 6))))
            continue
        length = rng.randint(2, min(6, len(name)))
        start = rng.randint(0, len(name) - length)
        names.append(name[start : start + length])
    codes: list[str] = []
    for uscc, _name in sample[count : count * 2]:
        r = rng.random()
        if r < 0.8:
            codes.append(uscc)
        elif r < 0.9:
            codes.append(uscc[: rng.randint(15, 17)])
        else:
            codes.append("91" + "".join(rng.choice(USCC_CHARSET) for _ in range(16)))  # almost surely absent
    return names, codes


def timed(fn: Callable[[str], object], queries: list[str], warmup: list[str]) -> list[float]:
    """Per-query wall time in ms, after running a *different* set of queries once, untimed.

    The warm-up fills SQLite's page cache / PostgreSQL's shared buffers with the index roots and the
    statement caches, as on a running server; it does not contain the timed queries.
    """
    for q in warmup:
        fn(q)
    out = []
    for q in queries:
        start = time.perf_counter()
        fn(q)
        out.append((time.perf_counter() - start) * 1000)
    return out


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def run(
    alias: str, label: str, queries: tuple[list[str], list[str]], warmup: tuple[list[str], list[str]]
) -> dict[str, list[float]]:
    from django.db import connections

    from zhiliang.credit.search import search_enterprises

    def like(q: str) -> list:
        with connections[alias].cursor() as cursor:
            cursor.execute(
                "SELECT id, name FROM credit_enterprise WHERE name LIKE %s LIMIT 20", ["%" + q + "%"]
            )
            return cursor.fetchall()

    names, codes = queries

    def search(q: str) -> list:
        return search_enterprises(q, limit=20, using=alias)

    results = {
        "name": timed(search, names, warmup[0]),
        "code": timed(search, codes, warmup[1]),
        "like": timed(like, names, warmup[0][:10]),
    }
    by_len: dict[int, list[float]] = {}
    for q, ms in zip(names, results["name"]):
        by_len.setdefault(len(q), []).append(ms)
    print(f"\n[{label}]")
    print(f"  {'path':<28} {'n':>5} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}")
    for key, title in (
        ("name", "name (search_enterprises)"),
        ("code", "code (search_enterprises)"),
        ("like", "LIKE '%…%' baseline"),
    ):
        v = results[key]
        print(f"  {title:<28} {len(v):>5} {pct(v, 50):>9.2f} {pct(v, 95):>9.2f} {max(v):>9.2f}")
    for length in sorted(by_len):
        v = by_len[length]
        print(
            f"    name, {length} chars{'':<15} {len(v):>5} {pct(v, 50):>9.2f} {pct(v, 95):>9.2f} {max(v):>9.2f}"
        )
    return results


def bench_one(db: str, args: argparse.Namespace) -> str:
    """Build (or reuse) and time one database as Django's default connection; return its summary line.

    Each database runs in its own process: data migrations of other apps use the default
    connection, so the bench database has to be the default one.
    """
    import dj_database_url

    fp = fingerprint(args, db)
    if args.keep:
        workdir = Path(args.keep).resolve() / f"sqlite-{args.enterprises}-{fp}"
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        workdir = Path(tempfile.mkdtemp(prefix="zhiliang-bench-"))
    done = workdir / "built.ok"
    reuse = bool(args.keep and args.reuse)
    os.environ["ZHILIANG_DATA_DIR"] = str(workdir)  # the default SQLite database lives here
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhiliang.config.settings")
    os.environ.pop("DATABASE_URL", None)
    admin: dict = {}
    dbname = ""
    if db == "sqlite":
        if not (reuse and done.exists()):
            reuse = False
            for path in workdir.glob("zhiliang.sqlite3*"):
                path.unlink()
            done.unlink(missing_ok=True)
    else:
        import psycopg

        cfg = dj_database_url.parse(args.pg_url)
        admin = {"dbname": "postgres", "user": cfg.get("USER") or None, "host": cfg.get("HOST") or None}
        admin |= {"port": cfg.get("PORT") or None, "password": cfg.get("PASSWORD") or None}
        dbname = cfg["NAME"]
        if reuse:
            try:
                with psycopg.connect(**{**admin, "dbname": dbname}) as c:
                    reuse = c.execute("SELECT fingerprint FROM zhiliang_bench_built").fetchone() == (fp,)
            except psycopg.Error:
                reuse = False
        if not reuse:
            with psycopg.connect(**admin, autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
                c.execute(f'CREATE DATABASE "{dbname}"')
        os.environ["DATABASE_URL"] = args.pg_url
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    queries = make_queries(args.enterprises, args.queries, args.seed)
    warmup = make_queries(args.enterprises, 100, args.seed + 1000)
    try:
        start = time.perf_counter()
        call_command("migrate", verbosity=0)
        if db == "sqlite":
            if not reuse:
                load_sqlite("default", args.enterprises, args.seed)
                done.write_text(fp)
            size = f", {Path(connection.settings_dict['NAME']).stat().st_size / 1e6:.0f} MB"
            label = f"SQLite {connection.Database.sqlite_version}, FTS5 trigram"
        else:
            if not reuse:
                load_postgres("default", args.enterprises, args.seed)
            with connection.cursor() as cursor:
                cursor.execute("CREATE TABLE IF NOT EXISTS zhiliang_bench_built (fingerprint text)")
                cursor.execute("DELETE FROM zhiliang_bench_built")
                cursor.execute("INSERT INTO zhiliang_bench_built VALUES (%s)", [fp])
                cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database())), version()")
                db_size, version = cursor.fetchone()
                size = f", {db_size}"
                label = f"{' '.join(version.split()[:2])}, pg_trgm GIN"
        verb = "reused" if reuse else "built"
        print(
            f"{db}: {verb} {args.enterprises} enterprises in {time.perf_counter() - start:.0f} s{size}",
            flush=True,
        )
        r = run("default", label, queries, warmup)
    finally:
        connection.close()
        if db == "postgresql" and not args.keep:
            import psycopg

            with psycopg.connect(**admin, autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
        if not args.keep:
            for path in workdir.iterdir():
                path.unlink()
            workdir.rmdir()
    return (
        f"db={db} name_p95_ms={pct(r['name'], 95):.2f} code_p95_ms={pct(r['code'], 95):.2f} "
        f"like_p95_ms={pct(r['like'], 95):.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--enterprises", type=int, default=1_000_000, help="registry size (default 1000000)")
    parser.add_argument(
        "--queries", type=int, default=300, help="name queries and code queries each (default 300)"
    )
    parser.add_argument("--seed", type=int, default=7, help="random seed")
    parser.add_argument("--skip-pg", action="store_true", help="SQLite only")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("ZHILIANG_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/zhiliang_bench"),
        help="PostgreSQL database to create, fill and drop (default postgres://postgres@127.0.0.1:5432/zhiliang_bench)",
    )
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="keep the SQLite file under DIR and keep the PostgreSQL database (instead of dropping them)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="with --keep: measure the kept databases again if they match size, seed and migrations",
    )
    parser.add_argument(
        "--only", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS
    )  # one child process
    args = parser.parse_args(argv)

    if args.only:
        print(bench_one(args.only, args), flush=True)
        return 0

    print(
        f"enterprises={args.enterprises} name_queries={args.queries} code_queries={args.queries} seed={args.seed}"
    )
    summary: list[str] = []
    for db in ["sqlite"] + ([] if args.skip_pg else ["postgresql"]):
        proc = subprocess.run(  # noqa: S603 -- this very script, with the same arguments
            [sys.executable, __file__, *argv, "--only", db], capture_output=True, text=True, check=False
        )
        lines = proc.stdout.rstrip("\n").splitlines()
        print("\n".join(line for line in lines if not line.startswith("db=")), flush=True)
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            summary.append(f"db={db} failed")
            continue
        summary += [line for line in lines if line.startswith("db=")]
    print()
    for line in summary:
        print(line)
    return 0 if all("failed" not in line for line in summary) else 1


if __name__ == "__main__":
    sys.exit(main())
