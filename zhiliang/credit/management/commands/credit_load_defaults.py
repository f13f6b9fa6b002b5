from django.core.management.base import BaseCommand
from django.db import transaction

from zhiliang.credit.defaults import load_defaults


class Command(BaseCommand):
    help = "载入（或更新）内置的信用记录类型、评级方案和红黑名单认定标准（credit/data/*.json）。按代码匹配，可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true", help="写入数据库（默认只演练并回滚）")

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = load_defaults()
            self.stdout.write(
                f"记录类型 {counts['record_types']} 个，评级方案 {counts['schemes']} 个，认定标准 {counts['criteria']} 个"
            )
            if not options["commit"]:
                transaction.set_rollback(True)
                self.stdout.write("演练模式：未写入（加 --commit 写入）")
