"""Turn the bytes of an uploaded plan document into clean Simplified-Chinese text.

Handles plain text in the encodings met on Chinese government sites (UTF-8 with or without BOM,
GB18030/GBK/GB2312, Big5, UTF-16 with or without BOM), .docx files and scraped HTML pages.
The format is sniffed from the bytes, never from the file name.

Heavy dependencies (python-docx, BeautifulSoup, OpenCC, charset-normalizer) are imported lazily so
the common path, a UTF-8 text file, stays cheap.
"""

from __future__ import annotations

import codecs
import io
import re
import threading
import zipfile
from dataclasses import dataclass, field

__all__ = ["DecodedDocument", "UnreadableDocument", "decode_document"]


@dataclass(frozen=True)
class DecodedDocument:
    text: str  # Simplified Chinese, '\n' line breaks, BOM / zero-width removed, NBSP -> space
    encoding: str  # 'utf-8', 'gb18030', 'utf-16-le', ... ('utf-8' for docx)
    format: str  # 'text' | 'docx' | 'html'
    traditional: bool  # True when Traditional characters were converted
    warnings: list[str] = field(default_factory=list)


class UnreadableDocument(Exception):
    """The bytes cannot be turned into text; str(e) is a Simplified-Chinese reason."""


# --------------------------------------------------------------------------- public entry


def decode_document(data: bytes, *, filename: str = "") -> DecodedDocument:
    """Decode *data* (a whole file) into a :class:`DecodedDocument`.

    *filename* is only used in messages; the format is detected from the bytes.
    """
    if _BLANK_BYTES_RE.match(data):  # also matches b""
        raise UnreadableDocument("文件为空")

    head = data[:8]
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        text, warnings = _decode_docx(data)
        fmt, encoding = "docx", "utf-8"
    elif head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise UnreadableDocument(
            "文件是旧版 Word（.doc）或已加密的 Office 文件，请另存为 .docx 或纯文本后再上传"
        )
    elif head.startswith(b"%PDF"):
        raise UnreadableDocument("暂不支持 PDF 文件，请先转换为 .docx 或纯文本")
    elif head.startswith(b"{\\rtf"):
        raise UnreadableDocument("暂不支持 RTF 文件，请另存为 .docx 或纯文本")
    else:
        raw, encoding, warnings = _decode_bytes(data, html=_looks_like_html_bytes(data))
        if _looks_like_html(raw):
            fmt = "html"
            text = _html_to_text(raw)
        else:
            fmt = "text"
            text = raw

    special = _SPECIAL_RE.search(text) is not None  # one pass: the common file needs no fixing
    if special:
        text = _clean(text)
    if not text.strip():
        raise UnreadableDocument("文件为空" if fmt == "text" else "文件中没有可读取的文字")

    if special:
        text, traditional, trad_warnings = _to_simplified(text)
    else:
        traditional, trad_warnings = False, []
    return DecodedDocument(
        text=text,
        encoding=encoding,
        format=fmt,
        traditional=traditional,
        warnings=warnings + trad_warnings,
    )


# --------------------------------------------------------------------------- text cleanup

# Zero-width and other invisible characters that break label and name matching.
_INVISIBLE_RE = re.compile("[\ufeff\u200b\u200c\u200d\u2060\u00ad\u200e\u200f\u202a-\u202e\x00]")
_LINEBREAK_RE = re.compile("\r\n?|[\u2028\u2029\x0b\x0c\x85]")
_NBSP_RE = re.compile("[\u00a0\u202f\u2007]")
_BLANK_BYTES_RE = re.compile(rb"[ \t\r\n\x00\xef\xbb\xbf\xff\xfe]*+\Z")


def _clean(text: str) -> str:
    # Each pass runs only when needed: the common UTF-8 file has none of these.
    if "\r" in text or _LINEBREAK_RE.search(text):
        text = _LINEBREAK_RE.sub("\n", text)
    if _INVISIBLE_RE.search(text):
        text = _INVISIBLE_RE.sub("", text)
    if _NBSP_RE.search(text):
        text = _NBSP_RE.sub(" ", text)
    return text


