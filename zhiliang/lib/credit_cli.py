"""`zhiliang credit check CODE...`: validate unified social credit codes without Django.

One line per code: ``CODE<TAB>有效`` / ``CODE<TAB>有效（需人工确认）：…`` / ``CODE<TAB>无效：…``.
Exit status 1 if any code is invalid (2 on a usage error); warnings alone exit 0, or 1 with ``--strict``.
``-`` reads codes from standard input, one per line.
"""

from __future__ import annotations

import sys
from typing import TextIO

from zhiliang.lib.uscc import validate_uscc

USAGE = "用法：zhiliang credit check [--strict] 代码... （“-”表示从标准输入逐行读取）"


def check(codes: list[str], *, strict: bool = False, out: TextIO) -> int:
    status = 0
    for code in codes:
        result = validate_uscc(code)
        shown = result.normalized or code
        out.write(f"{shown}\t{result.summary()}\n")
        if not result.valid or (strict and result.warnings):
            status = 1
    return status


def main(argv: list[str] | None = None, *, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    out = stdout or sys.stdout
    if not argv or argv[0] in ("-h", "--help"):
        out.write(USAGE + "\n")
        return 0 if argv else 2
    if argv[0] != "check":
        sys.stderr.write(f"未知子命令：{argv[0]}\n{USAGE}\n")
        return 2
    args = argv[1:]
    strict = "--strict" in args
    codes: list[str] = []
    for arg in args:
        if arg == "--strict":
            continue
        if arg == "-":
            codes.extend(line.strip() for line in (stdin or sys.stdin) if line.strip())
        elif arg.startswith("--"):
            sys.stderr.write(f"未知选项：{arg}\n{USAGE}\n")
            return 2
        else:
            codes.append(arg)
    if not codes:
        sys.stderr.write(USAGE + "\n")
        return 2
    return check(codes, strict=strict, out=out)


if __name__ == "__main__":
    sys.exit(main())
