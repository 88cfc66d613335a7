"""The C loop (biocurate._text) and the pure-Python routes must normalise exactly as
normalise_text does; the C loop must be built where a C compiler is."""

from __future__ import annotations

import random
import shutil
import sysconfig
import unicodedata

import pytest

from biocurate.loaders.formats import chat
from biocurate.mix import content, normalise
from biocurate.mix.normalise import normalise_text, normalise_texts, normalised_utf8

needs_c = pytest.mark.skipif(not normalise.uses_c_loop(), reason="biocurate._text is not built")

#: Characters where a per-character shortcut could go wrong: full-width forms, the ideographic
#: and other spaces, NFKC expansions (①, Ⅲ, ℃, ﬁ, ¨ = space + combining mark), combining marks,
#: Hangul jamo (compose algorithmically), capital sigma (context-dependent lowercase), dotted
#: capital I (lowercase is two characters), NUL and characters beyond the BMP.
TRICKY = (
    "ＡａＺｚ０！～　①Ⅲ℃ﬁ¨\u0301\u0308\u0338Σσς \t\n\x0b\x1c\x85\xa0\u2005\u2028\u3000\x00e头İ"
    "\u1100\u1161\u11a8\uac00\uac01é<=😀\U00020000"
)


def _c(text: str) -> bytes | None:
    tables = normalise.char_tables()
    return normalise._c_loops.normalise_utf8(text, *tables)


def test_c_loop_is_built_where_a_compiler_is() -> None:
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        pytest.skip(f"no C compiler ({compiler}): the pure-Python routes are used")
    assert normalise.uses_c_loop()


@needs_c
def test_every_bmp_character_alone_and_between_neighbours() -> None:
    taken = 0
    for cp in range(0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        char = chr(cp)
        for text in (char, f"a{char}b", f" {char} ", f"头{char}{char}", f"Ａ{char}\u3000"):
            got = _c(text)
            if got is not None:
                taken += 1
                assert got == normalise_text(text).encode(), (hex(cp), text)
    assert taken > 250_000  # nearly every character is decided by the tables


@needs_c
def test_random_mixtures_of_tricky_characters() -> None:
    rng = random.Random(5)
    alphabet = TRICKY + "abc XYZ 中文，。"
    taken = 0
    for _ in range(30_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 14)))
        got = _c(text)
        assert normalised_utf8(text) == normalise_text(text).encode(), text
        if got is not None:
            taken += 1
            assert got == normalise_text(text).encode(), text
    assert taken > 3_000


@needs_c
def test_utf8_bytes_normalise_as_the_text() -> None:
    rng = random.Random(9)
    alphabet = TRICKY + "abc 中文，。"
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 14)))
        data = text.encode("utf-8", errors="surrogatepass")
        assert _c(data) == _c(text), text
        assert normalised_utf8(data) == normalise_text(text).encode(), text
    for bad in (b"\xff", b"a\xc3", b"\xc0\x80", b"\xed\xa0\x80", b"\xe4\xb8"):  # not UTF-8, overlong, surrogate, cut
        assert _c(bad) is None, bad
    with pytest.raises(TypeError):
        _c(12)  # type: ignore[arg-type]


@needs_c
def test_usual_text_takes_the_c_loop() -> None:
    for text in ("如何用Python读取CSV文件？可以用　pandas.read_csv。", "Ⅲ期① 36.5℃\xa0ok", "  A\tB  ", "", "Ünïcödé ΣΑΣ"[:-3]):
        assert _c(text) == normalise_text(text).encode(), text
    for text in ("e\u0301", "ΣΑΣ", "x😀", "\u1100\u1161"):
        assert _c(text) is None, text  # the general route


@needs_c
def test_c_loop_refuses_wrong_tables() -> None:
    tables = normalise.char_tables()
    with pytest.raises(ValueError):
        normalise._c_loops.normalise_utf8("abc", tables.flags[:-1], *tables[1:])
    with pytest.raises(ValueError):
        normalise._c_loops.normalise_utf8("ﬁ", tables.flags, tables.single, tables.offsets[:4], tables.expansions)


def test_char_tables_follow_unicodedata() -> None:
    tables = normalise.char_tables()
    assert tables.flags[ord("Σ")] == 0 and tables.flags[0x0301] == 0 and tables.flags[0x1161] == 0
    assert tables.flags[ord("头")] == tables.flags[ord("a")] == normalise._SAFE | normalise._IDENTITY
    assert tables.flags[ord("A")] == tables.flags[ord("Ａ")] == normalise._SAFE
    assert tables.flags[0x3000] == normalise._SAFE | normalise._SPACE
    assert tables.flags[ord("ﬁ")] == normalise._SAFE | normalise._EXPAND
    assert len(tables.offsets) % 4 == 0 and unicodedata.unidata_version


@pytest.fixture(params=["c", "python"])
def route(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "c" and not normalise.uses_c_loop():
        pytest.skip("biocurate._text is not built")
    if request.param == "python":
        monkeypatch.setattr(normalise, "_c_loops", None)
        monkeypatch.setattr(chat, "_c_loops", None)
    return request.param


def test_both_routes_normalise_alike(route: str) -> None:
    rng = random.Random(11)
    made = ["".join(rng.choice(TRICKY + "abc 中文") for _ in range(rng.randrange(0, 12))) for _ in range(2000)]
    for chunk in (made, [t for t in made if "\x00" not in t], ["plain ascii", "  A\tB "], [], [""]):
        assert normalise_texts(chunk) == [normalise_text(t) for t in chunk]
    assert [normalised_utf8(t) for t in made] == [normalise_text(t).encode() for t in made]


def test_both_routes_give_the_same_keys(route: str) -> None:
    from biocurate.schemas import TextRecord

    records = [TextRecord(id=f"r{i}", dataset="d", split="train", document_id=f"r{i}", language="zh", text=text, labels=["a"])
               for i, text in enumerate(["Ｆｕｌｌ　ｗｉｄｔｈ", "full width", "Ⅲ期 ①", "iii期 1", "e\u0301", "é", "x😀"])]
    keys = content.content_keys(records, ["tc"])
    assert keys == [[content.content_key(r, "tc")] for r in records]
    assert keys[0] == keys[1] and keys[2] == keys[3] and keys[4] == keys[5]  # NFKC, lowercase, spaces
    assert len({k[0] for k in keys}) == 4


def test_both_routes_detect_language_alike(route: str) -> None:
    assert chat.detect_language("如何用Python读取CSV文件？可以用 pandas.read_csv。") == "zh"
    assert chat.detect_language("What does 太乙 mean in Chinese mythology?") == "en"
    assert chat.detect_language("太乙\U00020000 Ａ") == "zh"