# --------------------------------------------------------------------------- byte decoding

_CJK_RE = re.compile("[\u4e00-\u9fff]")
# Characters a real Chinese document is made of: CJK, ASCII, CJK and full-width punctuation.
_PLAUSIBLE_RE = re.compile(
    "[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\x20-\x7e\n\r\t\u2014\u2026\u201c\u201d\u2018\u2019\u00b7\u2460-\u24ff\u2160-\u217f\u3400-\u4dbf]"
)
# Very common characters, shared by Simplified and Traditional text; a wrong double-byte codec
# produces text that almost never contains them.
_COMMON_CHARS = "的是在和了有不为与一中年大国人业发展质量工作建设推进开展加强省市县"
# Counting by deleting everything else builds one string instead of a list of matches.
_NON_CJK_RE = re.compile("[^\u4e00-\u9fff]+")
_NOT_COMMON_RE = re.compile(f"[^{_COMMON_CHARS}]+")

_CHARSET_BYTES_RE = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE
)
_CODEC_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "gb18030": "gb18030",
    "big5": "cp950",
    "big5-hkscs": "big5hkscs",
    "utf8": "utf-8",
    "utf-8": "utf-8",
}


def _plausibility(text: str) -> float:
    if not text:
        return 0.0
    return len(_PLAUSIBLE_RE.findall(text)) / len(text)


