"""Public one-stop query: issued credit reports, and the name-search indexes of each database.

SQLite: two FTS5 tables kept in sync with credit_enterprise by triggers (see zhiliang/credit/search.py):
``credit_enterprise_fts`` (trigram, external content: name and former names) with its fts5vocab
view, and ``credit_enterprise_chars`` (one token per character, contentless) for 1–2 character
queries (its tokens are the characters and the pairs of neighbouring characters). Triggers cannot
use CTEs, so a small sequence table splits a name.

PostgreSQL: ``pg_trgm`` and GIN trigram indexes on UPPER(name) and UPPER(former_names_text), the
expressions Django's ``icontains`` produces, and a GIN index on the characters and character pairs
of UPPER(name) (``credit_name_grams``) for 1–2 character queries.

Both are created with raw SQL, not model state, so Enterprise's Meta stays the core's to own.
"""

# ruff: noqa: S608 -- constant SQL: the f-strings only paste _CHARS, never input

import django.db.models.deletion
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

# Tokens of a name for the per-character table, space separated: every character, then every pair
# of neighbouring characters (a 2-character query is then one token, not a phrase of two very common
# ones). {row} is "new", "old" or "e".
_CHARS = (
    "SELECT group_concat(c, ' ') FROM ("
    "SELECT substr({row}.name, n, 1) AS c FROM credit_search_seq WHERE n <= length({row}.name) "
    "UNION ALL SELECT substr({row}.name, n, 2) FROM credit_search_seq WHERE n < length({row}.name))"
)

