"""A small county budget for tests, as the files finance would push: every figure chosen so
that totals, rates and changes can be worked out by hand in the tests.

Departments: 101 交通运输局 (published, handled by the `roads` unit) with 10101 公路事业发展
中心 below it, 102 教育局 (not published), 103 民政局 (published), 201 石门镇 (township).
"""

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

from api.access import Role, Viewer
from api.models.budget import FileKind
from api.services.budget_import import ImportReport, import_budget_file
from api.services.sheets import SheetLimits
from api.settings import Settings

FINANCE = Viewer(role=Role.FINANCE, name="财政局")
LIMITS = SheetLimits.of(Settings(env="test"))  # type: ignore[arg-type]
AS_OF = date(2026, 12, 3)
"""The day the test files are checked against: every month of 2024 and 2025 has ended."""
"""The configured limits on imported files, at their defaults."""

REGIONS = [
    ["地区编码", "地区名称", "级次", "上级地区编码"],
    ["QL", "青岚县", "县级", ""],
    ["QL-SM", "石门镇", "乡镇", "QL"],
]
DEPARTMENTS = [
    ["部门编码", "部门名称", "地区编码", "上级部门编码", "承办单位", "公开"],
    ["101", "青岚县交通运输局", "QL", "", "青岚县交通运输局", "是"],
    ["10101", "青岚县公路事业发展中心", "QL", "101", "", "否"],
    ["102", "青岚县教育局", "QL", "", "青岚县教育局", "否"],
    ["103", "青岚县民政局", "QL", "", "", "是"],
    ["201", "石门镇人民政府", "QL-SM", "", "", "否"],
]
LINE_HEADER = ["年度", "预算类型", "部门编码", "功能分类编码", "收支", "年初预算数", "调整预算数",
               "三公经费"]  # fmt: skip
LINES_2025 = [
    # 一般公共预算, expenditure: adjusted 1,000,000.10 + 500,000.20 + 800,000 + 300,000.30 + 50,000
    ["2025", "一般公共预算", "101", "2140104", "支出", "900000.10", "1000000.10", "否"],
    ["2025", "一般公共预算", "10101", "2140106", "支出", "500000.20", "500000.20", "否"],
    ["2025", "一般公共预算", "102", "2050202", "支出", "800000", "800000", "否"],
    ["2025", "一般公共预算", "103", "2081002", "支出", "300000.30", "300000.30", "否"],
    ["2025", "一般公共预算", "103", "2010101", "支出", "60000", "50000", "是"],
    # 政府性基金预算
    ["2025", "政府性基金预算", "101", "2120801", "支出", "2000000", "2000000", "否"],
    # revenue is not expenditure
    ["2025", "一般公共预算", "103", "2010101", "收入", "700000", "700000", "否"],
]
LINES_2024 = [
    ["2024", "一般公共预算", "101", "2140104", "支出", "800000", "800000", "否"],
    ["2024", "一般公共预算", "103", "2010101", "支出", "40000", "40000", "是"],
]
EXECUTION_HEADER = ["年度", "月份", "预算类型", "部门编码", "功能分类编码", "收支", "累计执行数"]
EXECUTION_2025 = [
    ["2025", "5", "一般公共预算", "101", "2140104", "支出", "300000.05"],
    ["2025", "6", "一般公共预算", "101", "2140104", "支出", "400000.05"],
    ["2025", "6", "一般公共预算", "10101", "2140106", "支出", "100000.10"],
    ["2025", "6", "一般公共预算", "102", "2050202", "支出", "600000"],
    ["2025", "6", "一般公共预算", "103", "2081002", "支出", "150000.15"],
    ["2025", "6", "一般公共预算", "103", "2010101", "支出", "30000"],
    ["2025", "6", "政府性基金预算", "101", "2120801", "支出", "500000"],
    ["2025", "6", "一般公共预算", "103", "2010101", "收入", "350000"],
]
EXECUTION_2024 = [
    ["2024", "6", "一般公共预算", "101", "2140104", "支出", "200000"],
    ["2024", "6", "一般公共预算", "103", "2010101", "支出", "20000"],
]
PROJECT_HEADER = ["年度", "项目编码", "项目名称", "项目类型", "部门编码", "功能分类编码",
                  "资金性质", "总投资", "年度计划", "累计支付", "项目状态"]  # fmt: skip
PROJECTS_2025 = [
    ["2025", "XM-001", "石门至青岚农村公路改建工程", "交通", "101", "2140104", "专项债券",
     "30000000", "8000000", "2000000", "在建"],
    ["2025", "XM-002", "城南幼儿园新建工程", "教育", "102", "2050201", "一般公共预算资金",
     "12000000", "6000000", "4500000", "在建"],
    ["2025", "XM-003", "县养老服务中心改造", "民政", "103", "2081006", "上级转移支付",
     "5000000", "5000000", "5000000", "已完工"],
]  # fmt: skip
DEBT_HEADER = ["年度", "地区编码", "债务余额", "债务限额", "综合财力", "地区生产总值", "当年到期",
               "新增债券", "债券资金用途", "公开"]  # fmt: skip
DEBT_2025 = [
    ["2025", "QL", "4500000000", "5000000000", "3000000000", "30000000000", "600000000",
     "800000000", "农村公路、保障性住房", "是"],
    ["2025", "QL-SM", "100000000", "150000000", "200000000", "2000000000", "0", "0", "", "否"],
]  # fmt: skip


def csv_bytes(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def write_csv(path: Path, rows: list[list[Any]]) -> Path:
    path.write_bytes(csv_bytes(rows))
    return path


async def load(name: str, rows: list[list[Any]], kind: FileKind | None = None) -> ImportReport:
    return await import_budget_file(
        io.BytesIO(csv_bytes(rows)),
        name=name,
        viewer=FINANCE,
        kind=kind,
        limits=LIMITS,
        as_of=AS_OF,
    )


async def budget_world() -> None:
    """Regions, departments, two years of lines and execution, projects and debt. Needs the
    units of ``suggestion_world`` first (departments name them)."""
    await load("regions.csv", REGIONS)
    await load("departments.csv", DEPARTMENTS)
    await load("lines-2024.csv", [LINE_HEADER, *LINES_2024])
    await load("execution-2024.csv", [EXECUTION_HEADER, *EXECUTION_2024])
    await load("lines-2025.csv", [LINE_HEADER, *LINES_2025])
    await load("execution-2025.csv", [EXECUTION_HEADER, *EXECUTION_2025])
    await load("projects-2025.csv", [PROJECT_HEADER, *PROJECTS_2025])
    await load("debt-2025.csv", [DEBT_HEADER, *DEBT_2025])
