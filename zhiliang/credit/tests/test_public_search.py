"""search_enterprises: names (substring, short, fuzzy), codes, FTS query injection, index sync.

Runs on SQLite (FTS5) and PostgreSQL (pg_trgm) alike:
DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhiliang .venv/bin/pytest zhiliang/credit -m "not browser"
"""

from __future__ import annotations

import pytest
from django.db import connection

from zhiliang.credit.models import Enterprise
from zhiliang.credit.search import (
    code_query,
    fts_phrase,
    normalise_query,
    rank_hits,
    search_enterprises,
    trigrams,
)
from zhiliang.credit.tests import builders as b
from zhiliang.lib.uscc import make_uscc

pytestmark = pytest.mark.django_db

NAMES = [
    "杭州娃哈哈集团有限公司",
    "珠海格力电器股份有限公司",
    "宁波方太厨具有限公司",
    "杭州娃哈哈宏振包装有限公司",
    "浙江正泰电器股份有限公司",
    "TCL科技集团股份有限公司",
]


@pytest.fixture
def registry() -> dict[str, Enterprise]:
    out = {}
    for i, name in enumerate(NAMES):
        uscc = make_uscc("9", "1", "330100", f"MA2M{i:04d}")
        out[name] = Enterprise.objects.create(uscc=uscc, name=name)
    return out


def names(results) -> list[str]:
    return [e.name for e in results]


class TestNameSearch:
    def test_it_finds_a_company_by_a_substring_of_its_name(self, registry):
        assert names(search_enterprises("方太厨具")) == ["宁波方太厨具有限公司"]

    def test_it_finds_every_company_containing_the_substring(self, registry):
        assert set(names(search_enterprises("娃哈哈"))) == {
            "杭州娃哈哈集团有限公司",
            "杭州娃哈哈宏振包装有限公司",
        }

    def test_it_finds_two_character_brand_names_inside_a_name(self, registry):
        assert names(search_enterprises("格力")) == ["珠海格力电器股份有限公司"]

    def test_it_answers_a_single_character(self, registry):
        assert "宁波方太厨具有限公司" in names(search_enterprises("厨"))

    def test_the_exact_name_ranks_first(self, registry):
        Enterprise.objects.create(
            uscc=make_uscc("9", "1", "330100", "MA2N0001"), name="杭州娃哈哈集团有限公司分公司"
        )
        assert names(search_enterprises("杭州娃哈哈集团有限公司"))[0] == "杭州娃哈哈集团有限公司"

    def test_it_is_case_insensitive_for_latin_letters(self, registry):
        assert names(search_enterprises("tcl科技")) == ["TCL科技集团股份有限公司"]

    def test_full_width_input_is_normalised(self, registry):
        assert names(search_enterprises("ＴＣＬ科技")) == ["TCL科技集团股份有限公司"]

    def test_it_tolerates_one_mistyped_character(self, registry):
        # 哈 → 啥: the exact phrase has no hit, the shared trigrams still find the company.
        assert names(search_enterprises("杭州娃哈啥集团"))[:1] == ["杭州娃哈哈集团有限公司"]

    def test_a_miss_finds_nothing(self, registry):
        assert search_enterprises("甲乙丙丁戊己") == []

    def test_an_empty_or_blank_query_finds_nothing(self, registry):
        assert search_enterprises("") == [] and search_enterprises("   ") == []

    def test_the_limit_is_respected(self, registry):
        assert len(search_enterprises("有限公司", limit=2)) == 2

    def test_it_finds_former_names(self, registry):
        ent = registry["宁波方太厨具有限公司"]
        ent.former_names = ["慈溪方太厨房用具厂"]
        ent.save()
        assert names(search_enterprises("方太厨房用具")) == ["宁波方太厨具有限公司"]


