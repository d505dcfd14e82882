"""Generated records of plausible Chinese budget wording, for the scale data set
(``seed/scale.py``): regulation files in the import format, and deputies, units and
suggestions with their timelines written straight into MongoDB in bulk.

Every record is a function of the seed and its own number, so any slice of a data set can
be generated on its own and the whole is the same however it was sliced."""

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bson import ObjectId

WORDS = (
    "预算 执行 调整 决算 审查 监督 人大 常委会 财政 部门 专项资金 转移支付 政府债务 专项债券 "
    "一般债券 绩效 评价 目标 项目库 支出 收入 非税收入 税收 国有资产 审计 整改 预警 联网 "
    "农村公路 养老服务 教育 医疗 卫生 社会保障 就业 住房 水利 农业 林业 交通 环境 保护 "
    "公开 透明 报告 备案 批准 初步审查 代表 建议 办理 答复 满意 督办 承办单位 乡镇 县级 "
    "年度 季度 月度 进度 时间进度 执行率 三公经费 公务接待 公务用车 因公出国 会议费 培训费 "
    "政府采购 合同 招标 资产 处置 出租 出借 收益 上缴 结转 结余 资金 拨付 直达资金 惠民 补贴 "
    "基本建设 运行 维护 信息系统 数据 共享 风险 防范 化解 限额 余额 偿还 利息 债务率 负债率"
).split()
KINDS = ("管理办法", "实施细则", "暂行规定", "工作规程", "实施意见")


def sentence(rng: random.Random) -> str:
    return "".join(rng.choice(WORDS) for _ in range(rng.randint(6, 10))) + "。"


def own_rng(seed: int, kind: int, n: int) -> random.Random:
    """The random source of record ``n`` of one kind."""
    return random.Random(seed * 1_000_003 + kind * 100_000_007 + n)


def own_id(kind: int, n: int) -> ObjectId:
    """A fixed id for record ``n`` of one kind (its first bytes name the kind)."""
    return ObjectId(f"{0x5F000000 + kind:08x}{n:016x}")


