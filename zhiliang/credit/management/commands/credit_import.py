from pathlib import Path

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from zhiliang.credit.imports import credit_records_import


class Command(BaseCommand):
    help = "从 .xlsx/.csv 导入信用记录（与网页导入相同的校验）。默认只校验，加 --commit 写入；有任何错误则不写入。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="记录表文件（.xlsx 或 .csv）")
        parser.add_argument("--user", required=True, help="以此用户名义导入（决定来源部门的权限）")
        parser.add_argument(
            "--accept-warnings", action="store_true", help="确认代码校验提示（如早期试点代码）"
        )
        parser.add_argument("--commit", action="store_true", help="写入数据库（默认只校验）")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"没有用户：{options['user']}")
        report = credit_records_import(
            data=path.read_bytes(),
            file_name=path.name,
            actor=user,
            accept_warnings=options["accept_warnings"],
            commit=options["commit"],
        )
        for warning in report.warnings:
            self.stdout.write(f"提示：{warning}")
        if report.errors:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(report.errors)} 处错误，未写入")
        if options["commit"]:
            self.stdout.write(
                f"已写入 {report.created_records} 条记录，新登记 {report.created_enterprises} 家企业"
            )
        else:
            self.stdout.write(f"校验通过：{report.rows} 行（演练，未写入；加 --commit 写入）")
