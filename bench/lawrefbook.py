"""The public LawRefBook/Laws library in its own layout, imported with ``jiandu``'s regulation
importer as a library office would: each national folder with its kind, each province's
folder of local regulations with its region.

Get it (its texts stay out of this repository) with ``git clone`` of LawRefBook/Laws into a
folder of your choice, and give that folder to ``python -m bench.search_quality --corpus``.
"""

from dataclasses import dataclass
from pathlib import Path

from api.models.regulations import Level, RegulationKind
from api.services.regulation_import import FileResult, ImportDefaults, Outcome, import_paths

NATIONAL_KINDS = {
    "宪法": RegulationKind.LAW,
    "宪法相关法": RegulationKind.LAW,
    "民法典": RegulationKind.LAW,
    "民法商法": RegulationKind.LAW,
    "行政法": RegulationKind.LAW,
    "经济法": RegulationKind.LAW,
    "社会法": RegulationKind.LAW,
    "刑法": RegulationKind.LAW,
    "诉讼与非诉讼程序法": RegulationKind.LAW,
    "行政法规": RegulationKind.ADMINISTRATIVE_REGULATION,
    "部门规章": RegulationKind.DEPARTMENTAL_RULE,
    "司法解释": RegulationKind.JUDICIAL_INTERPRETATION,
    "其他": RegulationKind.NORMATIVE_DOCUMENT,
}
"""Folder → the kind of its files whose title does not say it."""

PROVINCES = {
    "北京": "北京市",
    "上海": "上海市",
    "重庆": "重庆市",
    "山东": "山东省",
    "广东": "广东省",
    "河南": "河南省",
    "浙江": "浙江省",
}
"""``DLC/<name>地方法规`` → the region of its local regulations."""


@dataclass(frozen=True)
class Loaded:
    results: list[FileResult]

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.results if r.outcome is outcome)


def folders(corpus: Path) -> list[tuple[Path, ImportDefaults]]:
    """Each folder of the library with what the importer is told about its files."""
    if not (corpus / "宪法").is_dir():
        raise SystemExit(f"{corpus} is not a LawRefBook/Laws folder (it has no 宪法/ folder)")
    national = [
        (corpus / name, ImportDefaults(kind=kind, level=Level.NATIONAL))
        for name, kind in NATIONAL_KINDS.items()
        if (corpus / name).is_dir()
    ]
    local = [
        (
            corpus / "DLC" / f"{name}地方法规",
            ImportDefaults(
                kind=RegulationKind.LOCAL_REGULATION, level=Level.PROVINCIAL, region=region
            ),
        )
        for name, region in PROVINCES.items()
        if (corpus / "DLC" / f"{name}地方法规").is_dir()
    ]
    return national + local


async def load(corpus: Path) -> Loaded:
    results: list[FileResult] = []
    for folder, defaults in folders(corpus):
        results += await import_paths([folder], defaults)
    return Loaded(results)
