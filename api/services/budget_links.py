"""The join that matters (DOMAIN.md): a suggestion linked to the money behind it, and that
money's figures for a year, for a whole page of suggestions in a constant number of queries.

A link names budget objects by code, so it holds across years and imports. Its figures are
those of the expenditure lines it covers (a department's, everything under a classification
code, or a department's lines under a code); a suggestion's total covers the union of its
links, so a department and one of its lines are not counted twice. Key projects are listed
beside the figures (under the departments and codes linked, or linked themselves); their
money is not added to the lines', which already hold it.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import meilisearch
from bson import ObjectId

from api.access import Role, Viewer, all_of, clauses_filter
from api.errors import DomainError, ErrorCode, optional_text
from api.language import say
from api.models.budget import (
    Book,
    BudgetLink,
    Classification,
    Department,
    Direction,
    Execution,
    FileKind,
    KeyProject,
    LinkKind,
    period_key,
)
from api.models.budget import BudgetLine as LineRow
from api.models.livelihood import LivelihoodProject
from api.models.suggestions import Suggestion
from api.services.budget_figures import (
    Figures,
    Year,
    department_access,
    each_load,
    projects_under,
)
from search.budget import matching_subjects

LINKS_MAX = 50
NEEDS = {
    LinkKind.DEPARTMENT: ("department",),
    LinkKind.CLASSIFICATION: ("classification",),
    LinkKind.LINE: ("department", "classification"),
    LinkKind.PROJECT: ("project",),
}


@dataclass(frozen=True)
class LinkDraft:
    kind: LinkKind
    department: str = ""
    classification: str = ""
    book: Book | None = None
    project: str = ""
    note: str = ""


Linked = Suggestion | LivelihoodProject
L = TypeVar("L", Suggestion, LivelihoodProject)
"""What is linked to the money behind it: a suggestion, a livelihood project."""


def _what(model: type[Linked]) -> str:
    """What is linked, named in the request's language."""
    if model is Suggestion:
        return say("建议", "suggestion")
    return say("民生实事项目", "livelihood project")


def may_link(viewer: Viewer, record: Linked) -> bool:
    """Staff and admins; a suggestion's lead deputy; a livelihood project's unit."""
    if viewer.has_role(Role.STAFF, Role.ADMIN):
        return True
    if isinstance(record, Suggestion):
        return viewer.deputy_id is not None and viewer.deputy_id == record.lead_deputy_id
    return viewer.unit_acted_for is not None and viewer.unit_acted_for == record.unit_id


def _refuse_unless_allowed(viewer: Viewer, record: Linked) -> None:
    if not may_link(viewer, record):
        if isinstance(record, Suggestion):
            who = say("领衔代表", "the lead deputy")
        else:
            who = say("责任单位", "the responsible unit")
        what = _what(type(record))
        raise DomainError(
            ErrorCode.FORBIDDEN,
            say(
                f"只有常委会工作人员和{who}可以为{what}关联预算",
                f"Only standing committee staff and {who} may link a {what} to the budget",
            ),
        )


async def checked_link(draft: LinkDraft, viewer: Viewer) -> BudgetLink:
    wanted = NEEDS[draft.kind]
    for name in ("department", "classification", "project"):
        value = getattr(draft, name).strip()
        if name in wanted and not value:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                say(
                    f"{draft.kind.label}关联须填写 {name}",
                    f"A {draft.kind.value} link must give {name}",
                ),
                field=name,
            )
        if name not in wanted and value:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                say(
                    f"{draft.kind.label}关联不填写 {name}",
                    f"A {draft.kind.value} link does not take {name}",
                ),
                field=name,
            )
    if draft.book is not None and draft.kind is not LinkKind.LINE:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                "只有关联到预算指标时才填预算类型",
                "Give book only for a link to a budget line (LINE)",
            ),
            field="book",
        )
    if draft.department and not await Department.find_one(Department.code == draft.department):
        raise DomainError(
            ErrorCode.NOT_FOUND,
            say(
                f"没有编码为“{draft.department}”的部门",
                f'There is no department with the code "{draft.department}"',
            ),
            field="department",
        )
    if draft.classification and not await Classification.find_one(
        Classification.code == draft.classification
    ):
        raise DomainError(
            ErrorCode.NOT_FOUND,
            say(
                f"没有功能分类编码“{draft.classification}”",
                f'There is no functional classification code "{draft.classification}"',
            ),
            field="classification",
        )
    if draft.project and not await KeyProject.find_one(KeyProject.code == draft.project):
        raise DomainError(
            ErrorCode.NOT_FOUND,
            say(f"没有重点项目“{draft.project}”", f'There is no key project "{draft.project}"'),
            field="project",
        )
    return BudgetLink(
        kind=draft.kind,
        department=draft.department.strip(),
        classification=draft.classification.strip(),
        book=draft.book,
        project=draft.project.strip(),
        note=optional_text(draft.note, field="note", max_length=500, what=say("备注", "note")),
        linked_by=viewer.name or "—",
    )


