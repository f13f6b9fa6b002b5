"""The exports open in LibreOffice: convert each headless to PDF and read the text back.

Skipped, with the reason, when LibreOffice is not installed. To run them on Debian 12:
``apt-get install -y --no-install-recommends libreoffice-writer-nogui libreoffice-calc-nogui``
(about 300 MB installed). The PDF text is read with pypdf when available, else with
``pdftotext`` (poppler-utils), else the test checks only that a non-empty PDF came out.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from zhiliang.assessment import exports
from zhiliang.assessment.models import Bulletin, Stage
from zhiliang.assessment.tests import builders as b

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        SOFFICE is None,
        reason="LibreOffice is not installed (apt-get install --no-install-recommends "
        "libreoffice-writer-nogui libreoffice-calc-nogui)",
    ),
]


def to_pdf_text(tmp_path: Path, name: str, data: bytes) -> str:
    source = tmp_path / name
    source.write_bytes(data)
    profile = tmp_path / "lo-profile"  # a private profile: parallel runs do not fight over a lock
    subprocess.run(  # noqa: S603 (fixed argv, our own file)
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = source.with_suffix(".pdf")
    assert pdf.exists() and pdf.stat().st_size > 1000
    return read_pdf(pdf)


def read_pdf(pdf: Path) -> str:
    try:
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(str(pdf)).pages)
    except ImportError:
        pass
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True)  # noqa: S603, S607
        return out.stdout.decode()
    pytest.skip("a PDF came out, but neither pypdf nor pdftotext is there to read its text")
    return ""


@pytest.fixture
def published(office_admin):
    assessment = b.open_assessment(office_admin)
    b.advance(assessment, office_admin, to=Stage.PUBLISHED, scores={"330200": {"1.1.1": "0"}})
    return assessment


def test_the_bulletin_docx_opens_in_libreoffice(published, tmp_path) -> None:
    text = to_pdf_text(tmp_path, "bulletin.docx", exports.bulletin_docx(Bulletin.objects.get()))
    compact = "".join(text.split())
    assert "浙质办〔2018〕1号" in compact
    assert "宁波市" in compact and "92.00" in compact


def test_the_results_and_scheme_xlsx_open_in_libreoffice(published, tmp_path) -> None:
    text = "".join(to_pdf_text(tmp_path, "results.xlsx", exports.results_xlsx(published)).split())
    assert "宁波市" in text and "92" in text
    scheme_text = "".join(
        to_pdf_text(tmp_path, "scheme.xlsx", exports.scheme_export_xlsx(published.scheme)).split()
    )
    assert "质量安全" in scheme_text and "国办发" in scheme_text


def test_the_bulletin_pdf_is_readable(published, tmp_path) -> None:
    # not LibreOffice, but the same reader: the ReportLab PDF carries its text
    pdf = tmp_path / "bulletin.pdf"
    pdf.write_bytes(exports.bulletin_pdf(Bulletin.objects.get()))
    text = "".join(read_pdf(pdf).split())
    assert "宁波市" in text and "浙质办〔2018〕1号" in text
