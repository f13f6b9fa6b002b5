from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from zhiliang.jobs.schedule import due_jobs


class Command(BaseCommand):
    help = "定时把周期性任务（提醒、名单到期、信用重评、清理未确认的导入）放入任务队列，由 db_worker 执行。"

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="持续运行，每隔 --interval 秒检查一次")
        parser.add_argument("--interval", type=int, default=60, help="检查间隔（秒），默认 60")

    def handle(self, *args, loop: bool, interval: int, **options):
        last_run: dict = {}
        while True:
            now = timezone.now()
            for job in due_jobs(last_run, now):
                result = job.task().enqueue()
                last_run[job.task_path] = now
                self.stdout.write(f"{now:%Y-%m-%d %H:%M:%S} 已排队：{job.task_path}（{result.id}）")
            if not loop:
                return
            time.sleep(interval)
