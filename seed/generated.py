"""Generated regulation files for benchmarks: many documents of plausible Chinese budget
wording, deterministic from a seed, written in the import format."""

import random
from pathlib import Path

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
