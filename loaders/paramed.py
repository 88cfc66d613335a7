"""ParaMed (NEJM zh-en): manually aligned Chinese-English sentence pairs for machine translation.

Raw format (the manual-alignment set of github.com/boxiangliu/ParaMed):

* ``manual_align_input/docN.zh`` and ``docN.en``: one sentence per line, unaligned. The English is
  lowercased and Moses-tokenised (``@-@``, ``&apos;``, spaces before punctuation); the Chinese is
  word-segmented with single spaces, and a space of the original text shows as three spaces.
* ``align.txt``: one alignment per line, ``docN<TAB>i,j <=> k<TAB>OK``, 1-based line numbers of
  the **.zh** file on the left and of the **.en** file on the right (checked on the real file:
  doc1 ends ``156 <=> 158`` with 156 zh and 158 en lines; doc8 ends ``138 <=> 147,148``). n:m
  alignments list several numbers; ``omitted`` marks a sentence with no counterpart.

In the real align.txt every one of the 1,019 lines has status ``OK``; 21 have an ``omitted``
side. Lines with an ``omitted`` side are skipped (they are not translation pairs); a line with
any other status is rejected (field ``status``) since the pair is not confirmed.

Mapping: one ``TranslationRecord`` per alignment, ``text_1`` the Chinese, ``text_2`` the English.
n:m sides are joined with a space (en) or nothing (zh). The tokenisation is undone so the text
reads naturally: English ``@-@``/``@,@``/``@.@`` are rejoined, HTML entities (``&apos;``,
``&quot;``, ``&#91;``...) unescaped, spaces before ``, . ; : % ) ]`` and after ``( [`` removed,
``'s``/``'t`` reattached, ``" ... "`` closed up; Chinese single spaces are removed, triple spaces
become one space, and no space is left next to a CJK character or full-width punctuation. The
case is restored where it is not a guess (sentence starts, abbreviations such as ``HIV``/``CI``,
eponyms, places, ``P`` values: :mod:`~biocurate.loaders.formats.truecase`), on the Latin words of
the zh side too; other words stay lowercase.

Source artefacts (:func:`clean_pair`): a doubled section heading on the zh side (``背景背景``)
is written once; NEJM reference numbers kept as text on both sides (``carcinoma11-13`` /
``方案11-13；``, ``(primary analysis) .20`` / ``（主要分析）20。``) are removed. A pair whose zh side has no Chinese character at all (an
untranslated English line, e.g. doc3's "presented in part at ...") is rejected (field ``zh``).
Everything is ``train``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from biocurate.errors import ConversionError
from biocurate.schemas import TranslationRecord

from ._base import DatasetMeta, Loader, Reject, SourceFile, SourceItem
from ._registry import register_loader
from .formats.truecase import truecase_en, truecase_words

_ALIGN = re.compile(r"^(?P<doc>[^\t]+)\t(?P<zh>.*?) <=> (?P<en>.*?)\t(?P<status>\S*)$")
_MOSES_AT = re.compile(r"^@(\S)@$")
_URL = re.compile(r"\b(https?) : / / ")
_RATIO = re.compile(r"(?<=\d) : (?=\d)")
_CLOSE = {",", ".", ";", ":", "!", "?", "%", ")", "]", "}"}
_OPEN = {"(", "[", "{"}
#: First characters of the tokens detok_en treats specially (any other token is a plain word).
_SPECIAL_FIRST = frozenset("@\"'") | _CLOSE | _OPEN
_WIDE = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2014\u2018\u2019\u201c\u201d\u2026\u00b7"
_ZH_SPACE = re.compile(rf" +(?=[{_WIDE}])|(?<=[{_WIDE}]) +")

PARAMED_CITATION = """@article{liu2021paramed,
  title = {{ParaMed}: a parallel corpus for {English--Chinese} translation in the biomedical domain},
  author = {Liu, Boxiang and Huang, Liang},
  journal = {BMC Medical Informatics and Decision Making},
  volume = {21},
  pages = {258},
  year = {2021}
}"""
_BASE = "https://raw.githubusercontent.com/boxiangliu/ParaMed/08484488f4829bf144303a2e348c79e4e2ae5f71/data/"


def detok_en(text: str) -> str:
    """Undo Moses tokenisation: ``o &apos;brien @-@ fleming ( 95 % ci )`` -> ``o'brien-fleming (95% ci)``."""
    text = html.unescape(text)
    if ": / /" in text:
        text = _URL.sub(r"\1://", text)
    if " : " in text:
        text = _RATIO.sub(":", text)
    out: list[str] = []
    append = out.append
    glue, quote_open = True, False
    for tok in text.split():
        if tok[0] not in _SPECIAL_FIRST:  # a plain word (most tokens): a space before it unless glued
            append(tok if glue else " " + tok)
            glue = False
            continue
        joined = _MOSES_AT.match(tok) if tok[0] == "@" else None
        if joined:  # @-@ @,@ @.@ join the tokens on both sides
            append(joined[1])
            glue = True
            continue
        if tok == '"':
            append(tok if quote_open else ("" if glue else " ") + tok)
            glue = quote_open = not quote_open
            continue
        attach = tok in _CLOSE or (tok[0] == "'" and (len(tok) == 1 or tok[1].isalpha()))
        append(tok if attach or glue else " " + tok)
        glue = tok in _OPEN
    return "".join(out)


