"""ChatDoctor GenMedGPT-5k on the real excerpt (first 2,000 records, a CRLF JSON array)."""

from __future__ import annotations

from biocurate.loaders import Reject, get_loader
from biocurate.sources import open_loader

INSTRUCTION = "If you are a doctor, please answer the medical questions based on the patient's description."


def test_counts() -> None:
    loader = open_loader("ChatDoctor-GenMedGPT-5k")
    assert loader.available_splits() == ["train"]
    assert sum(1 for _ in loader.iter_split("train")) == 2000


def test_first_record() -> None:
    record = next(open_loader("chatdoctor").iter_split("train"))
    assert record.context == INSTRUCTION
    assert [(t.role, t.speaker) for t in record.turns] == [("user", "patient"), ("assistant", "doctor")]
    assert record.turns[0].text == "Doctor, I have been experiencing sudden and frequent panic attacks. I don't know what to do."
    assert record.turns[1].text.startswith("Well, based on what you're telling me, it sounds like you may be suffering from panic disorder.")


def test_empty_output_is_rejected_with_line(tmp_path) -> None:
    body = '[\r\n  {"instruction": "i", "input": "q", "output": "a"},\r\n  {"instruction": "i", "input": "q2",\r\n   "output": ""}\r\n]'
    (tmp_path / "chatdoctor5k.json").write_text(body, encoding="utf-8", newline="")
    items = list(get_loader("chatdoctor")(tmp_path).records("train"))
    assert not isinstance(items[0], Reject)
    assert isinstance(items[1], Reject) and (items[1].line, items[1].field) == (3, "output")
    assert items[1].file.endswith("chatdoctor5k.json")
