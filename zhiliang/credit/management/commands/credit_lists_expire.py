import datetime

from django.core.management.base import BaseCommand, CommandError

from zhiliang.credit.grading import regrade_dirty
from zhiliang.credit.lists import lists_expire


class Command(BaseCommand):
    help = "将列入期满的红黑名单条目移出并记录（每日执行），随后为相关企业重新评级。"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按此日期判断期满 YYYY-MM-DD（默认今天）")

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError("--today 格式应为 YYYY-MM-DD") from exc
        count = lists_expire(today=today)
        graded = regrade_dirty(as_of=today)
        self.stdout.write(f"期满移出 {count} 个名单条目，重新评级 {graded} 家企业")