def detok_zh(text: str) -> str:
    """Undo Chinese word segmentation: ``在 clinicaltrials . gov 注册`` -> ``在clinicaltrials.gov注册``."""
    text = " ".join(piece.replace(" ", "") for piece in html.unescape(text).strip().split("   "))
    return _ZH_SPACE.sub("", text)


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_DOUBLED = re.compile(r"^([\u3400-\u9fff]{2,8})\1$")
#: a citation marker glued to an English word: ``carcinoma11-13``, ``radiotherapy3,17``, ``reabsorption.11-13``
_EN_NOTE = re.compile(r"\b([a-z]{3,}[.,;:]?)(\d{1,3}(?:[-,–]\d{1,3})*)(?=[\s.,;:)\]]|$)")


#: a marker after a sentence's period, left spaced by the tokeniser: ``(primary analysis) .20``
_EN_DOT_NOTE = re.compile(r"(?<=[\w)\]%'’/]) \.(\d{1,3}(?:[-,–]\d{1,3})*)(?=\s|$)")
#: a number group after a Chinese character or closing mark and before Chinese punctuation or the end
_ZH_ANY_NOTE = re.compile(r"(?<=[\u3400-\u9fff）」』”%])(\d{1,3}(?:[-–,～、]\d{1,3})*)(?=[。，；：]|$)")


def _zh_note(marker: str) -> re.Pattern[str]:
    """The same marker after a Chinese character or closing mark and before a non-digit."""
    return re.compile(rf"(?<=[\u3400-\u9fff）」』”])({re.escape(marker)})(?![\d.%])")


def _drop_zh_note(zh: str, marker: str, loose: bool) -> str | None:
    """``zh`` without its copy of ``marker`` (None when it has none): the same text, or with
    ``loose`` any number group starting with the same number before Chinese punctuation
    (``5,6`` / ``5-6``)."""
    exact = _zh_note(marker)
    if exact.search(zh):
        return exact.sub("", zh, count=1)
    if loose:
        first = re.match(r"\d+", marker)[0]
        for match in _ZH_ANY_NOTE.finditer(zh):
            if re.match(r"\d+", match[1])[0] == first:
                return zh[: match.start()] + zh[match.end():]
    return None


def strip_citations(zh: str, en: str) -> tuple[str, str]:
    """Drop NEJM footnote/reference numbers kept as text on both sides of a pair.

    A number group glued to an English word (``carcinoma11-13``) is a reference marker only if
    the Chinese side has the same group right after a Chinese character (``方案11-13；``); then
    both are removed. Identifiers that look alike (``her2``, ``sglt2``, ``intandem3``) have no
    such counterpart and stay. After a sentence's period (``domains.5,6``, and the spaced
    ``(primary analysis) .20`` the tokeniser leaves, which no decimal looks like) the Chinese
    copy may use other separators (``机制5-6。``); a spaced one is removed even without a copy.
    """
    for match in list(_EN_NOTE.finditer(en)):
        dropped = _drop_zh_note(zh, match[2], loose=match[1].endswith("."))
        if dropped is not None:
            zh = dropped
            en = en.replace(match[0], match[1], 1)
    for match in reversed(list(_EN_DOT_NOTE.finditer(en))):
        zh = _drop_zh_note(zh, match[1], loose=True) or zh
        en = en[: match.start()] + "." + en[match.end():]
    return zh, en


def clean_pair(zh: str, en: str) -> tuple[str, str]:
    """Source artefacts of the alignment files: a doubled section heading (``背景背景`` ->
    ``背景``), reference markers on both sides, and the lowercasing: sentence starts, listed
    abbreviations and names cased again on both sides (:mod:`biocurate.loaders.formats.truecase`;
    other words stay lowercase, their case is not recoverable)."""
    doubled = _DOUBLED.match(zh)
    if doubled:
        zh = doubled[1]
    zh, en = strip_citations(zh, en)
    return truecase_words(zh), truecase_en(en)


def _numbers(side: str) -> list[int] | None:
    """Line numbers of one side; ``[]`` for ``omitted``/empty; None when malformed."""
    side = side.strip()
    if side in ("", "omitted"):
        return []
    parts = side.split(",")
    return [int(p) for p in parts] if all(p.strip().isdigit() for p in parts) else None


