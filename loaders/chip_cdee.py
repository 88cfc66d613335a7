"""CHIP-CDEE (CBLUE / CHIP-2021): clinical discovery event extraction from Chinese EMR text.

Raw format: a JSON array of::

    {"id": 268, "text": "患者本次发病以来，食欲正常，...",
     "event": [{"core_name": "食欲", "tendency": "", "character": ["正常"], "anatomy_list": []}]}

``core_name`` (主体词) names the finding, ``tendency`` (发生状态) is ``""``, ``"否定"`` or
``"不确定"``, ``character`` (描述词) and ``anatomy_list`` (解剖部位) are lists of strings.
Test records have an empty ``event`` list.

Mapping to ``kb`` (Taiyi's EE container): one event ``临床发现事件`` per raw event with four
roles, as PromptCBLUE renders them: 主体词, 发生状态, 描述词, 解剖部位. There are no offsets and
the annotators normalise the strings (core_name ``疼痛`` for ``腹痛``, ``黄染`` for ``身黄``), so:

* a string that occurs verbatim is anchored: the 主体词 at its first occurrence at or after the
  previous event's trigger (events follow the text) also becomes the trigger span; 描述词 and
  解剖部位 at the occurrence nearest the trigger, as entities (shared when reused);
* a string that does not occur (and 发生状态, which is a value such as ``否定``/``不确定``, never a
  span) becomes an argument with ``ref_id=""`` and the value in ``text``, as Taiyi's schema does.

Nothing is dropped: every raw event and attribute is kept.
"""

from __future__ import annotations

from collections.abc import Iterable

from biocurate.schemas import Entity, Event, EventArgument, KBRecord, Passage, Trigger

from biocurate.errors import ConversionError

from ._base import DatasetMeta, SourceItem
from ._cblue import CBLUE_CITATION, CBLUE_HOMEPAGE, CblueArrayLoader, cblue_manual
from ._registry import register_loader
from .formats.cblue import (
    cblue_splits,
    locate_nearest,
    occurrences,
    require_list,
    require_str,
)

EVENT_TYPE = "临床发现事件"
#: Values of 发生状态 (tendency); "" means the finding is present.
TENDENCIES = ("", "否定", "不确定")
#: raw list key -> argument role (and entity type).
ROLES = {"character": "描述词", "anatomy_list": "解剖部位"}
CORE_ROLE, TENDENCY_ROLE = "主体词", "发生状态"


@register_loader
class ChipCDEE(CblueArrayLoader):
    meta = DatasetMeta(
        name="chip_cdee",
        display_name="CHIP-CDEE",
        description="Clinical discovery event extraction from CBLUE (CHIP-2021): findings in Chinese electronic medical records with their status, descriptors and anatomical sites.",
        languages=["zh"],
        tasks=["ee"],
        schema="kb",
        license="unknown",
        citation=CBLUE_CITATION,
        homepage=CBLUE_HOMEPAGE,
        splits=cblue_splits("CHIP-CDEE"),
        manual_download=cblue_manual("CHIP-CDEE"),
        label_sets={
            "event_types": [EVENT_TYPE],
            "role_types": [CORE_ROLE, TENDENCY_ROLE, *ROLES.values()],
            "entity_types": [CORE_ROLE, *ROLES.values()],
        },
        aliases=["CHIP-CDEE"],
        format_note="CBLUE JSON array; no offsets: strings found verbatim are anchored as spans, the others (and 发生状态) are kept as text-only arguments (ref_id '').",
        unlabelled_splits=["test"],
    )

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[KBRecord]:
        text = require_str(item.data, "text")
        if split in self.meta.unlabelled_splits and "event" not in item.data:
            raw_events: list = []
        else:
            raw_events = require_list(item.data, "event")
        entities: list[Entity] = []
        by_span: dict[tuple[str, int, int], str] = {}
        events = []
        cursor = 0
        for k, raw in enumerate(raw_events):
            where = f"event[{k}]"
            core = require_str(raw, "core_name", field=f"{where}.core_name")
            tendency = require_str(raw, "tendency", field=f"{where}.tendency", empty_ok=True)
            if tendency not in TENDENCIES:
                raise ConversionError(f"unknown tendency {tendency!r}; expected one of {list(TENDENCIES)}", field=f"{where}.tendency")
            starts = occurrences(text, core)
            trigger = Trigger()
            if starts:
                start = next((s for s in starts if s >= cursor), starts[0])
                cursor = start
                trigger = Trigger(text=[core], offsets=[[start, start + len(core)]])
                core_id = self._entity(entities, by_span, text, core, CORE_ROLE, start, f"{where}.core_name")
                arguments = [EventArgument(role=CORE_ROLE, ref_id=core_id)]
            else:
                arguments = [EventArgument(role=CORE_ROLE, ref_id="", text=core)]
            if tendency:
                arguments.append(EventArgument(role=TENDENCY_ROLE, ref_id="", text=tendency))
            for key, role in ROLES.items():
                for j, value in enumerate(require_list(raw, key, field=f"{where}.{key}")):
                    field = f"{where}.{key}[{j}]"
                    if not isinstance(value, str):
                        raise ConversionError(f"expected a string, got {type(value).__name__}", field=field)
                    if not value:
                        continue
                    if occurrences(text, value):
                        ref = self._entity(entities, by_span, text, value, role, cursor, field)
                        arguments.append(EventArgument(role=role, ref_id=ref))
                    else:
                        arguments.append(EventArgument(role=role, ref_id="", text=value))
            events.append(Event(id=f"v{k}", type=EVENT_TYPE, trigger=trigger, arguments=arguments))
        record_id = self.record_id(split, index)
        yield KBRecord(
            id=record_id, dataset=self.name, split=split, language="zh", document_id=item.key or record_id,
            passages=[Passage(id="p0", type="text", text=[text], offsets=[[0, len(text)]])],
            entities=entities, events=events,
        )

    @staticmethod
    def _entity(entities: list[Entity], by_span: dict[tuple[str, int, int], str], text: str, value: str, role: str, anchor: int, field: str) -> str:
        """Id of the entity for ``value`` near ``anchor``, created on first use."""
        start, end = locate_nearest(text, value, anchor, field)
        key = (role, start, end)
        if key not in by_span:
            by_span[key] = f"e{len(entities)}"
            entities.append(Entity(id=by_span[key], type=role, text=[value], offsets=[[start, end]]))
        return by_span[key]
