"""DrugProt (BioCreative VII track 1): drug/chemical and gene mentions and 13 relation types.

Raw format: the ChemProt-family TSV triple (:mod:`loaders.formats.chemprot_tsv`), named
``drugprot_<split>_abstracs.tsv`` (sic), ``_entities.tsv`` and ``_relations.tsv``; relation
lines have four columns, ``PMID<TAB>TYPE<TAB>Arg1:T<n><TAB>Arg2:T<m>``, and the type is kept as
is. One KB record per abstract with a title and an abstract passage (offsets into
``title + " " + abstract``, as BigBio builds them); entity ids are the source's ``T<n>``.

Entity types: the development release writes ``CHEMICAL`` and ``GENE``; the task description
also uses ``GENE-Y``/``GENE-N`` (normalisable or not), so all four are declared. Only train and
development carry gold relations in the training-development release; the test-background
split has none and is not declared.
"""

from __future__ import annotations

from ._base import DatasetMeta, SourceFile
from ._registry import register_loader
from .chemprot import AbstractTsvLoader

RELATION_TYPES = [
    "INDIRECT-DOWNREGULATOR", "INDIRECT-UPREGULATOR", "DIRECT-REGULATOR", "ACTIVATOR", "INHIBITOR",
    "AGONIST", "ANTAGONIST", "AGONIST-ACTIVATOR", "AGONIST-INHIBITOR", "PRODUCT-OF", "SUBSTRATE",
    "SUBSTRATE_PRODUCT-OF", "PART-OF",
]

CITATION = """@inproceedings{miranda2021overview,
  title = {Overview of {DrugProt} {BioCreative VII} track: quality evaluation and large scale text mining of
           drug-gene/protein relations},
  author = {Miranda, Antonio and Mehryary, Farrokh and Luoma, Jouni and Pyysalo, Sampo and Valencia, Alfonso
            and Krallinger, Martin},
  booktitle = {Proceedings of the Seventh BioCreative Challenge Evaluation Workshop},
  year = {2021}
}"""


@register_loader
class DrugProt(AbstractTsvLoader):
    meta = DatasetMeta(
        name="drugprot",
        display_name="DrugProt",
        description=(
            "BioCreative VII DrugProt corpus: PubMed abstracts with chemical and gene mentions and "
            "13 types of drug/chemical-gene/protein relations (the successor of ChemProt)."
        ),
        languages=["en"],
        tasks=["ner", "re"],
        schema="kb",
        license="CC-BY-4.0",  # Zenodo record 5119892; BigBio's drugprot loader says CC BY 4.0
        citation=CITATION,
        homepage="https://biocreative.bioinformatics.udel.edu/tasks/biocreative-vii/track-1/",
        splits={"train": "*drugprot_training_abstracs.tsv", "validation": "*drugprot_development_abstracs.tsv"},
        source_files=[SourceFile(
            url="https://zenodo.org/record/5119892/files/drugprot-training-development-test-background.zip?download=1",
            filename="drugprot-training-development-test-background.zip",
        )],
        label_sets={"entity_types": ["CHEMICAL", "GENE", "GENE-Y", "GENE-N"], "relation_types": RELATION_TYPES},
        aliases=["DrugProt", "BC7DrugProt"],
        pubmed=True,
        bigbio_name="drugprot",
        format_note="DrugProt abstracs/entities/relations TSV (4-column relations); relation type kept as is.",
    )
