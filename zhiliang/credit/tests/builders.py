"""Small builders for credit tests (plain functions, so any test module can import them)."""

from __future__ import annotations

import datetime
import io

from django.utils import timezone

from zhiliang import factories
from zhiliang.credit import services
from zhiliang.credit.models import CreditRecord, Enterprise, RecordType
from zhiliang.lib.uscc import compute_check_char, make_uscc

# Synthetic, not real entities (domain.md §1.6).
ZJ_USCC = make_uscc("9", "1", "330100", "MA2MXB7Q")  # registered in 杭州市
ZJ_USCC_2 = make_uscc("9", "1", "330200", "74894231")  # 宁波市
AH_USCC = "91340100MA2MXB7Q8C"  # 合肥市
PILOT_USCC = "91350100M0001TGQXM"  # real Fujian pilot code: outer check fails
# The same shape registered in 杭州市: organisation-code check passes, outer check deliberately wrong.
_PILOT_ZJ_17 = "91330100M0001TGQX"
PILOT_ZJ_USCC = _PILOT_ZJ_17 + ("0" if compute_check_char(_PILOT_ZJ_17) != "0" else "1")


def today() -> datetime.date:
    return timezone.localdate()


def enterprise(uscc: str = ZJ_USCC, name: str = "杭州测试电器有限公司", **kwargs) -> Enterprise:
    return services.enterprise_register(uscc=uscc, name=name, actor=None, **kwargs)


def record(
    ent: Enterprise,
    type_code: str = "SAMPLING_FAIL",
    *,
    department: str = "QTS",
    region: str = "330000",
    occurred_on: datetime.date | None = None,
    product: str = "电热水壶",
    **kwargs,
) -> CreditRecord:
    return services.credit_record_create(
        enterprise=ent,
        record_type=RecordType.objects.get(code=type_code),
        source_department=factories.department(department),
        source_region=factories.region(region),
        source_authority=kwargs.pop("source_authority", "浙江省质量技术监督局"),
        occurred_on=occurred_on or today(),
        product=product,
        **kwargs,
    )


def csv_bytes(rows: list[list[str]]) -> bytes:
    import csv

    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