async def link(*, record: L, draft: LinkDraft, viewer: Viewer) -> L:
    """Add a link; the same target twice is refused, as is a 51st link."""
    _refuse_unless_allowed(viewer, record)
    new = await checked_link(draft, viewer)
    target = {
        "kind": new.kind.value, "department": new.department,
        "classification": new.classification, "book": new.book, "project": new.project,
    }  # fmt: skip
    model = type(record)
    updated = await model.get_pymongo_collection().find_one_and_update(
        {
            "_id": record.id,
            "budget_links": {"$not": {"$elemMatch": target}},
            f"budget_links.{LINKS_MAX - 1}": {"$exists": False},
        },
        {"$push": {"budget_links": new.model_dump(mode="python")}},
        return_document=True,
    )
    if updated is None:
        fresh = await model.get(record.id)
        what = _what(model)
        if fresh is not None and len(fresh.budget_links) >= LINKS_MAX:
            raise DomainError(
                ErrorCode.CONFLICT,
                say(
                    f"一个{what}最多关联 {LINKS_MAX} 项预算",
                    f"A {what} may have at most {LINKS_MAX} budget links",
                ),
            )
        raise DomainError(
            ErrorCode.ALREADY_EXISTS,
            say(f"这个{what}已经关联了这一项", f"This {what} is already linked to it"),
        )
    return model.model_validate(updated)


async def unlink(*, record: L, link_id: ObjectId, viewer: Viewer) -> L:
    _refuse_unless_allowed(viewer, record)
    model = type(record)
    updated = await model.get_pymongo_collection().find_one_and_update(
        {"_id": record.id, "budget_links.id": link_id},
        {"$pull": {"budget_links": {"id": link_id}}},
        return_document=True,
    )
    if updated is None:
        what = _what(model)
        raise DomainError(
            ErrorCode.NOT_FOUND,
            say(f"这个{what}没有这项关联", f"This {what} has no such link"),
            field="linkId",
        )
    return model.model_validate(updated)


# --- figures of links --------------------------------------------------------------------------


def _match(link: BudgetLink) -> dict[str, Any] | None:
    """The rows a link covers; None for a project link (it covers no line)."""
    found: dict[str, Any] = {}
    if link.kind is LinkKind.PROJECT:
        return None
    if link.department:
        found["department"] = link.department
    if link.classification:
        found["class_path"] = link.classification
    if link.book:
        found["book"] = link.book.value
    return found


def _expression(match: dict[str, Any]) -> dict[str, Any]:
    """The same test as an aggregation expression."""
    terms: list[dict[str, Any]] = []
    for name, value in match.items():
        if name == "class_path":
            terms.append({"$in": [value, "$class_path"]})
        else:
            terms.append({"$eq": [f"${name}", value]})
    return terms[0] if len(terms) == 1 else {"$and": terms}


@dataclass
class LinkFigures:
    link: BudgetLink
    figures: Figures | None
    """None for a project link."""
    projects: list[KeyProject] = field(default_factory=list)


@dataclass
class Spending:
    year: int
    month: int | None
    links: list[LinkFigures]
    total: Figures
    monthly: list[Figures]