SQLITE_TABLES = [
    "CREATE TABLE credit_search_seq (n INTEGER PRIMARY KEY)",
    "INSERT INTO credit_search_seq (n) WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 256) SELECT n FROM s",
    "CREATE VIRTUAL TABLE credit_enterprise_fts USING fts5("
    "name, former_names_text, content='credit_enterprise', content_rowid='id', tokenize='trigram')",
    "CREATE VIRTUAL TABLE credit_enterprise_fts_vocab USING fts5vocab(credit_enterprise_fts, row)",
    "CREATE VIRTUAL TABLE credit_enterprise_chars USING fts5(chars, content='', tokenize='unicode61 remove_diacritics 0')",
]
# The triggers, the statements that drop them and the statements that (re)build both tables from
# credit_enterprise are separate lists: a bulk load (bench/credit_query.py) drops the triggers,
# loads, runs SQLITE_BACKFILL and recreates the triggers, which is an order of magnitude faster.
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER credit_enterprise_search_ai AFTER INSERT ON credit_enterprise BEGIN
        INSERT INTO credit_enterprise_fts (rowid, name, former_names_text)
            VALUES (new.id, new.name, new.former_names_text);
        INSERT INTO credit_enterprise_chars (rowid, chars) SELECT new.id, ({_CHARS.format(row="new")});
    END""",
    f"""CREATE TRIGGER credit_enterprise_search_ad AFTER DELETE ON credit_enterprise BEGIN
        INSERT INTO credit_enterprise_fts (credit_enterprise_fts, rowid, name, former_names_text)
            VALUES ('delete', old.id, old.name, old.former_names_text);
        INSERT INTO credit_enterprise_chars (credit_enterprise_chars, rowid, chars)
            SELECT 'delete', old.id, ({_CHARS.format(row="old")});
    END""",
    f"""CREATE TRIGGER credit_enterprise_search_au AFTER UPDATE OF name, former_names_text ON credit_enterprise BEGIN
        INSERT INTO credit_enterprise_fts (credit_enterprise_fts, rowid, name, former_names_text)
            VALUES ('delete', old.id, old.name, old.former_names_text);
        INSERT INTO credit_enterprise_chars (credit_enterprise_chars, rowid, chars)
            SELECT 'delete', old.id, ({_CHARS.format(row="old")});
        INSERT INTO credit_enterprise_fts (rowid, name, former_names_text)
            VALUES (new.id, new.name, new.former_names_text);
        INSERT INTO credit_enterprise_chars (rowid, chars) SELECT new.id, ({_CHARS.format(row="new")});
    END""",
]
SQLITE_DROP_TRIGGERS = [
    "DROP TRIGGER IF EXISTS credit_enterprise_search_au",
    "DROP TRIGGER IF EXISTS credit_enterprise_search_ad",
    "DROP TRIGGER IF EXISTS credit_enterprise_search_ai",
]
SQLITE_BACKFILL = [
    "INSERT INTO credit_enterprise_fts (credit_enterprise_fts) VALUES ('rebuild')",
    "INSERT INTO credit_enterprise_chars (credit_enterprise_chars) VALUES ('delete-all')",
    f"INSERT INTO credit_enterprise_chars (rowid, chars) SELECT e.id, ({_CHARS.format(row='e')}) FROM credit_enterprise e",
]
SQLITE_FORWARD = SQLITE_TABLES + SQLITE_TRIGGERS + SQLITE_BACKFILL
SQLITE_BACKWARD = [
    *SQLITE_DROP_TRIGGERS,
    "DROP TABLE IF EXISTS credit_enterprise_chars",
    "DROP TABLE IF EXISTS credit_enterprise_fts_vocab",
    "DROP TABLE IF EXISTS credit_enterprise_fts",
    "DROP TABLE IF EXISTS credit_search_seq",
]
# PostgreSQL. Trigram indexes serve 3+ character substrings (icontains). 1–2 characters have no
# trigram, so pg_trgm would scan its whole index: they get their own GIN index over the characters
# and character pairs of the name (an expression index on an immutable function, so no column and
# no model change). More statistics on the expressions let the planner see that "有限公司" is in
# nearly every row and read the table until the LIMIT instead of the whole index.
POSTGRES_INDEXES = [
    "CREATE INDEX IF NOT EXISTS credit_ent_name_trgm ON credit_enterprise USING gin (UPPER(name) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS credit_ent_former_trgm ON credit_enterprise "
    "USING gin (UPPER(former_names_text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS credit_ent_name_grams ON credit_enterprise "
    "USING gin (credit_name_grams(UPPER(name)))",
    "ALTER INDEX credit_ent_name_trgm ALTER COLUMN 1 SET STATISTICS 1000",
    "ALTER INDEX credit_ent_name_grams ALTER COLUMN 1 SET STATISTICS 1000",
]
POSTGRES_DROP_INDEXES = [
    "DROP INDEX IF EXISTS credit_ent_name_grams",
    "DROP INDEX IF EXISTS credit_ent_former_trgm",
    "DROP INDEX IF EXISTS credit_ent_name_trgm",
]
POSTGRES_FORWARD = [
    # Distinct characters and pairs of neighbouring characters of a text.
    "CREATE OR REPLACE FUNCTION credit_name_grams(t text) RETURNS text[] "
    "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 100 AS $$ "
    "SELECT coalesce(array_agg(DISTINCT g), '{}') FROM ("
    "SELECT substr(t, i, 1) FROM generate_series(1, length(t)) AS i "
    "UNION ALL SELECT substr(t, i, 2) FROM generate_series(1, length(t) - 1) AS i) AS s(g) $$",
    *POSTGRES_INDEXES,
]
POSTGRES_BACKWARD = [*POSTGRES_DROP_INDEXES, "DROP FUNCTION IF EXISTS credit_name_grams(text)"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("credit", "0002_load_defaults")]

    operations = [
        migrations.CreateModel(
            name="CreditReport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.CharField(max_length=19, unique=True, verbose_name="验证编号")),
                ("issued_at", models.DateTimeField(verbose_name="出具时间")),
                ("as_of", models.DateField(verbose_name="信息截止日")),
                ("snapshot", models.JSONField(default=dict, verbose_name="报告内容快照")),
                ("state_hash", models.CharField(max_length=64, verbose_name="公示状态摘要")),
                ("content_hash", models.CharField(max_length=64, verbose_name="内容摘要(SHA-256)")),
                (
                    "enterprise",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="credit_reports",
                        to="credit.enterprise",
                        verbose_name="企业",
                    ),
                ),
            ],
            options={
                "verbose_name": "信用报告",
                "verbose_name_plural": "信用报告",
                "ordering": ["-issued_at", "-pk"],
                "indexes": [models.Index(fields=["enterprise", "as_of"], name="credit_report_ent_asof")],
            },
        ),
        TrigramExtension(),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