@register_loader
class ParaMed(Loader):
    meta = DatasetMeta(
        name="paramed",
        display_name="ParaMed (NEJM zh-en, manual alignment)",
        description="Chinese-English parallel sentences from New England Journal of Medicine articles and their "
        "NEJM Chinese translations; this loader reads the manually aligned evaluation set (12 documents).",
        languages=["zh", "en"],
        tasks=["mt"],
        schema="translation",
        license="unknown",
        citation=PARAMED_CITATION,
        homepage="https://github.com/boxiangliu/ParaMed",
        splits={"train": "align.txt"},
        source_files=[
            SourceFile(url=_BASE + "align.txt", filename="align.txt",
                       sha256="e3f0cf55b8f985abe2da17e6586d7143b83b17ec156ea4ff75b5ecd75adfb8e1", size=19410),
            SourceFile(url=_BASE + "manual_align_input.tar.gz", filename="manual_align_input.tar.gz"),
        ],
        manual_download="Extract manual_align_input.tar.gz so that manual_align_input/docN.en and docN.zh sit "
        "beside align.txt.",
        aliases=["ParaMed-NEJM-zh-en", "ParaMed"],
        bigbio_name="paramed",
        format_note="align.txt 'docN<TAB>zh lines <=> en lines<TAB>OK' over manual_align_input/docN.zh|en; "
        "Moses / word-segmentation tokenisation undone.",
    )

    def input_files(self, split: str) -> list[Path]:
        """align.txt and the documents it aligns (manual_align_input/docN.zh|en)."""
        documents = self.data_dir / "manual_align_input"
        return self.files_for(split) + sorted(p for p in documents.glob("*") if p.is_file() and p.suffix in (".zh", ".en"))

    def _document(self, doc: str) -> dict[str, list[str] | None]:
        lines: dict[str, list[str] | None] = {}
        for lang in ("zh", "en"):
            path = self.data_dir / "manual_align_input" / f"{doc}.{lang}"
            lines[lang] = path.read_text(encoding="utf-8").splitlines() if path.is_file() else None
        return lines

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        cached: tuple[str, dict] | None = None
        for path in self.files_for(split):
            with open(path, encoding="utf-8") as handle:
                for number, raw in enumerate(handle, start=1):
                    line = raw.rstrip("\r\n")
                    if not line.strip():
                        continue
                    match = _ALIGN.match(line)
                    if match is None:
                        yield self.reject(split, "expected 'docN<TAB>i,j <=> k<TAB>STATUS'", file=str(path), line=number, stage="read", raw=line)
                        continue
                    zh, en = _numbers(match["zh"]), _numbers(match["en"])
                    if zh == [] or en == []:
                        continue  # one side has no counterpart: not a translation pair
                    doc = match["doc"]
                    if cached is None or cached[0] != doc:
                        cached = (doc, self._document(doc))
                    data = {"alignment": line, "document": doc, "status": match["status"], "zh_lines": zh, "en_lines": en, **cached[1]}
                    yield SourceItem(data, str(path), number, key=f"{doc}:{match['zh']}<=>{match['en']}")

    def _side(self, item: SourceItem, lang: str) -> list[str]:
        numbers, lines = item.data[f"{lang}_lines"], item.data[lang]
        if numbers is None:
            raise ConversionError("line numbers must be comma-separated integers", field=lang)
        if lines is None:
            raise ConversionError(f"missing file manual_align_input/{item.data['document']}.{lang}", field=lang)
        bad = [n for n in numbers if not 1 <= n <= len(lines)]
        if bad:
            raise ConversionError(f"line {bad[0]} not in {item.data['document']}.{lang} ({len(lines)} lines)", field=lang)
        return [lines[n - 1] for n in numbers]

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[TranslationRecord]:
        if item.data["status"] != "OK":
            raise ConversionError(f"alignment status {item.data['status']!r} is not OK", field="status")
        zh = "".join(detok_zh(s) for s in self._side(item, "zh"))
        en = " ".join(detok_en(s) for s in self._side(item, "en"))
        for lang, text in (("zh", zh), ("en", en)):
            if not text.strip():
                raise ConversionError("empty sentence", field=lang)
        if not _CJK.search(zh):
            raise ConversionError(f"the zh side has no Chinese character (an untranslated line): {zh[:60]!r}", field="zh")
        zh, en = clean_pair(zh, en)
        yield TranslationRecord(
            id=self.record_id(split, index), dataset=self.name, split=split, language="zh",
            document_id=item.data["document"], text_1=zh, text_2=en, text_1_name="zh", text_2_name="en",
        )