class TestIndexSync:
    def test_a_renamed_enterprise_is_found_by_its_new_name_only(self, registry):
        ent = registry["宁波方太厨具有限公司"]
        ent.name = "宁波新名称厨电有限公司"
        ent.save(update_fields=["name"])
        assert names(search_enterprises("新名称")) == ["宁波新名称厨电有限公司"]
        assert names(search_enterprises("新名")) == ["宁波新名称厨电有限公司"]
        assert search_enterprises("方太厨具") == []

    def test_a_deleted_enterprise_is_gone_from_the_index(self, registry):
        registry["宁波方太厨具有限公司"].delete()
        assert search_enterprises("方太") == [] and search_enterprises("方太厨具") == []

    def test_a_bulk_created_enterprise_is_indexed(self, registry):
        Enterprise.objects.bulk_create(
            [Enterprise(uscc=make_uscc("9", "1", "330100", "MA2P0001"), name="温州批量导入阀门厂")]
        )
        assert names(search_enterprises("批量导入阀门")) == ["温州批量导入阀门厂"]


class TestCodeSearch:
    def test_a_full_code_finds_the_enterprise(self, registry):
        ent = registry["浙江正泰电器股份有限公司"]
        assert search_enterprises(ent.uscc) == [ent]

    def test_a_lower_case_code_with_spaces_and_hyphens_is_accepted(self, registry):
        ent = registry["浙江正泰电器股份有限公司"]
        typed = f" {ent.uscc[:8].lower()}-{ent.uscc[8:]} "
        assert search_enterprises(typed) == [ent]

    def test_a_15_to_17_character_prefix_finds_the_enterprise(self, registry):
        ent = registry["浙江正泰电器股份有限公司"]
        assert ent in search_enterprises(ent.uscc[:16])

    def test_an_unknown_code_finds_nothing(self, registry):
        assert search_enterprises(b.AH_USCC) == []

    def test_code_query_recognises_only_the_uscc_alphabet(self):
        assert code_query("91340100MA2MXB7Q8C") == "91340100MA2MXB7Q8C"
        assert code_query("91340100MA2MXB7Q8O") is None  # O is not in the alphabet
        assert code_query("9134010") is None


class TestHostileInput:
    @pytest.mark.parametrize(
        "query",
        [
            '"',
            '""',
            "*",
            "娃哈哈*",
            "NEAR(娃哈哈 集团)",
            '"娃哈哈" OR "格力"',
            "娃哈哈 AND",
            "-娃哈哈",
            "^娃",
            "a:b",
            "(",
            "'; DROP TABLE credit_enterprise; --",
            "\x00娃哈哈",
            "%",
            "_",
            "\\",
        ],
    )
    def test_fts_operators_and_quotes_do_not_crash(self, registry, query):
        search_enterprises(query)  # no exception
        assert Enterprise.objects.count() == len(NAMES)

    def test_operators_are_matched_literally(self, registry):
        assert search_enterprises('"娃哈哈" OR "格力"') == []

    def test_a_very_long_query_is_cut(self, registry):
        assert search_enterprises("娃" * 10_000) == []


class TestHelpers:
    def test_fts_phrase_doubles_quotes(self):
        assert fts_phrase('a"b') == '"a""b"'

    def test_normalise_query_drops_control_characters_and_collapses_spaces(self):
        assert normalise_query(" 杭州\x00\t\u3000娃哈哈 ") == "杭州 娃哈哈"

    def test_trigrams_are_distinct_and_lower_case(self):
        assert trigrams("ABCABC") == ["abc", "bca", "cab"]

    def test_rank_hits_orders_exact_then_prefix_then_shorter(self):
        from zhiliang.credit.search import Hit

        hits = [
            Hit(1, "杭州娃哈哈集团有限公司分公司"),
            Hit(2, "娃哈哈"),
            Hit(3, "杭州娃哈哈"),
            Hit(4, "娃哈哈集团"),
        ]
        assert rank_hits("娃哈哈", hits, limit=10) == [2, 4, 3, 1]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgres_has_the_trigram_index_that_icontains_uses(registry):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'credit_ent_name_trgm'")
        (indexdef,) = cursor.fetchone()
        assert "gin_trgm_ops" in indexdef and "upper" in indexdef.lower()
        cursor.execute("SET enable_seqscan = off")
        # Without the model's default ORDER BY name, as the search runs it (an ordered walk of the
        # name index would be another, and at scale far slower, plan).
        sql, params = Enterprise.objects.filter(name__icontains="娃哈哈").order_by().query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "credit_ent_name_trgm" in plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_sqlite_keeps_the_fts_tables_in_step_with_the_registry(registry):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO credit_enterprise_fts (credit_enterprise_fts, rank) VALUES ('integrity-check', 1)"
        )
        cursor.execute(
            "SELECT count(*) FROM credit_enterprise_fts WHERE credit_enterprise_fts MATCH '\"有限公司\"'"
        )
        assert cursor.fetchone()[0] == len(NAMES)


