"""ChemProt (BioCreative VI track 5): chemical and gene/protein mentions and their CPR relations.

Raw format: the ``chemprot_<split>_{abstracts,entities,relations}.tsv`` triple read with
:mod:`loaders.formats.chemprot_tsv` (test gold files end in ``_gs.tsv``). One KB record per
abstract, with a title and an abstract passage (entity offsets index ``title + " " + abstract``,
the same string BigBio builds with a newline). Entity ids are the source's ``T<n>``.

Relations: ``PMID<TAB>CPR:n<TAB>Y |N <TAB>TYPE<TAB>Arg1:T<n><TAB>Arg2:T<m>``. The relation type
is the CPR group, as in BigBio; the fine-grained type (``INHIBITOR``) and the "evaluated" flag
are not kept. The ten groups of the ChemProt guidelines are declared (CPR:1 PART-OF,
CPR:2 REGULATOR/DIRECT-/INDIRECT-REGULATOR, CPR:3 UPREGULATOR/ACTIVATOR/INDIRECT-UPREGULATOR,
CPR:4 DOWNREGULATOR/INHIBITOR/INDIRECT-DOWNREGULATOR, CPR:5 AGONIST/AGONIST-ACTIVATOR/
AGONIST-INHIBITOR, CPR:6 ANTAGONIST, CPR:7 MODULATOR/-ACTIVATOR/-INHIBITOR, CPR:8 COFACTOR,
CPR:9 SUBSTRATE/PRODUCT-OF/SUBSTRATE_PRODUCT-OF, CPR:10 NOT); only CPR:3, 4, 5, 6 and 9 were
evaluated in the shared task.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import ClassVar

from biocurate.errors import ConversionError
from biocurate.schemas import Entity, KBRecord, Passage, Relation

from ._base import DatasetMeta, Loader, Reject, SourceFile, SourceItem
from ._registry import register_loader
from .formats.chemprot_tsv import AbstractBundle, iter_abstract_bundles, sibling
from .formats.common import Malformed

CPR_GROUPS = [f"CPR:{n}" for n in range(1, 11)]

CITATION = """@inproceedings{krallinger2017overview,
  title = {Overview of the {BioCreative VI} chemical-protein interaction Track},
  author = {Krallinger, Martin and Rabal, Obdulia and Akhondi, Saber A. and others},
  booktitle = {Proceedings of the Sixth BioCreative Challenge Evaluation Workshop},
  volume = {1},
  pages = {141--146},
  year = {2017}
}"""


class AbstractTsvLoader(Loader):
    """Shared reader/mapping for the ChemProt-family TSV triples (ChemProt, DrugProt)."""

    #: Which label column is the relation type (0: the first column after the PMID).
    relation_label: ClassVar[int] = 0

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        for path in self.files_for(split):
            relations = sibling(path, "relations")
            for bundle in iter_abstract_bundles(path, sibling(path, "entities"), relations if relations.is_file() else None):
                if isinstance(bundle, Malformed):
                    yield self.reject(split, bundle.reason, **bundle.where())
                else:
                    yield SourceItem(bundle, str(path), bundle.line, bundle.pmid)

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[KBRecord]:
        doc: AbstractBundle = item.data
        labels = self.meta.label_sets
        start = len(doc.title) + 1
        passages = [
            Passage(id="title", type="title", text=[doc.title], offsets=[[0, len(doc.title)]]),
            Passage(id="abstract", type="abstract", text=[doc.abstract], offsets=[[start, start + len(doc.abstract)]]),
        ]
        entities = []
        for k, e in enumerate(doc.entities):
            if e.type not in labels["entity_types"]:
                raise ConversionError(f"entities line {e.line}: type {e.type!r} is not one of {labels['entity_types']}", field=f"entities[{k}].type")
            entities.append(Entity(id=e.id, type=e.type, text=[e.text], offsets=[[e.start, e.end]]))
        relations = []
        for k, r in enumerate(doc.relations):
            rel_type = r.labels[self.relation_label].strip() if len(r.labels) > self.relation_label else ""
            if rel_type not in labels["relation_types"]:
                raise ConversionError(f"relations line {r.line}: type {rel_type!r} is not declared", field=f"relations[{k}].type")
            relations.append(Relation(id=f"R{k}", type=rel_type, arg1_id=r.arg1, arg2_id=r.arg2))
        yield KBRecord(
            id=self.record_id(split, index), dataset=self.name, split=split, language="en", document_id=doc.pmid,
            passages=passages, entities=entities, relations=relations,
        )


@register_loader
class ChemProt(AbstractTsvLoader):
    meta = DatasetMeta(
        name="chemprot",
        display_name="ChemProt",
        description=(
            "BioCreative VI ChemProt corpus: PubMed abstracts with chemical and gene/protein mentions "
            "(GENE-Y normalisable, GENE-N not) and chemical-protein relations grouped into CPR classes."
        ),
        languages=["en"],
        tasks=["ner", "re"],
        schema="kb",
        license="PDM-1.0",  # BigBio's chemprot loader declares "Public Domain Mark 1.0"
        citation=CITATION,
        homepage="https://biocreative.bioinformatics.udel.edu/tasks/biocreative-vi/track-5/",
        splits={
            "train": "*chemprot_training_abstracts.tsv",
            "validation": "*chemprot_development_abstracts.tsv",
            "test": "*chemprot_test_abstracts_gs.tsv",
        },
        source_files=[SourceFile(
            url="https://biocreative.bioinformatics.udel.edu/media/store/files/2017/ChemProt_Corpus.zip",
            filename="ChemProt_Corpus.zip",
        )],
        manual_download=(
            "ChemProt_Corpus.zip holds one zip per split (chemprot_training.zip, chemprot_development.zip, "
            "chemprot_test_gs.zip); extract them into the data directory."
        ),
        label_sets={"entity_types": ["CHEMICAL", "GENE-Y", "GENE-N"], "relation_types": CPR_GROUPS},
        aliases=["ChemProt", "BC6ChemProt"],
        pubmed=True,
        bigbio_name="chemprot",
        format_note="ChemProt abstracts/entities/relations TSV; relation type = CPR group (column 2).",
    )
