"""Send deadline reminders and overdue alerts; with --loop, keep doing it (healthchecks-style)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from zhiliang.alerts.services import reminders_send


class Command(BaseCommand):
    help = (
        "Send the reminders (N days before a reporting date) and overdue alerts due now, in-app and "
        "by e-mail. Each is sent once: running it again, or twice at once, sends nothing new."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Keep running, one scan per interval.")
        parser.add_argument(
            "--interval", type=int, default=300, help="Seconds between scans with --loop (default 300)."
        )

    def handle(self, *args, loop: bool = False, interval: int = 300, **options) -> None:
        while True:
            run = reminders_send()
            self.stdout.write(
                f"reminders: sent={len(run.sent)} emails={run.emails} "
                f"already_sent={run.already_sent} errors={run.errors}"
            )
            if not loop:
                return
            try:
                time.sleep(max(interval, 1))
            except KeyboardInterrupt:
                return
            close_old_connections()  # a long-lived loop must not keep a broken or stale connection
