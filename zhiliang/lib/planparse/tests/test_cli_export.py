"""CLI exit codes/messages, the export formats, and the seed score (shared/ is optional)."""

import importlib.util
import io
import json
from pathlib import Path

import pytest

from zhiliang.lib.planparse import export, parse_text
from zhiliang.lib.planparse.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "parse"
SHARED = Path(__file__).resolve().parents[4].parent / "shared"


def test_cli_json(capsys):
    assert main([str(FIXTURES / "notice_plan.txt"), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data[0]["source"] == "notice_plan.txt"
    assert data[0]["doc_number"] == "浙政办发〔2017〕45号"
    task = data[0]["sections"][2]["tasks"][0]
    assert set(task) >= {
        "number",
        "label",
        "title",
        "text",
        "measures",
        "responsible",
        "targets",
        "deadlines",
    }


def test_cli_missing_and_planless_files(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("只有一句话，没有任何编号。", encoding="utf-8")
    rc = main([str(tmp_path / "nope.txt"), str(empty), str(FIXTURES / "trad.txt")])
    out, err = capsys.readouterr()
    assert rc == 1
    assert "nope.txt" in err and "文件不存在" in err
    assert "empty.txt" in err and "未找到任何计划" in err
    assert [p["source"] for p in json.loads(out)] == ["trad.txt"]  # the other files are still printed


def test_cli_bad_format(capsys):
    assert main(["x.txt", "--format", "pdf"]) == 2
    assert "不支持的输出格式" in capsys.readouterr().err


def test_cli_md_and_xlsx(tmp_path, capsys):
    out = tmp_path / "plan.md"
    assert main([str(FIXTURES / "city_levels.txt"), "--format", "md", "-o", str(out)]) == 0
    md = out.read_text(encoding="utf-8")
    assert "# 杭州市质量强市2018年工作要点" in md and "市市场监管局" in md
    xlsx = tmp_path / "plan.xlsx"
    assert main([str(FIXTURES / "city_levels.txt"), "--format", "xlsx", "-o", str(xlsx)]) == 0
    from openpyxl import load_workbook

    ws = load_workbook(xlsx).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == export.XLSX_COLUMNS
    assert rows[1][3] == "市市场监管局"  # 牵头单位 of the first measure with a note
    assert any(r[5] and "2018-10-31" in r[5] for r in rows[1:])


def test_to_dict_matches_contract_names():
    text = (FIXTURES / "notice_plan.txt").read_text(encoding="utf-8")
    d = parse_text(text, source="a.txt")[0].to_dict()
    for key in ("source", "title", "notice_title", "issuer", "doc_number", "date", "year", "region", "level"):
        assert key in d
    assert isinstance(d["basis"], list) and isinstance(d["warnings"], list)
    assert d["duplicates_removed"] == 0
    r = d["sections"][2]["tasks"][0]["responsible"][0]
    assert set(r) == {"name", "role", "department"}
    dl = d["sections"][2]["tasks"][2]["deadlines"][0]
    assert set(dl) == {"text", "date", "recurring"}
    tg = d["sections"][2]["tasks"][0]["targets"][0]
    assert set(tg) >= {"text", "subject", "value", "unit", "comparator", "breakdown"}


def test_import_is_cheap():
    import subprocess
    import sys

    code = (
        "import sys, zhiliang.lib.planparse;"
        "bad = [m for m in ('django', 'openpyxl', 'opencc', 'bs4', 'docx') if m in sys.modules];"
        "print(','.join(bad))"
    )
    out = subprocess.run(  # noqa: S603 - runs this interpreter on a fixed snippet
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == ""


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="shared seeds not present")
def test_seed_scores_are_perfect(capsys):
    spec = importlib.util.spec_from_file_location("score_plans", SHARED / "bench" / "score_plans.py")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    files = sorted(str(p) for p in (SHARED / "seeds").glob("*.txt"))
    assert main([*files, "--format", "json"]) == 0
    pred = json.loads(capsys.readouterr().out)
    gold = json.loads((SHARED / "gold" / "seeds.json").read_text(encoding="utf-8"))
    figs, _, misses = scorer.score(gold, pred)
    assert all(abs(v - 1.0) < 1e-9 for v in figs.values()), (figs, misses[:10])


def test_markdown_lists_warnings():
    text = "湖南省2016年质量工作要点\n一、重点任务\n（一）开展质量月活动。\n"
    md = export.to_markdown(parse_text(text, source="x.txt"))
    assert "## 提示" in md and "未找到责任单位" in md
    assert io.StringIO(md).read()