class TestBoundedWork:
    """Every search does a small, constant number of bounded queries, however common the text."""

    def _queries(self, query: str) -> list[str]:
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            search_enterprises(query)
        return [q["sql"] for q in ctx.captured_queries]

    def test_a_code_query_is_one_indexed_query_without_fts(self, registry):
        ent = registry["浙江正泰电器股份有限公司"]
        for query in (ent.uscc, ent.uscc[:16], b.AH_USCC):
            sqls = self._queries(query)
            assert len(sqls) == 1, sqls
            assert "uscc" in sqls[0] and "fts" not in sqls[0] and "LIKE" not in sqls[0].upper()

    @pytest.mark.parametrize("query", ["格力", "娃哈哈", "有限公司", "杭州娃哈哈集团有限公司", "厨"])
    def test_a_name_query_with_hits_is_three_queries(self, registry, query):
        # prefix lookup, index lookup (LIMIT, no ORDER BY), fetch of the ranked page
        sqls = self._queries(query)
        assert len(sqls) == 3, sqls
        assert all("bm25" not in sql and "ORDER BY rank" not in sql for sql in sqls)

    def test_the_index_lookup_takes_at_most_candidates_rows(self, registry, monkeypatch):
        from zhiliang.credit import search

        monkeypatch.setattr(search, "CANDIDATES", 2)
        assert len(search_enterprises("有限公司")) == 2  # six names contain it; no name starts with it
        assert len(search_enterprises("公司")) == 2

    def test_the_fuzzy_fallback_runs_only_when_nothing_matches_exactly(self, registry, monkeypatch):
        from zhiliang.credit.search import get_backend

        backend_class = type(get_backend())
        calls: list[str] = []
        original = backend_class._fuzzy_hits

        def spy(self, *args, **kwargs):
            calls.append(args[-2] if len(args) >= 2 else kwargs.get("query", ""))
            return original(self, *args, **kwargs)

        monkeypatch.setattr(backend_class, "_fuzzy_hits", spy)
        search_enterprises("娃哈哈集团")
        search_enterprises("有限公司")
        search_enterprises("格力")
        assert calls == []
        assert names(search_enterprises("杭州娃哈啥集团"))[:1] == ["杭州娃哈哈集团有限公司"]
        assert len(calls) == 1

    def test_two_characters_must_be_neighbours(self, registry):
        assert names(search_enterprises("力电")) == ["珠海格力电器股份有限公司"]
        assert search_enterprises("格电") == []  # both in 珠海格力电器, never side by side

    def test_two_characters_with_punctuation_match_literally(self, registry):
        Enterprise.objects.create(
            uscc=make_uscc("9", "1", "330100", "MA2P0002"), name="A-B贸易(杭州)有限公司"
        )
        assert names(search_enterprises("A-")) == ["A-B贸易(杭州)有限公司"]
        assert search_enterprises("B-") == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_sqlite_fuzzy_ignores_common_trigrams_and_stays_within_budget(registry, monkeypatch):
    from zhiliang.credit import search

    # Every trigram in 2+ names counts as "common" here: only the rare ones are OR-ed.
    monkeypatch.setattr(search, "FUZZY_MAX_DOC_FREQ", 1)
    monkeypatch.setattr(search, "FUZZY_BUDGET", 1)
    Enterprise.objects.create(uscc=make_uscc("9", "1", "330100", "MA2P0003"), name="宁波方太厨具销售有限公司")
    assert names(search_enterprises("方太厨具销焦有限公司"))[:1] == ["宁波方太厨具销售有限公司"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgres_answers_one_or_two_characters_from_the_grams_index(registry):
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM credit_enterprise WHERE credit_name_grams(UPPER(name)) @> ARRAY[UPPER(%s)] LIMIT 200",
            ["格力"],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "credit_ent_name_grams" in plan
    assert names(search_enterprises("tc")) == ["TCL科技集团股份有限公司"]
