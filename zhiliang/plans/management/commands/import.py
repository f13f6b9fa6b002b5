"""`zhiliang import FILE... [--commit] [--user USERNAME]`: import plan documents (dry-run by default)."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiliang.plans.services import ImportPreview, PlanImportError, plan_import_confirm, plan_import_preview


def _units(plan: dict) -> list[str]:
    names = []
    for section in plan.get("sections") or []:
        for task in section.get("tasks") or []:
            names.extend(r["name"] for r in task.get("responsible") or [])
            for measure in task.get("measures") or []:
                names.extend(r["name"] for r in measure.get("responsible") or [])
    return list(dict.fromkeys(names))


class Command(BaseCommand):
    help = gettext_lazy(
        "导入行动计划文件（纯文本、.docx 或网页）。默认只预览、不写数据库；加 --commit 才导入。"
        "同一内容的文件只导入一次。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "files", nargs="+", metavar="FILE", help=gettext_lazy("要导入的计划文件，可以有多个")
        )
        parser.add_argument(
            "--commit",
            action="store_true",
            help=gettext_lazy("写入数据库（每个文件单独一个事务）；不加时只打印预览"),
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help=gettext_lazy("记为导入人的用户名（写入来源文件和审计记录）"),
        )

    def handle(self, *args, **options) -> None:
        importer = None
        if options["user"]:
            importer = User.objects.filter(username=options["user"]).first()
            if importer is None:
                raise CommandError(_("用户“%(name)s”不存在") % {"name": options["user"]})
        failed = 0
        for file_arg in options["files"]:
            path = Path(file_arg)
            try:
                try:
                    data = path.read_bytes()
                except OSError as exc:
                    raise PlanImportError(
                        _("文件“%(name)s”：无法读取（%(reason)s）")
                        % {"name": path.name, "reason": exc.strerror or exc}
                    ) from exc
                if options["commit"]:
                    self._commit(data, path.name, importer)
                else:
                    self._preview(plan_import_preview(data=data, file_name=path.name))
            except PlanImportError as exc:
                failed += 1
                self.stderr.write(_("错误：%(message)s") % {"message": exc})
        if not options["commit"]:
            self.stdout.write(_("未写入数据库（加 --commit 导入）"))
        if failed:
            raise CommandError(
                _("%(failed)d 个文件未能处理（共 %(total)d 个）")
                % {"failed": failed, "total": len(options["files"])}
            )

    def _preview(self, preview: ImportPreview) -> None:
        w = self.stdout.write
        w(
            _("文件：%(name)s（%(size)d 字节，%(format)s，%(encoding)s）")
            % {
                "name": preview.file_name,
                "size": preview.size,
                "format": preview.format,
                "encoding": preview.encoding,
            }
        )
        none = _("无")
        for plan in preview.plans:
            tasks = [t for s in plan.get("sections") or [] for t in s.get("tasks") or []]
            w(_("  计划标题：%(title)s") % {"title": plan.get("title") or plan.get("notice_title") or none})
            w(_("  年度：%(year)s") % {"year": plan.get("year") or none})
            w(_("  地区：%(region)s") % {"region": plan.get("region") or none})
            w(_("  任务数：%(count)d") % {"count": len(tasks)})
            w(_("  责任单位数：%(count)d") % {"count": len(_units(plan))})
        w(_("  未识别单位：%(names)s") % {"names": "、".join(preview.unknown_units) or none})
        if preview.warnings:
            w(_("  提示：%(count)d 条") % {"count": len(preview.warnings)})
            for warning in preview.warnings:
                w(f"    - {warning}")
        else:
            w(_("  提示：无"))
        if preview.existing_plans:
            w(_("  已导入过（内容相同），确认导入时不会重复写入"))

    def _commit(self, data: bytes, file_name: str, importer: User | None) -> None:
        result = plan_import_confirm(data=data, file_name=file_name, importer=importer)
        label = _("新导入") if result.created else _("已存在（内容相同）")
        for plan in result.plans:
            self.stdout.write(
                _("%(label)s：%(file)s → %(title)s（%(tasks)d 项任务）")
                % {
                    "label": label,
                    "file": file_name,
                    "title": plan.display_title,
                    "tasks": plan.tasks.count(),
                }
            )
