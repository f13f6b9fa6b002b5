#!/usr/bin/env python3
"""Throughput benchmark for the plan-document parser (no Django).

Generates a corpus of plan files in a temporary directory by varying the project's sample plans
(zhiliang/sample_data/plans/*.txt, or the planparse test fixtures when those are missing):
tasks are shuffled and renumbered, units, regions, years and target numbers are swapped, some
files repeat their document or hold two documents, and some are re-encoded as GB18030 or
UTF-16. It then parses every file with ``zhiliang.lib.planparse.parse_document`` and compares the
time with a floor: decoding the same bytes with the known codec plus one precompiled regex pass
over the text. Both sides are timed in CPU seconds, chunk by chunk and interleaved, best of
--repeat runs per chunk (see main()).

    .venv/bin/python bench/parse_throughput.py --files 1000 --seed 7

The last line is machine-readable: ``docs_per_s=… mb_per_s=… floor_ratio=…`` where floor_ratio is
parser time divided by floor time.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from zhiliang.lib.planparse.decode import decode_document  # noqa: E402

SAMPLES = ROOT / "zhiliang" / "sample_data" / "plans"
FIXTURES = ROOT / "zhiliang" / "lib" / "planparse" / "tests" / "fixtures"

CN_NUM = "一二三四五六七八九十"
TASK_LABEL_RE = re.compile(r"^(\s*)[（(]([一二三四五六七八九十]+)[）)]", re.MULTILINE)
HEADING_RE = re.compile(r"^[一二三四五六七八九十]+、", re.MULTILINE)
# The floor's single pass: level-one headings, task labels and responsibility notes.
FLOOR_RE = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])|（[^（）]{2,200}负责）",
    re.MULTILINE,
)
YEAR_RE = re.compile(r"20[12]\d(?=年)")
TARGET_RE = re.compile(r"(\d+)(?=(?:个|家|项|名|件|%))")

UNIT_POOL = [
    "省质监局", "省工商局", "省经信委", "省发展改革委", "省科技厅", "省商务厅", "省农业厅", "省财政厅",
    "省食品药品监管局", "省卫生计生委", "省住房城乡建设厅", "省交通运输厅", "省旅游局", "省教育厅",
    "省环保厅", "省水利厅", "省林业厅", "省知识产权局", "省人力资源社会保障厅", "省国资委",
]  # fmt: skip
REGION_SWAPS = [("浙江", "安徽"), ("浙江", "江西"), ("浙江", "江苏"), ("浙江", "陕西"), ("浙江", "河北")]
CHUNK = 50  # files per timed chunk
ENCODINGS = [("utf-8", 0.65), ("gb18030", 0.2), ("utf-16", 0.1), ("utf-8-sig", 0.05)]


def cn_numeral(n: int) -> str:
    if n <= 10:
        return CN_NUM[n - 1]
    if n < 20:
        return "十" + (CN_NUM[n - 11] if n > 10 else "")
    tens, ones = divmod(n, 10)
    return CN_NUM[tens - 1] + "十" + (CN_NUM[ones - 1] if ones else "")


def load_sources() -> list[str]:
    paths = sorted(SAMPLES.glob("*.txt")) if SAMPLES.is_dir() else []
    if not paths:
        paths = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".txt", ".html") and p.is_file())
    texts = []
    for p in paths:
        try:
            texts.append(decode_document(p.read_bytes(), filename=p.name).text)
        except Exception as exc:  # a broken sample should not stop the benchmark
            print(f"skipping {p.name}: {exc}", file=sys.stderr)
    if not texts:
        sys.exit("no sample plans found in zhiliang/sample_data/plans or the planparse fixtures")
    return texts


def shuffle_tasks(text: str, rng: random.Random) -> str:
    """Shuffle the task paragraphs inside each level-one section and renumber them."""
    out = []
    for section in re.split(r"(?m)(?=^[一二三四五六七八九十]+、)", text):
        lines = section.split("\n")
        head: list[str] = []
        tasks: list[list[str]] = []
        for line in lines:
            if TASK_LABEL_RE.match(line):
                tasks.append([line])
            elif not tasks:
                head.append(line)
            elif line.strip():
                tasks[-1].append(line)  # continuation paragraph of the task above
        if len(tasks) > 1:
            rng.shuffle(tasks)
        body = []
        for i, block in enumerate(tasks, 1):
            first = TASK_LABEL_RE.sub(lambda m, i=i: f"{m.group(1)}（{cn_numeral(i)}）", block[0], count=1)
            body.extend([first, *block[1:], ""])
        out.append("\n".join(head + body))
    return "".join(out)


def vary(text: str, rng: random.Random) -> str:
    text = shuffle_tasks(text, rng)
    old, new = rng.choice(REGION_SWAPS)
    if rng.random() < 0.5:
        text = text.replace(old, new)
    shift = rng.choice([-2, -1, 0, 1, 2])
    text = YEAR_RE.sub(lambda m: str(int(m.group(0)) + shift), text)
    text = TARGET_RE.sub(lambda m: str(max(1, int(int(m.group(1)) * rng.uniform(0.6, 1.5)))), text)
    a, b = rng.sample(UNIT_POOL, 2)
    text = text.replace(a, "\x00").replace(b, a).replace("\x00", b)
    roll = rng.random()
    if roll < 0.05:
        text = text + "\n\n" + text  # a scraped page repeating the document
    elif roll < 0.08:
        text = text + "\n\n" + vary(rng.choice(SOURCES), rng)  # two documents in one file
    return text


def pick_encoding(rng: random.Random) -> str:
    r, acc = rng.random(), 0.0
    for enc, weight in ENCODINGS:
        acc += weight
        if r < acc:
            return enc
    return "utf-8"


def build_corpus(n: int, seed: int, directory: Path) -> list[tuple[Path, str]]:
    rng = random.Random(seed)
    files = []
    for i in range(n):
        text = vary(rng.choice(SOURCES), rng)
        enc = pick_encoding(rng)
        path = directory / f"plan_{i:05d}.txt"
        path.write_bytes(text.encode(enc))
        files.append((path, enc))
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--files", type=int, default=1000, help="number of plan files to generate (default 1000)"
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed for corpus generation (default 1)")
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed runs of each side; the best is reported (default 3)"
    )
    parser.add_argument(
        "--decode-only", action="store_true", help="time decode_document instead of parse_document"
    )
    args = parser.parse_args(argv)

    if args.decode_only:
        parse = decode_document
    else:
        try:
            from zhiliang.lib.planparse import parse_document as parse
        except ImportError as exc:
            print(
                f"zhiliang.lib.planparse.parse_document is not available ({exc}); use --decode-only",
                file=sys.stderr,
            )
            return 2

    global SOURCES
    SOURCES = load_sources()
    with tempfile.TemporaryDirectory(prefix="planparse-bench-") as tmp:
        files = build_corpus(args.files, args.seed, Path(tmp))
        corpus = [(p.name, p.read_bytes(), enc) for p, enc in files]

    total_bytes = sum(len(data) for _, data, _ in corpus)
    mb = total_bytes / 1e6

    # Warm up lazy imports and caches so they are not billed to the first file.
    for name, data, _ in corpus[:5]:
        parse(data, filename=name)

    # CPU time of this process (time.process_time). The corpus is timed in chunks, each chunk by the
    # parser and then by the floor, so both see the same machine load; each side keeps a chunk's
    # best of --repeat runs. Other work on the machine (a busy CI box, tests in another shell) then
    # moves neither figure much.
    chunks = [corpus[i : i + CHUNK] for i in range(0, len(corpus), CHUNK)]
    best_parse = [float("inf")] * len(chunks)
    best_floor = [float("inf")] * len(chunks)
    failures = hits = 0
    for _ in range(args.repeat):
        failures = hits = 0
        for c, chunk in enumerate(chunks):
            start = time.process_time()
            for name, data, _ in chunk:
                try:
                    parse(data, filename=name)
                except Exception:  # count, don't stop: throughput is what we measure here
                    failures += 1
            best_parse[c] = min(best_parse[c], time.process_time() - start)

            start = time.process_time()
            for _, data, enc in chunk:
                text = data.decode(enc)
                for _m in FLOOR_RE.finditer(text):
                    hits += 1
            best_floor[c] = min(best_floor[c], time.process_time() - start)
    parse_s, floor_s = sum(best_parse), sum(best_floor)

    n = len(corpus)
    docs_per_s = n / parse_s
    mb_per_s = mb / parse_s
    ratio = parse_s / floor_s if floor_s else float("inf")
    label = "decode_document" if args.decode_only else "parse_document"
    print(f"corpus: {n} files, {mb:.2f} MB, {len(SOURCES)} source plan(s), seed {args.seed}")
    print(f"{label}: {parse_s:.3f} s  {docs_per_s:,.1f} docs/s  {mb_per_s:.2f} MB/s  failures {failures}")
    print(
        f"floor (decode + one regex pass, {hits} hits): {floor_s:.3f} s  {n / floor_s:,.1f} docs/s  {mb / floor_s:.2f} MB/s"
    )
    print(f"docs_per_s={docs_per_s:.1f} mb_per_s={mb_per_s:.2f} floor_ratio={ratio:.1f}")
    return 0


SOURCES: list[str] = []

if __name__ == "__main__":
    sys.exit(main())
