from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiliang.sample_data.loader import sample_data_load


class Command(BaseCommand):
    help = gettext_lazy(
        "载入演示数据：浙江省、杭州市等机构，演示账号（密码取自环境变量 ZHILIANG_DEMO_PASSWORD），"
        "以及三份示例行动计划。可重复运行，第二次运行不做任何修改。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--quiet", action="store_true", help=gettext_lazy("不打印账号表和导入结果"))

    def handle(self, *args, **options) -> None:
        result = sample_data_load()
        if options["quiet"]:
            return
        w = self.stdout.write
        for file_name, imported in result.imports:
            label = _("新导入") if imported.created else _("已存在（内容相同）")
            for plan in imported.plans:
                w(f"{label}：{file_name} → {plan.display_title}")
        w("")
        w(_("演示账号："))
        header = (_("用户名"), _("密码"), _("机构"), _("角色"))
        rows = [(login.username, result.password, login.organisation, login.role) for login in result.logins]
        widths = [max(_width(str(row[i])) for row in [header, *rows]) for i in range(4)]
        for row in [header, *rows]:
            w("  ".join(_pad(str(cell), width) for cell, width in zip(row, widths)).rstrip())


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
