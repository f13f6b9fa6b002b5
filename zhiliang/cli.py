"""The `zhiliang` command.

`zhiliang parse …` runs the pure document parser and `zhiliang credit check CODE…` the pure USCC
validator; neither imports Django, so they start fast.
Every other sub-command is a Django management command (`zhiliang import`, `zhiliang migrate`,
`zhiliang load_sample_data`, …) run against the project's settings.
"""

from __future__ import annotations

import os
import sys

PURE_COMMANDS = {"parse"}
PURE_CREDIT_SUBCOMMANDS = {"check", "-h", "--help"}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in PURE_COMMANDS:
        from zhiliang.lib.planparse.cli import main as parse_main

        return parse_main(argv[1:])
    if argv[:1] == ["credit"] and (len(argv) == 1 or argv[1] in PURE_CREDIT_SUBCOMMANDS):
        from zhiliang.lib.credit_cli import main as credit_main

        return credit_main(argv[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhiliang.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["zhiliang", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
