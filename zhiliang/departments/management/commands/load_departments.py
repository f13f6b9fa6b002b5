from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiliang.departments.services import DEPARTMENTS_CSV, department_registry_sync


class Command(BaseCommand):
    help = gettext_lazy(
        "把内置的部门代码表（departments.csv）载入数据库：部门及其规范名称、别名和国家层面名称。可重复运行。"
    )

    def handle(self, *args, **options) -> None:
        result = department_registry_sync(path=DEPARTMENTS_CSV)
        self.stdout.write(
            _("部门：新增 %(created)d 个，更新 %(updated)d 个；别名：新增 %(aliases)d 个")
            % {
                "created": result.departments_created,
                "updated": result.departments_updated,
                "aliases": result.aliases_created,
            }
        )
