"""Generated data for benchmarks: regulation files of plausible Chinese budget wording (in
the import format) and suggestions written straight into MongoDB, deterministic from a
seed."""

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


def write_corpus(folder: Path, *, documents: int, articles: int, seed: int = 7) -> int:
    """Write ``documents`` files of ``articles`` articles each; returns the article count."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(documents):
        title = f"青岚县{rng.choice(WORDS)}{rng.choice(WORDS)}{rng.choice(KINDS)}（第{n}号）"
        lines = [f"# {title}", f"（{2000 + n % 26}年{1 + n % 12}月{1 + n % 28}日发布）"]
        for a in range(1, articles + 1):
            if a % 10 == 1:
                lines.append(f"第{a // 10 + 1}章 {rng.choice(WORDS)}{rng.choice(WORDS)}")
            lines.append(f"第{a}条 " + "".join(sentence(rng) for _ in range(rng.randint(2, 4))))
        (folder / f"{n:05d}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return documents * articles


SUGGESTION_STATES = (
    ("DRAFT", 2), ("SUBMITTED", 3), ("NOT_REGISTERED", 3), ("REGISTERED", 5), ("ASSIGNED", 10),
    ("HANDLING", 20), ("REPLIED", 15), ("EVALUATED", 12), ("CLOSED", 30),
)  # fmt: skip
PASSED = {name: i for i, (name, _) in enumerate(SUGGESTION_STATES)}


async def write_suggestions(
    db: Any, *, suggestions: int, deputies: int = 300, units: int = 60, seed: int = 11
) -> None:
    """Insert two sessions, ``deputies`` deputies, ``units`` units and ``suggestions``
    suggestions in plausible states (with timelines and replies) straight into MongoDB, in
    bulk; deterministic from ``seed``."""
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    sessions: list[dict[str, Any]] = [
        {"_id": ObjectId(), "name": f"生成数据第{m}次会议", "term": 18, "meeting": m,
         "opened_on": datetime(2024 + m, 1, 8), "closed_on": datetime(2024 + m, 1, 11),
         "created_at": now}
        for m in (1, 2)
    ]  # fmt: skip
    await db.congress_sessions.insert_many(sessions)
    deputy_docs = [
        {"_id": ObjectId(), "name": f"代表{i:04d}", "delegation": f"第{i % 12}代表团",
         "level": "COUNTY", "constituency": f"第{i % 40}选区", "term": 18, "created_at": now,
         "updated_at": now}
        for i in range(deputies)
    ]  # fmt: skip
    await db.deputies.insert_many(deputy_docs)
    unit_docs = [
        {"_id": ObjectId(), "name": f"生成单位{i:03d}", "parent_id": None, "created_at": now,
         "updated_at": now}
        for i in range(units)
    ]  # fmt: skip
    await db.units.insert_many(unit_docs)
    states = [name for name, weight in SUGGESTION_STATES for _ in range(weight)]
    numbers = {s["_id"]: 0 for s in sessions}
    batch: list[dict[str, Any]] = []
    for _ in range(suggestions):
        session = rng.choice(sessions)
        state = rng.choice(states)
        reached = PASSED[state]
        registered = reached >= PASSED["REGISTERED"]
        if registered:
            numbers[session["_id"]] += 1
        filed: datetime = session["opened_on"] + timedelta(days=rng.randint(0, 3))
        assigned = reached >= PASSED["ASSIGNED"]
        lead_unit = rng.choice(unit_docs)["_id"] if assigned else None
        co_units = [rng.choice(unit_docs)["_id"]] if assigned and rng.random() < 0.3 else []
        co_units = [u for u in co_units if u != lead_unit]
        assigned_at = filed + timedelta(days=rng.randint(10, 40))
        deadline = assigned_at + timedelta(days=91)
        replied = reached >= PASSED["REPLIED"]
        replied_at = assigned_at + timedelta(days=rng.randint(20, 120))
        lead = rng.choice(deputy_docs)["_id"]
        timeline = [
            {"action": action, "actor_id": None, "actor_name": "生成", "at": filed,
             "from_state": before, "to_state": after, "note": ""}
            for action, before, after in (
                ("create", "", "DRAFT"), ("submit", "DRAFT", "SUBMITTED"),
                ("register", "SUBMITTED", "REGISTERED"), ("assign", "REGISTERED", "ASSIGNED"),
                ("accept", "ASSIGNED", "HANDLING"), ("reply", "HANDLING", "REPLIED"),
                ("evaluate", "REPLIED", "EVALUATED"), ("close", "EVALUATED", "CLOSED"),
            )
            if PASSED.get(after, 0) <= reached or after == "DRAFT"
        ]  # fmt: skip
        satisfaction = (
            rng.choice(("SATISFIED", "SATISFIED", "BASICALLY_SATISFIED", "UNSATISFIED"))
            if reached >= PASSED["EVALUATED"] else None
        )  # fmt: skip
        title = f"关于{rng.choice(WORDS)}{rng.choice(WORDS)}的建议"
        batch.append(
            {
                "session_id": session["_id"],
                "number": numbers[session["_id"]] if registered else None,
                "kind": "SUGGESTION",
                "title": title,
                "body": sentence(rng) + sentence(rng),
                "lead_deputy_id": lead,
                "cosigner_ids": [d["_id"] for d in rng.sample(deputy_docs, rng.randint(0, 3))
                                 if d["_id"] != lead],
                "category": rng.choice(("交通运输", "教育", "卫生健康", "养老服务", "生态环境",
                                        "水利", "农业农村", "城乡建设")),
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
                "satisfaction": satisfaction,
                "replies": [
                    {"id": ObjectId(), "unit_id": lead_unit, "unit_role": "LEAD", "round": 1,
                     "text": sentence(rng), "result_class": rng.choice("ABC"), "commitments": [],
                     "public": True, "replied_at": replied_at, "replied_by": "生成",
                     "on_time": replied_at <= deadline}
                ] if replied else [],
                "supervision": [],
                "evaluations": [],
                "timeline": timeline,
                "follower_ids": [],
                "filed_at": filed if reached >= PASSED["SUBMITTED"] else None,
                "created_by": None,
                "created_at": filed,
                "updated_at": filed,
                "revision": len(timeline),
            }
        )  # fmt: skip
        if len(batch) == 5000:
            await db.suggestions.insert_many(batch, ordered=False)
            batch = []
    if batch:
        await db.suggestions.insert_many(batch, ordered=False)
