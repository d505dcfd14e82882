"""The search indexes, their settings (kept here, in code), and the one function per MongoDB
collection that maps a stored document to its search documents.

Every search document carries ``source_id`` (the MongoDB ``_id`` it came from) and
``revision`` (when the sync wrote it), so the sync can replace all documents of one source,
including those a shorter new version no longer has, without a moment where search is empty.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from api.models.budget import Classification, KeyProject
from api.models.complaints import Complaint
from api.models.livelihood import LivelihoodProject
from api.models.rectification import AuditFinding, Opinion, Rectifiable
from api.models.regulations import Regulation, RegulationKind, RegulationStatus
from api.models.suggestions import Suggestion
from api.models.work_evaluation import WorkEvaluation
from search.script import normalize, settled
from search.text import grams, synonym_settings
from search.words import words

FOREVER = 99991231
"""``in_force_until`` of a version nothing has ended."""


@dataclass(frozen=True)
class Index:
    name: str
    settings: Mapping[str, Any]

    def uid(self, prefix: str) -> str:
        return f"{prefix}-{self.name}"


@dataclass(frozen=True)
class Source:
    """A MongoDB collection that search follows, and what each of its documents becomes."""

    collection: str
    indexes: tuple[Index, ...]
    documents: Callable[[Mapping[str, Any]], dict[str, list[dict[str, Any]]]]
    """Stored document → search documents, per index name."""


def _day(value: date | None, default: int = 0) -> int:
    return int(value.strftime("%Y%m%d")) if value else default


def _common(settings: dict[str, Any]) -> dict[str, Any]:
    return {
        **settings,
        "localizedAttributes": [
            {"attributePatterns": list(settings["searchableAttributes"]), "locales": ["cmn"]}
        ],
        "synonyms": synonym_settings(),
        "typoTolerance": {
            "enabled": True,
            "minWordSizeForTypos": {"oneTypo": 5, "twoTypos": 9},
            "disableOnNumbers": True,
        },
        "pagination": {"maxTotalHits": 1000},
        # Texts are indexed as overlapping character pairs, so a pair that bridges two others
        # (算执 in 预算执行) already says they are adjacent; word-level proximity added little
        # to the ranking and cost a third of the indexing time (bench/README.md).
        "proximityPrecision": "byAttribute",
        # Among equally good matches, versions in force come before amended or repealed ones
        # (an explicit sort by date comes first).
        "rankingRules": [
            "words",
            "typo",
            "proximity",
            "sort",
            "current:desc",
            "attribute",
            "exactness",
        ],
    }


REGULATION_FILTERS = [
    "source_id",
    "title",
    "number",
    "revision",
    "visibility",
    "kind",
    "level",
    "status",
    "region",
    "categories",
    "year",
    "in_force_from",
    "in_force_until",
]

AUTHORITY = {
    RegulationKind.LAW: 0,
    RegulationKind.ADMINISTRATIVE_REGULATION: 1,
    RegulationKind.LOCAL_REGULATION: 2,
    RegulationKind.DEPARTMENTAL_RULE: 3,
    RegulationKind.JUDICIAL_INTERPRETATION: 4,
    RegulationKind.NORMATIVE_DOCUMENT: 5,
    RegulationKind.POLICY: 6,
    RegulationKind.APPROVAL: 7,
    RegulationKind.WORK_MATERIAL: 8,
}
"""Among equally good matches, a law before the regulations, rules and interpretations that
carry it out."""

REGULATION_SEARCHABLE = ["title", "heading", "text", "aliases"]
REGULATION_DISPLAYED = ["id", "source_id", "number", "label", "heading", "text", "title", "kind",
                        "level", "status", "region", "categories", "year", "current",
                        "settled"]  # fmt: skip

REGULATION_ARTICLES = Index(
    "regulation-articles",
    {
        # Meilisearch segments the Chinese of these fields into words (jieba), the query the
        # same way; traditional script is folded into simplified on both sides.
        "searchableAttributes": REGULATION_SEARCHABLE,
        "localizedAttributes": [{"attributePatterns": REGULATION_SEARCHABLE, "locales": ["cmn"]}],
        "filterableAttributes": REGULATION_FILTERS,
        "sortableAttributes": ["promulgated", "position"],
        "displayedAttributes": REGULATION_DISPLAYED,
        # Synonyms are indexed with each article (``aliases``), not expanded at query time:
        # Meilisearch's expansion of them took about 4 of the 13 ms its candidate requests
        # took (bench/README.md).
        "stopWords": list(words().stop_words),
        "typoTolerance": {"enabled": False},
        # Counts are exact up to here: the ranking asks how many articles hold each word.
        "pagination": {"maxTotalHits": 1_000_000},
        "faceting": {"maxValuesPerFacet": 100, "sortFacetValuesBy": {"*": "count"}},
        # An article matching more of the question's words comes first, then one where they
        # stand closer together; then (a listing) the order asked for; then the law before
        # what carries it out, so that the few hundred candidates gathered for ranking are not
        # all local copies of one rule (search.ranking); then the version in force. Ranking a
        # question is done by ``search.ranking``, which weighs title and heading itself: the
        # rules ``attribute`` and ``exactness`` added nothing to it and cost a fifth of the
        # time of gathering its candidates (bench/README.md).
        "rankingRules": ["words", "proximity", "sort", "authority:asc", "current:desc"],
    },
)
"""Every article of every document, the unit of retrieval. A document without articles (or
with a preamble) is one more entry at position -1, so every document can be found and listed.
``settled`` says the text is already in the form ranking compares (``search.script``)."""


def _words_of(whole: str) -> dict[str, Any]:
    """What an article's whole text (title, heading, text) adds to its search document:
    whether ranking may compare it as it is (``settled``), and the synonyms that find it."""
    is_settled = settled(whole)
    folded = whole.lower() if is_settled else normalize(whole)
    return {"settled": is_settled, "aliases": " ".join(words().aliases(folded))}


def regulation_documents(raw: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    regulation = Regulation.model_validate(raw)
    source_id = str(regulation.id)
    until = regulation.ineffective_on
    shared = {
        "source_id": source_id,
        "visibility": str(regulation.visibility),
        "kind": str(regulation.kind),
        "level": str(regulation.level),
        "status": str(regulation.status),
        "region": regulation.region,
        "categories": regulation.categories,
        "year": regulation.promulgated_on.year if regulation.promulgated_on else None,
        "in_force_from": _day(regulation.in_force_from),
        "in_force_until": _day(until, FOREVER),
        "promulgated": _day(regulation.promulgated_on),
        "current": 1 if regulation.status is RegulationStatus.EFFECTIVE else 0,
        "authority": AUTHORITY[regulation.kind],
        "title": regulation.title,
    }
    articles = [
        {
            **shared,
            "id": f"{source_id}-{position}",
            "position": position,
            "number": article.number,
            "label": article.label,
            "heading": article.heading,
            "text": article.text,
            **_words_of(f"{regulation.title} {article.heading} {article.text}"),
        }
        for position, article in enumerate(regulation.articles)
    ]
    if regulation.preamble or not regulation.articles:
        articles.append(
            {
                **shared,
                "id": f"{source_id}-preamble",
                "position": -1,
                "number": 0,
                "label": "",
                "heading": "",
                "text": regulation.preamble,
                **_words_of(f"{regulation.title} {regulation.preamble}"),
            }
        )
    return {REGULATION_ARTICLES.name: articles}


SUGGESTION_ACCESS = [
    "visibility",
    "state",
    "lead_deputy_id",
    "cosigner_ids",
    "merged_deputy_ids",
    "follower_ids",
    "unit_ids",
]
"""The fields ``Suggestion.access`` clauses name: every search carries them as its filter."""

SUGGESTIONS = Index(
    "suggestions",
    _common(
        {
            "searchableAttributes": ["title_grams", "meta_grams", "body_grams"],
            "filterableAttributes": ["source_id", "revision", "session_id", *SUGGESTION_ACCESS],
            "sortableAttributes": ["filed"],
            "displayedAttributes": ["id", "source_id"],
        }
    ),
)


def suggestion_documents(raw: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    suggestion = Suggestion.model_validate(raw)
    source_id = str(suggestion.id)
    document = {
        "id": source_id,
        "source_id": source_id,
        "session_id": str(suggestion.session_id),
        "visibility": str(suggestion.visibility),
        "state": str(suggestion.state),
        "lead_deputy_id": str(suggestion.lead_deputy_id),
        "cosigner_ids": [str(i) for i in suggestion.cosigner_ids],
        "merged_deputy_ids": [str(i) for i in suggestion.merged_deputy_ids],
        "follower_ids": [str(i) for i in suggestion.follower_ids],
        "unit_ids": [str(i) for i in suggestion.unit_ids],
        "filed": int(suggestion.filed_at.strftime("%Y%m%d%H%M%S")) if suggestion.filed_at else 0,
        "current": 1,
        "title_grams": grams(suggestion.title),
        "meta_grams": grams(
            " ".join(
                [
                    suggestion.number_label,
                    suggestion.category,
                    suggestion.theme,
                    *suggestion.keywords,
                ]
            )
        ),
        "body_grams": grams(suggestion.body),
    }
    return {SUGGESTIONS.name: [document]}


BUDGET_SUBJECTS = Index(
    "budget-subjects",
    _common(
        {
            "searchableAttributes": ["name_grams"],
            "filterableAttributes": ["source_id", "revision", "kind", "load"],
            "sortableAttributes": [],
            "displayedAttributes": ["id", "source_id", "kind", "code", "name"],
        }
    ),
)
"""Names of classification codes and key projects, for proposing a suggestion's links."""


