"""`zhiliang parse FILE... --format json|xlsx|md [-o OUT]` (messages to users in Simplified Chinese)."""

from __future__ import annotations

import sys
from pathlib import Path

USAGE = "用法：zhiliang parse 文件... [--format json|xlsx|md] [-o 输出文件]"


# Options that take a value: option → (setting, message when the value is missing).
_VALUE_OPTIONS = {
    "--format": ("format", "缺少 --format 的取值（json、xlsx 或 md）"),
    "-f": ("format", "缺少 --format 的取值（json、xlsx 或 md）"),
    "--output": ("output", "缺少 -o 的输出文件名"),
    "-o": ("output", "缺少 -o 的输出文件名"),
}


def _args(argv: list[str]) -> tuple[list[str], str, str | None] | str:
    files: list[str] = []
    settings: dict[str, str | None] = {"format": "json", "output": None}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("-h", "--help"):
            return "help"
        name, eq, value = a.partition("=")
        if a in _VALUE_OPTIONS:
            key, missing = _VALUE_OPTIONS[a]
            if i + 1 >= len(argv):
                return missing
            settings[key] = argv[i + 1]
            i += 2
            continue
        if eq and name in ("--format", "--output"):
            settings[_VALUE_OPTIONS[name][0]] = value
        elif a.startswith("-") and a != "-":
            return f"未知选项：{a}"
        else:
            files.append(a)
        i += 1
    fmt, out = settings["format"], settings["output"]
    if fmt not in ("json", "xlsx", "md"):
        return f"不支持的输出格式“{fmt}”，请使用 json、xlsx 或 md"
    if not files:
        return "请至少指定一个要解析的文件"
    return files, fmt, out


def main(argv: list[str]) -> int:
    parsed = _args(argv)
    if parsed == "help":
        print(USAGE)
        return 0
    if isinstance(parsed, str):
        print(f"zhiliang parse：{parsed}\n{USAGE}", file=sys.stderr)
        return 2
    files, fmt, out = parsed
    from .decode import UnreadableDocument
    from .parse import parse_document

    plans = []
    status = 0
    for name in files:
        path = Path(name)
        try:
            data = sys.stdin.buffer.read() if name == "-" else path.read_bytes()
        except FileNotFoundError:
            print(f"zhiliang parse：{name}：文件不存在", file=sys.stderr)
            status = 1
            continue
        except IsADirectoryError:
            print(f"zhiliang parse：{name}：这是一个目录，不是文件", file=sys.stderr)
            status = 1
            continue
        except OSError as e:
            print(f"zhiliang parse：{name}：无法读取文件（{e.strerror or e}）", file=sys.stderr)
            status = 1
            continue
        try:
            found = parse_document(data, filename=path.name if name != "-" else "stdin")
        except UnreadableDocument as e:
            print(f"zhiliang parse：{name}：无法解析（{e}）", file=sys.stderr)
            status = 1
            continue
        if not found:
            print(f"zhiliang parse：{name}：未找到任何计划（没有可识别的章节或任务）", file=sys.stderr)
            status = 1
            continue
        plans.extend(found)
    from . import export

    if fmt == "xlsx":
        payload = export.to_xlsx(plans)
        if out:
            Path(out).write_bytes(payload)
        elif sys.stdout.isatty():
            print("zhiliang parse：xlsx 为二进制格式，请用 -o 指定输出文件", file=sys.stderr)
            return 2
        else:
            sys.stdout.buffer.write(payload)
        return status
    text = export.to_json(plans) if fmt == "json" else export.to_markdown(plans)
    if out:
        Path(out).write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")
    return status