def write_corpus(
    folder: Path, *, first: int = 0, documents: int, articles: int, seed: int = 7
) -> int:
    """Write files ``first`` to ``first + documents - 1`` of ``articles`` articles each;
    returns the article count."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(first, first + documents):
        rng = own_rng(seed, 1, n)
        title = f"青岚县{rng.choice(WORDS)}{rng.choice(WORDS)}{rng.choice(KINDS)}（第{n}号）"
        lines = [f"# {title}", f"（{2000 + n % 26}年{1 + n % 12}月{1 + n % 28}日发布）"]
        for a in range(1, articles + 1):
            if a % 10 == 1:
                lines.append(f"第{a // 10 + 1}章 {rng.choice(WORDS)}{rng.choice(WORDS)}")
            lines.append(f"第{a}条 " + "".join(sentence(rng) for _ in range(rng.randint(2, 4))))
        (folder / f"{n:05d}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return documents * articles


SESSIONS = ("生成数据第一次会议", "生成数据第二次会议")
SUGGESTION_STATES = (
    ("DRAFT", 2), ("SUBMITTED", 3), ("NOT_REGISTERED", 3), ("REGISTERED", 5), ("ASSIGNED", 10),
    ("HANDLING", 20), ("REPLIED", 15), ("EVALUATED", 12), ("CLOSED", 30),
)  # fmt: skip
PASSED = {name: i for i, (name, _) in enumerate(SUGGESTION_STATES)}
STEPS = (
    ("create", "", "DRAFT"), ("submit", "DRAFT", "SUBMITTED"),
    ("register", "SUBMITTED", "REGISTERED"), ("assign", "REGISTERED", "ASSIGNED"),
    ("accept", "ASSIGNED", "HANDLING"), ("reply", "HANDLING", "REPLIED"),
    ("evaluate", "REPLIED", "EVALUATED"), ("close", "EVALUATED", "CLOSED"),
)  # fmt: skip
CATEGORIES = (
    "交通运输", "教育", "卫生健康", "养老服务", "生态环境", "水利", "农业农村", "城乡建设"
)  # fmt: skip
SESSION, DEPUTY, UNIT, SUGGESTION, REPLY, LINK = 2, 3, 4, 5, 8, 9
"""Kinds of record, for ``own_rng`` and ``own_id``."""


JUDGED = ("SATISFIED", "SATISFIED", "BASICALLY_SATISFIED", "UNSATISFIED")


def _closable(state: str, judged: str) -> str:
    """A closed suggestion was not left unsatisfied: it would have been handled again."""
    return "BASICALLY_SATISFIED" if state == "CLOSED" and judged == "UNSATISFIED" else judged


def deputy_name(n: int) -> str:
    return f"代表{n:04d}"


def unit_name(n: int) -> str:
    return f"生成单位{n:03d}"


async def write_people(db: Any, *, deputies: int, units: int) -> None:
    """The two sessions of term 18, ``deputies`` deputies and ``units`` units."""
    now = datetime(2025, 1, 1, tzinfo=UTC)
    await db.congress_sessions.insert_many([
        {"_id": own_id(SESSION, m), "name": name, "term": 18, "meeting": m + 1,
         "opened_on": datetime(2025 + m, 1, 8), "closed_on": datetime(2025 + m, 1, 11),
         "created_at": now}
        for m, name in enumerate(SESSIONS)
    ])  # fmt: skip
    await db.deputies.insert_many([
        {"_id": own_id(DEPUTY, i), "name": deputy_name(i), "delegation": f"第{i % 12}代表团",
         "level": "COUNTY", "constituency": f"第{i % 40}选区", "term": 18, "created_at": now,
         "updated_at": now}
        for i in range(deputies)
    ])  # fmt: skip
    await db.units.insert_many([
        {"_id": own_id(UNIT, i), "name": unit_name(i), "parent_id": None, "created_at": now,
         "updated_at": now}
        for i in range(units)
    ])  # fmt: skip


def _links(
    n: int, rng: random.Random, departments: list[str], codes: list[str]
) -> list[dict[str, Any]]:
    """None, or one or two links to a department, a classification or a line."""
    if rng.random() >= 0.4:
        return []
    links = []
    for i in range(rng.randint(1, 2)):
        kind = rng.choice(("DEPARTMENT", "CLASSIFICATION", "LINE"))
        department = rng.choice(departments) if kind != "CLASSIFICATION" else ""
        code = rng.choice(codes)
        classification = {"DEPARTMENT": "", "CLASSIFICATION": code[:5], "LINE": code}[kind]
        links.append(
            {"id": own_id(LINK, n * 2 + i), "kind": kind, "department": department,
             "classification": classification, "book": None, "project": "", "note": "",
             "linked_by": "生成", "linked_at": datetime(2025, 3, 1)}
        )  # fmt: skip
    return links


def suggestion(
    n: int, *, seed: int, deputies: int, units: int, departments: list[str], codes: list[str]
) -> dict[str, Any]:
    """Suggestion ``n``: a plausible state with the timeline, reply and evaluation that lead
    to it, and sometimes budget links."""
    rng = own_rng(seed, SUGGESTION, n)
    session = n % len(SESSIONS)
    state = rng.choices([s for s, _ in SUGGESTION_STATES], [w for _, w in SUGGESTION_STATES])[0]
    reached = PASSED[state]
    filed = datetime(2025 + session, 1, 8) + timedelta(days=rng.randint(0, 3))
    assigned = reached >= PASSED["ASSIGNED"]
    lead_unit = own_id(UNIT, rng.randrange(units)) if assigned else None
    co_unit = own_id(UNIT, rng.randrange(units)) if assigned and rng.random() < 0.3 else None
    co_units = [co_unit] if co_unit and co_unit != lead_unit else []
    assigned_at = filed + timedelta(days=rng.randint(10, 40))
    deadline = assigned_at + timedelta(days=91)
    replied = reached >= PASSED["REPLIED"]
    replied_at = assigned_at + timedelta(days=rng.randint(20, 120))
    lead = rng.randrange(deputies)
    cosigners = {rng.randrange(deputies) for _ in range(rng.randint(0, 3))} - {lead}
    timeline = [
        {"action": action, "actor_id": None, "actor_name": "生成", "at": filed,
         "from_state": before, "to_state": after, "note": ""}
        for action, before, after in STEPS
        if PASSED[after] <= reached
    ]  # fmt: skip
    if state == "NOT_REGISTERED":
        timeline.append({"action": "reject", "actor_id": None, "actor_name": "生成", "at": filed,
                         "from_state": "SUBMITTED", "to_state": state, "note": "重复"})  # fmt: skip
    evaluated = reached >= PASSED["EVALUATED"]
    return {
        "_id": own_id(SUGGESTION, n),
        "session_id": own_id(SESSION, session),
        "number": n // len(SESSIONS) + 1 if reached >= PASSED["REGISTERED"] else None,
        "kind": "SUGGESTION",
        "title": f"关于{rng.choice(WORDS)}{rng.choice(WORDS)}的建议",
        "body": sentence(rng) + sentence(rng),
        "lead_deputy_id": own_id(DEPUTY, lead),
        "cosigner_ids": [own_id(DEPUTY, c) for c in sorted(cosigners)],
        "category": rng.choice(CATEGORIES),
        "keywords": rng.sample(WORDS, 2),
        "theme": rng.choice(("", "", "民生实事", "乡村振兴")),
        "key_supervision": rng.random() < 0.1,
        "visibility": "PUBLIC" if rng.random() < 0.8 else "INTERNAL",
        "attachments": [],
        "state": state,
        "round": 1,
        "rehandle_count": 0,
        "rejection_reason": "重复" if state == "NOT_REGISTERED" else "",
        "lead_unit_id": lead_unit,
        "co_unit_ids": co_units,
        "unit_ids": [lead_unit, *co_units] if lead_unit else [],
        "assigned_at": assigned_at if assigned else None,
        "deadline": deadline if assigned else None,
        "replied_at": replied_at if replied else None,
        "on_time": replied_at <= deadline if replied else None,
        "satisfaction": _closable(state, rng.choice(JUDGED)) if evaluated else None,
        "replies": [
            {"id": own_id(REPLY, n), "unit_id": lead_unit, "unit_role": "LEAD", "round": 1,
             "text": sentence(rng), "result_class": rng.choice("ABC"), "commitments": [],
             "public": True, "replied_at": replied_at, "replied_by": "生成",
             "on_time": replied_at <= deadline}
        ] if replied else [],
        "supervision": [],
        "evaluations": [],
        "budget_links": _links(n, rng, departments, codes) if assigned else [],
        "timeline": timeline,
        "follower_ids": [],
        "filed_at": filed if reached >= PASSED["SUBMITTED"] else None,
        "created_by": None,
        "created_at": filed,
        "updated_at": filed,
        "revision": len(timeline),
    }  # fmt: skip


async def write_suggestions(
    db: Any,
    *,
    first: int = 0,
    count: int,
    seed: int = 11,
    deputies: int,
    units: int,
    departments: list[str],
    codes: list[str],
) -> None:
    """Insert suggestions ``first`` to ``first + count - 1`` in batches of 5,000."""
    numbers = range(first, first + count)
    for start in range(0, count, 5000):
        await db.suggestions.insert_many(
            [suggestion(n, seed=seed, deputies=deputies, units=units, departments=departments,
                        codes=codes) for n in numbers[start : start + 5000]],
            ordered=False,
        )  # fmt: skip