def classification_documents(raw: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    code = Classification.model_validate(raw)
    source_id = str(code.id)
    document = {
        "id": source_id, "source_id": source_id, "kind": "CLASSIFICATION", "load": "",
        "code": code.code, "name": code.name, "current": 1, "name_grams": grams(code.name),
    }  # fmt: skip
    return {BUDGET_SUBJECTS.name: [document]}


def project_documents(raw: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    project = KeyProject.model_validate(raw)
    source_id = str(project.id)
    document = {
        "id": source_id, "source_id": source_id, "kind": "PROJECT", "load": str(project.load),
        "code": project.code, "name": project.name, "current": 1,
        "name_grams": grams(f"{project.name} {project.type}"),
    }  # fmt: skip
    return {BUDGET_SUBJECTS.name: [document]}


CASE_ACCESS = ["visibility", "unit_ids"]
"""The fields ``Rectifiable.access`` clauses name (opinions and audit findings)."""


def _record_index(name: str, access: list[str]) -> Index:
    """An index of records found by their title, what they are about and their text, filtered
    by the fields their access clauses name (``access``)."""
    return Index(
        name,
        _common(
            {
                "searchableAttributes": ["title_grams", "meta_grams", "body_grams"],
                "filterableAttributes": list(
                    dict.fromkeys(["source_id", "revision", "state", *access])
                ),
                "sortableAttributes": [],
                "displayedAttributes": ["id", "source_id"],
            }
        ),
    )


OPINIONS = _record_index("opinions", CASE_ACCESS)
AUDIT_FINDINGS = _record_index("audit-findings", CASE_ACCESS)


def _case_document(
    case: Rectifiable, title: str, meta: list[str], body: list[str]
) -> dict[str, Any]:
    source_id = str(case.id)  # type: ignore[attr-defined]
    return {
        "id": source_id, "source_id": source_id, "state": str(case.state),  # type: ignore[attr-defined]
        "visibility": str(case.visibility), "unit_ids": [str(i) for i in case.unit_ids],
        "current": 1, "title_grams": grams(title), "meta_grams": grams(" ".join(meta)),
        "body_grams": grams("\n".join(body)),
    }  # fmt: skip


def opinion_documents(raw: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    opinion = Opinion.model_validate(raw)
    document = _case_document(
        opinion, opinion.title, [opinion.stage.label, opinion.meeting, opinion.subject],
        [f"{p.number}. {p.text}" for p in opinion.points],
    )  # fmt: skip
    return {OPINIONS.name: [document]}


def finding_documents(raw: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    finding = AuditFinding.model_validate(raw)
    document = _case_document(
        finding, finding.title, [finding.number, finding.auditor, finding.category],
        [finding.description],
    )  # fmt: skip
    return {AUDIT_FINDINGS.name: [document]}


RECORD_ACCESS = ["state", "unit_id"]
"""The fields the access clauses of livelihood projects, work evaluations and the public's
questions name (``OneUnitRecord.access``, ``Complaint.access``)."""


LIVELIHOOD_PROJECTS = _record_index("livelihood-projects", RECORD_ACCESS)
WORK_EVALUATIONS = _record_index("work-evaluations", RECORD_ACCESS)
FUND_COMPLAINTS = _record_index("fund-complaints", RECORD_ACCESS)


def _record_document(
    raw: Mapping[str, Any], title: str, meta: list[str], body: list[str]
) -> dict[str, Any]:
    """A search document of a record whose every reader may read ``title``, ``meta`` and
    ``body``: only such words are indexed, so that a match tells nobody what they may not
    read."""
    source_id = str(raw["_id"])
    return {
        "id": source_id, "source_id": source_id, "state": str(raw["state"]),
        "unit_id": str(raw.get("unit_id") or ""), "current": 1, "title_grams": grams(title),
        "meta_grams": grams(" ".join(meta)), "body_grams": grams("\n".join(body)),
    }  # fmt: skip


def livelihood_documents(raw: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    project = LivelihoodProject.model_validate(raw)
    meta = [project.township, project.source.label]
    document = _record_document(raw, project.title, meta, [project.description])
    return {LIVELIHOOD_PROJECTS.name: [document]}


def evaluation_documents(raw: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The subject and committee; not the self-report or the preliminary opinion, which
    the public may not read of an evaluation it may."""
    evaluation = WorkEvaluation.model_validate(raw)
    document = _record_document(raw, evaluation.subject, [evaluation.committee], [])
    return {WORK_EVALUATIONS.name: [document]}


def complaint_documents(raw: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """What is published of it (the summary and the answer) and what it is about; never the
    submitter's text or contact."""
    complaint = Complaint.model_validate(raw)
    meta = [complaint.kind.label, complaint.policy, complaint.village]
    document = _record_document(raw, complaint.summary, meta, [complaint.answer])
    return {FUND_COMPLAINTS.name: [document]}


SOURCES: tuple[Source, ...] = (
    Source(
        collection=Regulation.Settings.name,
        indexes=(REGULATION_ARTICLES,),
        documents=regulation_documents,
    ),
    Source(
        collection=Suggestion.Settings.name,
        indexes=(SUGGESTIONS,),
        documents=suggestion_documents,
    ),
    Source(
        collection=Classification.Settings.name,
        indexes=(BUDGET_SUBJECTS,),
        documents=classification_documents,
    ),
    Source(
        collection=KeyProject.Settings.name,
        indexes=(BUDGET_SUBJECTS,),
        documents=project_documents,
    ),
    Source(collection=Opinion.Settings.name, indexes=(OPINIONS,), documents=opinion_documents),
    Source(
        collection=AuditFinding.Settings.name,
        indexes=(AUDIT_FINDINGS,),
        documents=finding_documents,
    ),
    Source(
        collection=LivelihoodProject.Settings.name,
        indexes=(LIVELIHOOD_PROJECTS,),
        documents=livelihood_documents,
    ),
    Source(
        collection=WorkEvaluation.Settings.name,
        indexes=(WORK_EVALUATIONS,),
        documents=evaluation_documents,
    ),
    Source(
        collection=Complaint.Settings.name,
        indexes=(FUND_COMPLAINTS,),
        documents=complaint_documents,
    ),
)
"""Every collection search follows."""
