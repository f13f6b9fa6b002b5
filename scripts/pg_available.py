"""Exit 0 if the PostgreSQL server in DATABASE_URL answers, else print the reason and exit 1.

Connects to the server's `postgres` maintenance database, since the test run creates its own
`test_<name>` database and the named one need not exist.

    python scripts/pg_available.py postgres://postgres@127.0.0.1:5432/zhiliang
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    import dj_database_url
    import psycopg

    url = argv[1]
    cfg = dj_database_url.parse(url)
    if "postgresql" not in cfg["ENGINE"]:
        print(f"not a PostgreSQL URL: {url}")
        return 1
    try:
        with psycopg.connect(
            dbname="postgres",
            user=cfg.get("USER") or None,
            password=cfg.get("PASSWORD") or None,
            host=cfg.get("HOST") or None,
            port=cfg.get("PORT") or None,
            connect_timeout=3,
        ) as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]
            can_create = conn.execute(
                "SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user"
            ).fetchone()[0]
    except psycopg.Error as exc:
        print(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)
        return 1
    if not can_create:
        print(f"user {cfg.get('USER')!r} may not create the test database")
        return 1
    print(f"PostgreSQL {version}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
