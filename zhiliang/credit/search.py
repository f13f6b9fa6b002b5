"""Enterprise search for the public one-stop query (一站式查询): by name or by USCC.

One entry point, ``search_enterprises(query, limit=20)``, and a backend per database vendor:

- a **code query** (15–18 characters of the USCC alphabet, spaces and hyphens ignored) goes to the
  unique index on ``uscc``: an equality for 18 characters, a range scan for a 15–17 character prefix;
- a **name query** on **SQLite** goes to two FTS5 tables kept in sync by triggers (migration
  ``credit_search_fts``):

  * ``credit_enterprise_fts`` (``tokenize='trigram'``, external content = ``credit_enterprise``)
    answers queries of 3 characters or more with a quoted phrase, i.e. an exact substring match.
    The first ``CANDIDATES`` hits are taken *without* ``ORDER BY`` and without ``bm25()`` and ranked
    in Python (exact name, then prefix, then current name, then shorter names). Both matter: sorting
    the hit set of "有限公司" touches a million rows, and ``bm25()`` even on 200 rows first counts
    every row matching the phrase (its IDF), which is the same million.
  * ``credit_enterprise_chars`` (contentless; its tokens are every character and every pair of
    neighbouring characters) answers 1–2 character queries, which a trigram index cannot: "格力" is
    the single token ``格力``, "格" the token ``格``.
  * Only when the exact phrase has no hit at all, the query is split into its trigrams, the very
    common ones are dropped (document frequency from ``credit_enterprise_fts_vocab``), the rarest
    ones whose document frequencies add up to ``FUZZY_BUDGET`` are OR-ed and ranked by bm25: one
    mistyped character still finds the company, and the work is bounded.

- a **name query** on **PostgreSQL** uses ``name__icontains`` for 3+ characters, which the GIN
  ``gin_trgm_ops`` index on ``UPPER(name)`` serves (or, for a very common substring, a sequential
  scan that stops at the ``LIMIT``: the planner's choice), the GIN index on the characters and
  character pairs of the name (``credit_name_grams``) for 1–2 characters, and ``pg_trgm`` word
  similarity as the fuzzy fallback.

User text never reaches SQL or the FTS5 query language unquoted: every FTS5 string is a double-quoted
phrase with inner quotes doubled, so ``"``, ``*``, ``NEAR``, ``OR`` and ``-`` are plain characters.

    >>> normalise_query("  杭州　　ＡＢＣ ")
    '杭州 ABC'
    >>> code_query("91340100-MA2MXB7Q8C")
    '91340100MA2MXB7Q8C'
    >>> fts_phrase('a"b*')
    '"a""b*"'
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.db import connections
from django.db.models import Q
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from zhiliang.credit.models import Enterprise

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CODE_RE = re.compile(rf"^[{USCC_ALPHABET}]{{15,18}}$")
_SPACES_RE = re.compile(r"\s+")
# Longer input is cut: no company name is longer, and it bounds the work one request can cause.
MAX_QUERY_CHARS = 60
# Hits taken from the index before ranking; enough to contain every exact and prefix match that
# the B-tree lookup did not already return, small enough to rank in well under a millisecond.
CANDIDATES = 200
# Trigrams present in more names than this carry no information for the fuzzy fallback
# ("有限公" is in nearly every name) and would make its bm25 ranking sort a huge hit set.
FUZZY_MAX_DOC_FREQ = 5000
# The fuzzy OR-query takes the rarest useful trigrams while their document frequencies add up to at
# most this many rows: bm25 ranks at most that many.
FUZZY_BUDGET = 10000
# pg_trgm word similarity needed for a fuzzy hit on PostgreSQL.
FUZZY_PG_THRESHOLD = "0.45"


def normalise_query(query: str) -> str:
    """NFKC (full-width → half-width), collapse whitespace, cut to MAX_QUERY_CHARS."""
    text = unicodedata.normalize("NFKC", query or "")
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")  # no control characters
    return _SPACES_RE.sub(" ", text).strip()[:MAX_QUERY_CHARS]


def code_query(query: str) -> str | None:
    """The query as a (partial) USCC if it is one: 15–18 characters of the USCC alphabet."""
    code = re.sub(r"[\s\-]", "", normalise_query(query)).upper()
    return code if _CODE_RE.match(code) else None


def fts_phrase(text: str) -> str:
    """Quote text as one FTS5 phrase: the query language sees no operators in it."""
    return '"' + text.replace('"', '""') + '"'


def trigrams(text: str) -> list[str]:
    """Distinct 3-character windows, in order of appearance (lower-cased like the FTS5 index)."""
    text = text.lower()
    seen: dict[str, None] = {}
    for i in range(len(text) - 2):
        seen.setdefault(text[i : i + 3], None)
    return list(seen)


@dataclass(frozen=True)
class Hit:
    id: int
    name: str
    score: float = 0.0  # lower is better (bm25 in SQLite is negative; 0 when unranked)


def rank_hits(query: str, hits: Sequence[Hit], *, limit: int) -> list[int]:
    """Order hits: exact name, names starting with the query, names containing it (not only a former
    name), then score, then shorter names."""
    folded = query.casefold()
    best: dict[int, tuple] = {}
    for hit in hits:
        name = hit.name.casefold()
        tier = 0 if name == folded else 1 if name.startswith(folded) else 2 if folded in name else 3
        key = (tier, hit.score, len(name), hit.id)
        if hit.id not in best or key < best[hit.id]:
            best[hit.id] = key
    return [pk for pk, _ in sorted(best.items(), key=lambda kv: kv[1])[:limit]]


class SearchBackend(Protocol):
    """What a search backend does: ``name_ids`` ranks ids (may be fuzzy), ``code_enterprises`` is exact."""

    def code_enterprises(self, code: str, *, limit: int) -> list[Enterprise]: ...

    def name_ids(self, query: str, *, limit: int) -> list[int]: ...


class _OrmCodeLookup:
    """Code lookups through the unique B-tree index on uscc: the same on every database."""

    using = "default"

    def code_enterprises(self, code: str, *, limit: int) -> list[Enterprise]:
        from zhiliang.credit.models import Enterprise

        qs = Enterprise.objects.using(self.using).select_related("region")
        if len(code) == 18:
            return list(qs.filter(uscc=code)[:limit])
        # "Z" sorts after every character of the alphabet, so this is a prefix range on the index.
        return list(qs.filter(uscc__gte=code, uscc__lt=code + "Z").order_by("uscc")[:limit])


class SqliteFtsBackend(_OrmCodeLookup):
    """FTS5 trigram + per-character tables; see the module docstring."""

    def __init__(self, using: str = "default") -> None:
        self.using = using

    def _rows(self, sql: str, params: Sequence[object]) -> list[tuple]:
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _prefix_hits(self, query: str, limit: int) -> list[Hit]:
        # A range on the name index: exact names and names starting with the query, however common.
        rows = self._rows(
            "SELECT id, name FROM credit_enterprise WHERE name >= %s AND name < %s ORDER BY name LIMIT %s",
            [query, query + "\U0010ffff", limit],
        )
        return [Hit(pk, name) for pk, name in rows]

    def name_ids(self, query: str, *, limit: int) -> list[int]:
        hits = self._prefix_hits(query, limit)
        if len(query) < 3:
            chars = [ch for ch in query if not ch.isspace()]
            if len(chars) == 2 and all(ch.isalnum() for ch in chars):
                phrase = fts_phrase("".join(chars))  # one token: the pair of characters
            else:
                phrase = fts_phrase(" ".join(chars))  # rare: a character the tokenizer drops
            if chars:
                rows = self._rows(
                    "SELECT c.rowid, e.name FROM credit_enterprise_chars c "
                    "JOIN credit_enterprise e ON e.id = c.rowid "
                    "WHERE credit_enterprise_chars MATCH %s LIMIT %s",
                    [phrase, CANDIDATES],
                )
                folded = query.casefold()
                hits += [Hit(pk, name) for pk, name in rows if folded in name.casefold()]
            return rank_hits(query, hits, limit=limit)
        # No bm25() here: it would count every row matching the phrase, however small the LIMIT.
        rows = self._rows(
            "SELECT rowid, name FROM credit_enterprise_fts WHERE credit_enterprise_fts MATCH %s LIMIT %s",
            [fts_phrase(query), CANDIDATES],
        )
        hits += [Hit(pk, name) for pk, name in rows]
        if not hits and len(query) >= 4:
            hits = self._fuzzy_hits(query, limit)
        return rank_hits(query, hits, limit=limit)

    def _fuzzy_hits(self, query: str, limit: int) -> list[Hit]:
        grams = trigrams(query)
        placeholders = ", ".join(["%s"] * len(grams))
        freq = dict(
            self._rows(
                f"SELECT term, doc FROM credit_enterprise_fts_vocab WHERE term IN ({placeholders})",  # noqa: S608 -- only %s placeholders
                grams,
            )
        )
        useful = sorted((g for g in grams if 0 < freq.get(g, 0) <= FUZZY_MAX_DOC_FREQ), key=freq.__getitem__)
        chosen: list[str] = []
        total = 0
        for gram in useful:
            if chosen and total + freq[gram] > FUZZY_BUDGET:
                break
            chosen.append(gram)
            total += freq[gram]
        if not chosen:
            return []
        rows = self._rows(
            "SELECT rowid, name, bm25(credit_enterprise_fts) FROM credit_enterprise_fts "
            "WHERE credit_enterprise_fts MATCH %s ORDER BY rank LIMIT %s",
            [" OR ".join(fts_phrase(g) for g in chosen), limit * 3],
        )
        # A typo destroys at most three trigrams; a candidate must share a fair part of all of them
        # (the common ones left out of the OR count too).
        need = max(1, math.ceil(len(grams) * 0.4))
        wanted = set(grams)
        return [
            Hit(pk, name, score)
            for pk, name, score in rows
            if len(wanted.intersection(trigrams(name))) >= need
        ]


class PostgresTrigramBackend(_OrmCodeLookup):
    """``pg_trgm`` GIN on UPPER(name) for 3+ characters (``name__icontains``), the GIN index on
    ``credit_name_grams(UPPER(name))`` for 1–2, word similarity for typos; see the module docstring."""

    def __init__(self, using: str = "default") -> None:
        self.using = using

    def name_ids(self, query: str, *, limit: int) -> list[int]:
        from zhiliang.credit.models import Enterprise

        qs = Enterprise.objects.using(self.using)
        # Exact name and prefix through the B-tree (varchar_pattern_ops) index on name. order_by()
        # clears Enterprise's default ordering: "ORDER BY name" would walk the whole name index.
        prefix = qs.filter(name__startswith=query).order_by().values_list("pk", "name")[:limit]
        hits = [Hit(pk, name) for pk, name in prefix]
        if len(query) < 3:
            # No trigram in the query: pg_trgm would read its whole index. The characters-and-pairs
            # index answers instead, or, for a common pair ("有限"), a sequential scan that stops at
            # the LIMIT; the LIKE (cheap, evaluated first) keeps that scan from calling the function
            # (declared costly) on every row.
            pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            with connections[self.using].cursor() as cursor:
                cursor.execute(
                    "SELECT id, name FROM credit_enterprise WHERE UPPER(name) LIKE UPPER(%s) "
                    "AND credit_name_grams(UPPER(name)) @> ARRAY[UPPER(%s)] LIMIT %s",
                    [pattern, query, CANDIDATES],
                )
                hits += [Hit(pk, name) for pk, name in cursor.fetchall()]
            return rank_hits(query, hits, limit=limit)
        matches = Q(name__icontains=query) | Q(former_names_text__icontains=query)
        rows = qs.filter(matches).order_by().values_list("pk", "name")[:CANDIDATES]  # no ORDER BY
        hits += [Hit(pk, name) for pk, name in rows]
        if not hits:
            hits = self._fuzzy_hits(qs, query, limit)
        return rank_hits(query, hits, limit=limit)

    def _fuzzy_hits(self, qs, query: str, limit: int) -> list[Hit]:
        from django.contrib.postgres.search import TrigramWordSimilarity
        from django.db import transaction
        from django.db.models import BooleanField
        from django.db.models.expressions import RawSQL
        from django.db.models.functions import Upper

        upper = query.upper()
        with transaction.atomic(using=self.using), connections[self.using].cursor() as cursor:
            # The default 0.6 misses one wrong character in a 7-character Chinese query (0.5).
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)", [FUZZY_PG_THRESHOLD]
            )
            similar = (
                # django.contrib.postgres is not installed, so no trigram lookups: the operator itself,
                # `%>` (word similarity above the threshold), which the GIN index answers.
                qs.filter(
                    RawSQL("UPPER(credit_enterprise.name) %%> %s", [upper], output_field=BooleanField())
                )
                .annotate(similarity=TrigramWordSimilarity(upper, Upper("name")))
                .order_by("-similarity", "pk")
                .values_list("pk", "name", "similarity")[:limit]
            )
            return [Hit(pk, name, -similarity) for pk, name, similarity in similar]


class LikeBackend(_OrmCodeLookup):
    """Any other database: a plain ``icontains`` scan. Correct, slow at scale; also the bench baseline."""

    def __init__(self, using: str = "default") -> None:
        self.using = using

    def name_ids(self, query: str, *, limit: int) -> list[int]:
        from zhiliang.credit.models import Enterprise

        rows = (
            Enterprise.objects.using(self.using)
            .filter(name__icontains=query)
            .order_by()
            .values_list("pk", "name")
        )
        return rank_hits(query, [Hit(pk, name) for pk, name in rows[:CANDIDATES]], limit=limit)


def get_backend(using: str = "default") -> SearchBackend:
    """The backend for the database alias, or ``settings.CREDIT_SEARCH_BACKEND`` (a dotted path)."""
    path = getattr(settings, "CREDIT_SEARCH_BACKEND", None)
    if path:
        return import_string(path)(using=using)
    vendor = connections[using].vendor
    if vendor == "sqlite":
        return SqliteFtsBackend(using)
    if vendor == "postgresql":
        return PostgresTrigramBackend(using)
    return LikeBackend(using)


def search_enterprises(query: str, *, limit: int = 20, using: str = "default") -> list[Enterprise]:
    """Enterprises whose name contains the query (best first), or whose USCC is or starts with it."""
    from zhiliang.credit.models import Enterprise

    limit = max(1, min(int(limit), 100))
    backend = get_backend(using)
    code = code_query(query)
    if code:
        return backend.code_enterprises(code, limit=limit)
    text = normalise_query(query)
    ids = backend.name_ids(text, limit=limit) if text else []
    if not ids:
        return []
    found = Enterprise.objects.using(using).select_related("region").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]