def _decode_bytes(data: bytes, *, html: bool = False) -> tuple[str, str, list[str]]:
    """Return (text, encoding, warnings); never drops bytes silently."""
    # 1. Strict UTF-8 first: by far the most common case and cheap.
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig", []
        except UnicodeDecodeError:
            pass
    elif not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            # NUL bytes in "valid UTF-8" mean ASCII-heavy UTF-16 without a BOM.
            if "\x00" not in text[:4096]:
                return text, "utf-8", []

    # 2. Byte-order marks.
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        enc = "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        body = data[2:]
        if len(body) % 2:
            body = body[:-1]
        try:
            return body.decode(enc), "utf-16", []
        except UnicodeDecodeError:
            text = body.decode(enc, errors="replace")
            return text, "utf-16", [_replacement_warning(text, "UTF-16")]

    # 3. BOM-less UTF-16: NUL bytes cluster at odd (LE) or even (BE) offsets.
    sample = data[:8192]
    if sample.count(0) * 20 >= len(sample):
        guess = _guess_utf16(data)
        if guess is not None:
            return guess

    # 4. Declared charset (HTML): Big5 pages would otherwise decode as garbage GB18030.
    if html:
        m = _CHARSET_BYTES_RE.search(data[:4096])
        if m:
            declared = _CODEC_ALIASES.get(
                m.group(1).decode("ascii").lower(), m.group(1).decode("ascii").lower()
            )
            if declared not in ("utf-8", "gb18030"):
                try:
                    return data.decode(declared), declared, []
                except (UnicodeDecodeError, LookupError):
                    pass

    # 5. GB18030 (superset of GBK / GB2312), checked for plausibility against Big5.
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        if _looks_like_chinese(text):
            return text, "gb18030", []
        try:
            big5 = data.decode("cp950")
        except UnicodeDecodeError:
            return text, "gb18030", []
        if _common_ratio(big5) > _common_ratio(text) * 2:
            return big5, "big5", []
        return text, "gb18030", []

    # 6. Nearly-valid UTF-8 / GB18030 with a few corrupt bytes: keep it, say where.
    for enc, label in (("utf-8", "UTF-8"), ("gb18030", "GB18030")):
        text = data.decode(enc, errors="replace")
        bad = text.count("\ufffd")
        if bad <= max(8, len(text) // 1000) and _plausibility(text) > 0.9:
            return text, enc, [_replacement_warning(text, label)]

    # 7. Last resort: statistical detection.
    from charset_normalizer import from_bytes  # lazy: slow import

    best = from_bytes(data).best()
    if best is not None:
        text = str(best)
        if _plausibility(text) > 0.85:
            return text, best.encoding.replace("_", "-"), []
    raise UnreadableDocument("无法识别文件编码")


def _cjk_count(sample: str) -> int:
    return len(_NON_CJK_RE.sub("", sample))


def _common_ratio(text: str, cjk: int | None = None) -> float:
    sample = text[:20000]
    if cjk is None:
        cjk = _cjk_count(sample)
    return len(_NOT_COMMON_RE.sub("", sample)) / cjk if cjk else 0.0


def _looks_like_chinese(text: str) -> bool:
    sample = text[:20000]
    cjk = _cjk_count(sample)
    if cjk < 20:
        return _plausibility(sample) > 0.9
    return _common_ratio(sample, cjk) > 0.06


def _guess_utf16(data: bytes) -> tuple[str, str, list[str]] | None:
    sample = data[:8192]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    order = ("utf-16-le", "utf-16-be") if odd >= even else ("utf-16-be", "utf-16-le")
    body = data[:-1] if len(data) % 2 else data
    best: tuple[float, str, str] | None = None
    for enc in order:
        try:
            text = body.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _plausibility(text[:4096])
        if best is None or score > best[0]:
            best = (score, enc, text)
    if best is None or best[0] < 0.8:
        return None
    return best[2], best[1], []


def _replacement_warning(text: str, label: str) -> str:
    lines = []
    for m in re.finditer("\ufffd", text):
        line = text.count("\n", 0, m.start()) + 1
        if not lines or lines[-1] != line:
            lines.append(line)
        if len(lines) >= 5:
            break
    where = "、".join(f"第{n}行" for n in lines)
    count = text.count("\ufffd")
    return f"文件按 {label} 解码时有 {count} 处无法识别的字节（{where}），已替换为“\ufffd”，请核对原文"


# --------------------------------------------------------------------------- Traditional -> Simplified

# Common characters that exist only in Traditional script (each is changed by OpenCC t2s and is
# not a valid Simplified character), so their presence is a cheap, reliable signal.
_TRAD_CHARS = (
    "發質這與體經濟業標準檢務實關會產區縣監價國們個為來時說對後開過還進動現學問點從當應機構術設計劃項導資"
    "場農環護電種類間門員長書辦驗認證網據統協調規範創營銷費態總結識專責織組單東傳優勢財稅歸斷鐵醫藥衛舉廣黨"
    "領級線處積極續屬讓議論試訂請讀變權車軍輕較運邊達選遠鄉鎮陽際陸頭題顧風飛飯馬魚齊龍億萬兩嚴麗亂爭"
    "號圖濟證執據務準則歷條內輸圍災決況雙專廳"
)
_TRAD_RE = re.compile("[" + "".join(sorted(set(_TRAD_CHARS))) + "]")
# Anything _clean or _to_simplified would change; text without any of these is left as it is.
_SPECIAL_RE = re.compile(
    "[\r\u2028\u2029\x0b\x0c\x85\ufeff\u200b\u200c\u200d\u2060\u00ad\u200e\u200f\u202a-\u202e\x00"
    "\u00a0\u202f\u2007" + "".join(sorted(set(_TRAD_CHARS))) + "]"
)
_converter = None
_converter_lock = threading.Lock()


def _t2s(text: str) -> str:
    global _converter
    if _converter is None:
        with _converter_lock:
            if _converter is None:
                import opencc  # lazy: loads dictionaries

                _converter = opencc.OpenCC("t2s")
    return _converter.convert(text)


def _to_simplified(text: str) -> tuple[str, bool, list[str]]:
    trad = len(_TRAD_RE.findall(text))
    if trad < 3:
        return text, False, []
    cjk = len(_CJK_RE.findall(text))
    if trad >= 0.04 * cjk:
        return _t2s(text), True, ["文件为繁体中文，已转换为简体"]
    # Mostly Simplified with stray Traditional characters (scraped or OCRed copies): convert only
    # the affected lines so the rest of the text is left exactly as written.
    lines = text.split("\n")
    changed = 0
    for i, line in enumerate(lines):
        if _TRAD_RE.search(line):
            lines[i] = _t2s(line)
            changed += 1
    return "\n".join(lines), True, [f"文件中有 {changed} 行含繁体字，已转换为简体"]


# --------------------------------------------------------------------------- docx

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _decode_docx(data: bytes) -> tuple[str, list[str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            bad = zf.testzip()
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise UnreadableDocument("文件不是有效的 .docx（ZIP 结构损坏）") from exc
    except Exception as exc:  # zlib errors and the like while testing members
        raise UnreadableDocument("文件不是有效的 .docx（ZIP 结构损坏）") from exc
    if "word/document.xml" not in names:
        raise UnreadableDocument("文件是 ZIP 压缩包，但不是 .docx 文档（缺少 word/document.xml）")
    if bad is not None:
        raise UnreadableDocument(f"文件不是有效的 .docx（ZIP 结构损坏：{bad}）")

    import docx  # lazy: python-docx pulls in lxml
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises assorted errors on broken parts
        raise UnreadableDocument("文件不是有效的 .docx（文档内容无法解析）") from exc

    lines: list[str] = []
    warnings: list[str] = []

    def walk(parent) -> None:
        for el in parent.iterchildren():
            tag = el.tag
            if tag == _W + "p":
                lines.append(Paragraph(el, document).text)
            elif tag == _W + "tbl":
                render_table(Table(el, document))
            elif tag == _W + "sdt":  # content controls wrap ordinary paragraphs
                content = el.find(_W + "sdtContent")
                if content is not None:
                    walk(content)

    def render_table(table) -> None:
        for row in table.rows:
            cells, seen = [], None
            try:
                row_cells = row.cells
            except Exception:  # malformed grid spans; fall back to raw cells
                row_cells = []
                warnings.append("文档中有表格结构异常，部分单元格可能缺失")
            for cell in row_cells:
                if cell._tc is seen:  # horizontally merged cell repeats
                    continue
                seen = cell._tc
                cells.append(" ".join(p for p in cell.text.split("\n") if p.strip()).strip())
            if any(cells):
                lines.append("\t".join(cells))

    walk(document.element.body)
    return "\n".join(lines), warnings


# --------------------------------------------------------------------------- html

_HTML_SNIFF_RE = re.compile(
    r"<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|meta\s|title>)", re.IGNORECASE
)
_TAG_RE = re.compile(r"<(?:p|div|br|table|td|span|a)[\s/>]", re.IGNORECASE)


def _looks_like_html_bytes(data: bytes) -> bool:
    head = data[:4096]
    if b"<" not in head:
        return False  # every marker below opens with "<"
    head = head.lower()
    return b"<html" in head or b"<!doctype" in head or b"<meta" in head or b"<body" in head or b"<div" in head


def _looks_like_html(text: str) -> bool:
    head = text[:4096].lstrip("\ufeff \t\r\n")
    if not head.startswith("<") and "<" not in head[:512]:
        return False
    if _HTML_SNIFF_RE.search(head):
        return True
    return len(_TAG_RE.findall(head)) >= 3


_JUNK_TAGS = (
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "noscript",
    "iframe",
    "select",
    "button",
    "input",
    "textarea",
    "svg",
    "object",
    "embed",
    "template",
)
_JUNK_ATTR_RE = re.compile(
    r"nav|menu|breadcrumb|crumb|footer|foot|share|sidebar|side-bar|toolbar|banner|topbar|header|copyright"
    r"|position|location|weizhi|dqwz|related|xgwz|pagination|print|fontsize|login|search|advert",
    re.IGNORECASE,
)
_CONTENT_ATTR_RE = re.compile(
    r"zoom|trs_editor|trs_|article|content|contents|main|detail|text|body|zw|wzzw|con\b|xl|view|info",
    re.IGNORECASE,
)
_BLOCK_TAGS = frozenset(
    "p div section article main h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote pre center "
    "table tbody thead tfoot tr caption address figure figcaption hr".split()
)
_WS_RE = re.compile(r"[ \t\r\n\f]+")


def _html_to_text(markup: str) -> str:
    from bs4 import BeautifulSoup  # lazy
    from bs4.element import Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag

    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup.find_all(_JUNK_TAGS):
        tag.decompose()
    for el in soup.find_all(["div", "ul", "ol", "section", "span", "p", "table", "td", "dl", "a", "li"]):
        if el.decomposed:
            continue
        attrs = el.attrs or {}
        ident = " ".join([attrs.get("id") or ""] + list(attrs.get("class") or []))
        if ident and _JUNK_ATTR_RE.search(ident) and not _CONTENT_ATTR_RE.search(ident):
            el.decompose()

    skip = (Comment, Declaration, Doctype, ProcessingInstruction)

    def cjk_count(el) -> int:
        return len(_CJK_RE.findall(el.get_text()))

    root = soup.body or soup
    total = cjk_count(root)
    main = root
    if total:
        # Prefer an element the site marked as the article body; else descend while one child
        # holds nearly all the Chinese text.
        marked = []
        for el in root.find_all(["div", "td", "article", "section", "main"]):
            attrs = el.attrs or {}
            ident = " ".join([attrs.get("id") or ""] + list(attrs.get("class") or []))
            if ident and _CONTENT_ATTR_RE.search(ident):
                marked.append((cjk_count(el), el))
        best, best_n = None, 0
        if marked:
            top = max(n for n, _ in marked)
            # The most specific marked block that still holds nearly all of the text: a wrapper
            # such as div.main also holds unmarked side columns.
            best_n, best = min(((n, el) for n, el in marked if n >= 0.85 * top), key=lambda t: t[0])
        if best is not None and best_n >= 0.5 * total:
            main = best
        else:
            while True:
                children = [c for c in main.children if isinstance(c, Tag)]
                nxt = None
                for c in children:
                    if cjk_count(c) >= 0.85 * cjk_count(main):
                        nxt = c
                        break
                if nxt is None:
                    break
                main = nxt

    out: list[str] = []

    def render(node) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if isinstance(child, skip):
                    continue
                out.append(_WS_RE.sub(" ", str(child)))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name == "br":
                out.append("\n")
            elif name == "tr":
                render_row(child)
            elif name in _BLOCK_TAGS:
                out.append("\n")
                render(child)
                out.append("\n")
            else:
                render(child)

    def render_row(tr) -> None:
        cells = tr.find_all(["td", "th"], recursive=False)
        texts = []
        for cell in cells:
            start = len(out)
            render(cell)
            texts.append("".join(out[start:]))
            del out[start:]
        non_empty = [t for t in texts if t.strip()]
        nested = tr.find("table") is not None
        out.append("\n")
        if len(non_empty) <= 1 or nested:
            # Layout table: the cell is a page region, keep its own line structure.
            out.extend(non_empty)
        else:
            out.append("\t".join(" ".join(p.strip() for p in t.split("\n") if p.strip()) for t in texts))
        out.append("\n")

    title_line = _outside_title(main, root)
    render(main)
    text = "".join(out)
    lines = [ln.strip(" \t") if "\t" not in ln.strip(" ") else ln.strip(" ") for ln in text.split("\n")]
    # Block boundaries already give one line per paragraph; blank lines carry no meaning here.
    result = [ln for ln in lines if ln.strip(" \t\u3000")]
    if title_line and title_line not in "".join(result[:8]):
        result.insert(0, title_line)
    return "\n".join(result)


def _outside_title(main, root) -> str | None:
    """The page heading when the chosen body block leaves it out (gov sites put it above)."""
    if main is root:
        return None
    for tag in ("h1", "h2"):
        for h in root.find_all(tag):
            if main in h.parents or h in main.descendants:
                continue
            text = _WS_RE.sub(" ", h.get_text()).strip()
            if len(_CJK_RE.findall(text)) >= 6:
                return text
    return None
