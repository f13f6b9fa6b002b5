import datetime

from django.core.management.base import BaseCommand, CommandError

from zhiliang.credit.grading import regrade_all, regrade_dirty
from zhiliang.credit.lists import lists_expire


class Command(BaseCommand):
    help = (
        "重新评级：默认只评记录有变化的企业（增量）；--all 评全部企业（计分期滑动、名单期满，宜每日执行）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="评全部企业，而不只是待重新评级的企业")
        parser.add_argument("--expire-lists", action="store_true", help="先将期满的名单条目移出")
        parser.add_argument("--as-of", help="评定基准日 YYYY-MM-DD（默认今天）")
        parser.add_argument("--limit", type=int, help="本次最多评多少家（仅增量模式）")

    def handle(self, *args, **options):
        as_of = None
        if options["as_of"]:
            try:
                as_of = datetime.date.fromisoformat(options["as_of"])
            except ValueError as exc:
                raise CommandError("--as-of 格式应为 YYYY-MM-DD") from exc
        if options["expire_lists"]:
            self.stdout.write(f"期满移出名单条目 {lists_expire(today=as_of)} 个")
        if options["all"]:
            count = regrade_all(as_of=as_of)
        else:
            count = regrade_dirty(limit=options["limit"], as_of=as_of)
        self.stdout.write(f"已评级企业 {count} 家")