def _tagged(match: dict[str, Any], tags: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    expression = {"$concatArrays": [{"$cond": [test, [tag], []]} for tag, test in tags]}
    return [
        {"$match": match},
        {"$project": {"tags": expression, "initial": 1, "adjusted": 1, "executed": 1,
                      "month": 1}},
        {"$unwind": "$tags"},
    ]  # fmt: skip


async def spending(
    viewer: Viewer, suggestions: Sequence[Linked], *, year: int, month: int | None,
    series: bool = True, projects: bool = True,
) -> list[Spending]:  # fmt: skip
    """Each suggestion's spending for the whole list: one aggregation for the figures, one
    for the month-by-month ``series`` and one find for the key ``projects`` (each left
    out, and left empty, when not wanted)."""
    current = await Year.of(year)
    month = current.month(month)
    access = clauses_filter(await department_access(viewer))
    link_tags: list[tuple[str, dict[str, Any]]] = []
    suggestion_tags: list[tuple[str, dict[str, Any]]] = []
    covered: list[dict[str, Any]] = []
    for suggestion in suggestions:
        matches = [(link, _match(link)) for link in suggestion.budget_links]
        tests = []
        for link, match in matches:
            if match is not None:
                link_tags.append((f"l{link.id}", _expression(match)))
                tests.append(_expression(match))
                covered.append(match)
        if tests:
            test = tests[0] if len(tests) == 1 else {"$or": tests}
            suggestion_tags.append((f"s{suggestion.id}", test))
    sums: dict[str, Figures] = {}
    by_month_of: dict[str, dict[int, int]] = {}
    spent = {"direction": Direction.EXPENDITURE.value, "$or": covered}
    if covered:
        tags = link_tags + suggestion_tags
        group = {"_id": "$tags", "initial": {"$sum": "$initial"},
                 "adjusted": {"$sum": "$adjusted"}, "executed": {"$sum": "$executed"}}  # fmt: skip
        executed = (
            [*_tagged(all_of(current.execution(month), spent, access), tags), {"$group": group}]
            if month
            else [{"$match": {"_id": None}}]
        )
        pipeline = [
            *_tagged(all_of(current.rows(FileKind.LINES), spent, access), tags),
            {"$group": group},
            {"$unionWith": {"coll": Execution.Settings.name, "pipeline": executed}},
            {"$group": {**group, "_id": "$_id"}},
        ]
        async for row in await LineRow.get_pymongo_collection().aggregate(pipeline):
            sums[row["_id"]] = Figures(row["initial"], row["adjusted"], row["executed"], month)
    if covered and series:
        by_month = [
            *each_load(
                current.execution_by_load(None),
                lambda rows: _tagged(all_of(rows, spent, access), suggestion_tags),
            ),
            {"$group": {"_id": {"tag": "$tags", "month": "$month"},
                        "executed": {"$sum": "$executed"}}},
        ]  # fmt: skip
        async for row in await Execution.get_pymongo_collection().aggregate(by_month):
            by_month_of.setdefault(row["_id"]["tag"], {})[row["_id"]["month"]] = row["executed"]
    found = await _projects(suggestions, current, access) if projects else []
    return [
        _spending(suggestion, sums, by_month_of, found, current, month)
        for suggestion in suggestions
    ]


async def _projects(
    suggestions: Sequence[Linked], current: Year, access: Mapping[str, Any]
) -> list[KeyProject]:
    """The projects any link of these suggestions covers, in one query."""
    links = [link for s in suggestions for link in s.budget_links]
    return await projects_under(
        current,
        access,
        departments=sorted({k.department for k in links if k.kind is LinkKind.DEPARTMENT}),
        classifications=sorted(
            {k.classification for k in links if k.kind in (LinkKind.CLASSIFICATION, LinkKind.LINE)}
        ),
        codes=sorted({k.project for k in links if k.kind is LinkKind.PROJECT}),
    )


def _under(link: BudgetLink, project: KeyProject) -> bool:
    if link.kind is LinkKind.PROJECT:
        return project.code == link.project
    return (not link.department or project.department == link.department) and (
        not link.classification or project.classification.startswith(link.classification)
    )


def _spending(
    suggestion: Linked, sums: dict[str, Figures], series: dict[str, dict[int, int]],
    projects: list[KeyProject], current: Year, month: int | None,
) -> Spending:  # fmt: skip
    empty = Figures(month=month)
    links = [
        LinkFigures(
            link=link,
            figures=None if link.kind is LinkKind.PROJECT else sums.get(f"l{link.id}", empty),
            projects=[p for p in projects if _under(link, p)],
        )
        for link in suggestion.budget_links
    ]
    total = sums.get(f"s{suggestion.id}", empty)
    executed = series.get(f"s{suggestion.id}", {})
    monthly = [
        Figures(total.initial, total.adjusted, executed.get(m, 0), m)
        for m in current.months
        if suggestion.budget_links
    ]
    return Spending(current.year, month, links, total, monthly)


# --- proposing links ---------------------------------------------------------------------------


FRAME = re.compile(r"^关于|(的)?(建议|意见|批评|议案)$")
HAN_RUN = re.compile(r"[\u3400-\u9fff]{2,}")
PHRASES_MAX = 12


def phrases(suggestion: Suggestion) -> list[str]:
    """What a suggestion is about, as short phrases a budget name may hold: its keywords,
    its topic, and four-character stretches of its title without the frame (关于…的建议)."""
    found = [*suggestion.keywords, suggestion.category]
    core = FRAME.sub("", FRAME.sub("", suggestion.title))
    for run in HAN_RUN.findall(core):
        found += [run] if len(run) <= 4 else [run[i : i + 4] for i in range(0, len(run) - 3, 2)]
    return list(dict.fromkeys(p for p in found if p))[:PHRASES_MAX]


@dataclass(frozen=True)
class Candidate:
    """A link worth proposing, for a person to confirm with ``link``."""

    draft: LinkDraft
    name: str
    reason: str


async def candidates(
    *, suggestion: Suggestion, viewer: Viewer, client: meilisearch.Client, prefix: str,
    year: int, limit: int = 10,
) -> list[Candidate]:  # fmt: skip
    """The departments of its units, then classification codes and key projects whose names
    match its keywords, topic and title; what it is already linked to is left out."""
    _refuse_unless_allowed(viewer, suggestion)
    found: list[Candidate] = []
    units = [i for i in (suggestion.lead_unit_id, *suggestion.co_unit_ids) if i is not None]
    async for department in Department.find({"unit_id": {"$in": units}}).sort("code"):
        if department.unit_id == suggestion.lead_unit_id:
            reason = say("主办单位的部门预算", "The lead unit's department budget")
        else:
            reason = say("协办单位的部门预算", "A co-unit's department budget")
        found.append(Candidate(
            LinkDraft(LinkKind.DEPARTMENT, department=department.code), department.name, reason,
        ))  # fmt: skip
    current = await Year.of(year)
    projects = current.loads.get(period_key(FileKind.PROJECTS))
    hits = await matching_subjects(
        client, phrases=phrases(suggestion), prefix=prefix,
        projects_load=str(projects) if projects else None, limit=limit,
    )  # fmt: skip
    for hit in hits:
        if hit["kind"] == LinkKind.PROJECT.value:
            draft = LinkDraft(LinkKind.PROJECT, project=hit["code"])
        else:
            draft = LinkDraft(LinkKind.CLASSIFICATION, classification=hit["code"])
        reason = say(
            "名称与建议的关键词、主题或标题相符",
            "Its name matches the suggestion's keywords, topic or title",
        )
        found.append(Candidate(draft, hit["name"], reason))
    linked = suggestion.budget_links
    fresh = [
        c for c in found
        if not any(
            k.kind is c.draft.kind and k.department == c.draft.department
            and k.classification == c.draft.classification and k.project == c.draft.project
            and k.book is None
            for k in linked
        )
    ]  # fmt: skip
    return fresh[:limit]
