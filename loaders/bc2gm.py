"""BC2GM (BioCreative II gene mention), in the IOB conversion of Crichton et al. (2017).

Raw format: ``token<TAB>tag`` lines (``B-GENE``/``I-GENE``/``O``), a blank line between
sentences, read with :mod:`loaders.formats.iob` (``train.tsv``, ``devel.tsv``, ``test.tsv`` of
cambridgeltl/MTL-Bioinformatics-2016, ``data/BC2GM-IOB``). The conversion keeps no document ids
and no character offsets, so each sentence becomes one record whose text is its tokens
detokenised (:mod:`loaders.formats.detok`: "( Richner - Hanhart syndrome )" reads
"(Richner-Hanhart syndrome)"), with offsets computed into that text; this is close to, but not
always, the original BioCreative II sentence spelling, and not its ``.eval`` offsets.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from biocurate.errors import ConversionError
from biocurate.schemas import Entity, KBRecord, Passage

from ._base import DatasetMeta, Loader, Reject, SourceFile, SourceItem
from ._registry import register_loader
from .formats.common import Malformed
from .formats.detok import token_spacing
from .formats.iob import IOBSentence, iter_iob, rebuild

CITATION = """@article{smith2008overview,
  title = {Overview of {BioCreative II} gene mention recognition},
  author = {Smith, Larry and Tanabe, Lorraine K. and Ando, Rie Johnson and others},
  journal = {Genome Biology},
  volume = {9},
  number = {Suppl 2},
  pages = {S2},
  year = {2008},
  doi = {10.1186/gb-2008-9-s2-s2}
}
@article{crichton2017neural,
  title = {A neural network multi-task learning approach to biomedical named entity recognition},
  author = {Crichton, Gamal and Pyysalo, Sampo and Chiu, Billy and Korhonen, Anna},
  journal = {BMC Bioinformatics},
  volume = {18},
  pages = {368},
  year = {2017},
  doi = {10.1186/s12859-017-1776-8}
}"""

_RAW = "https://raw.githubusercontent.com/cambridgeltl/MTL-Bioinformatics-2016/master/data/BC2GM-IOB/"


@register_loader
class BC2GM(Loader):
    meta = DatasetMeta(
        name="bc2gm",
        display_name="BC2GM",
        description=(
            "BioCreative II gene mention corpus: sentences from MEDLINE abstracts with gene and gene "
            "product mentions, in the token/IOB conversion used by the MTL-Bioinformatics benchmark."
        ),
        languages=["en"],
        tasks=["ner"],
        schema="kb",
        license="CC-BY-4.0",  # licence of the converted data (MTL-Bioinformatics-2016 LICENSE.md)
        citation=CITATION,
        homepage="https://biocreative.bioinformatics.udel.edu/tasks/biocreative-ii/task-1a-gene-mention-tagging/",
        splits={"train": "*train.tsv", "validation": "*devel.tsv", "test": "*test.tsv"},
        source_files=[SourceFile(url=f"{_RAW}{name}", filename=name) for name in ("train.tsv", "devel.tsv", "test.tsv")],
        label_sets={"entity_types": ["GENE"]},
        aliases=["BC2GM", "BC2GM-IOB", "biocreative_ii_gm"],
        pubmed=True,
        format_note="CoNLL token<TAB>IOB tag (Crichton et al. 2017); text rebuilt from the tokens by PTB detokenisation rules.",
    )

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        for path in self.files_for(split):
            for sentence in iter_iob(path):
                if isinstance(sentence, Malformed):
                    yield self.reject(split, sentence.reason, **sentence.where())
                else:
                    yield SourceItem(sentence, str(path), sentence.line)

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[KBRecord]:
        sentence: IOBSentence = item.data
        text, mentions = rebuild(sentence.tokens, sentence.tags, token_spacing(sentence.tokens))
        entities = []
        for k, m in enumerate(mentions):
            if m.type not in self.meta.label_sets["entity_types"]:
                raise ConversionError(f"line {item.line + m.first_token}: tag type {m.type!r} is not GENE", field=f"entities[{k}].type")
            entities.append(Entity(id=f"e{k}", type=m.type, text=[m.text], offsets=[[m.start, m.end]]))
        record_id = self.record_id(split, index)
        yield KBRecord(
            id=record_id, dataset=self.name, split=split, language="en", document_id=record_id,
            passages=[Passage(id="p0", type="sentence", text=[text], offsets=[[0, len(text)]])],
            entities=entities,
        )
