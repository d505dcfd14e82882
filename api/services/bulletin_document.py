"""The quarterly bulletin as a Word document (.docx, the format the offices exchange), with a
chart of execution against time progress drawn as a picture. The chart carries only
numbers; its legend is the caption beneath it, in the document's own (Chinese) text, so it
reads the same whatever fonts the server has."""

import io
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from PIL import Image, ImageDraw, ImageFont

from api.services.budget_figures import Figures
from api.services.bulletin import Bulletin, Rectification

SECTIONS = (
    "一、预算执行情况",
    "二、预警情况",
    "三、发现的问题",
    "四、意见建议",
    "五、整改落实情况",
)
CHART_CAPTION = (
    "图1 一般公共预算支出执行率与时间进度（横轴：月份；纵轴：%；"
    "蓝色实线：累计执行率；红色虚线：时间进度）"
)


def wan(fen: int) -> str:
    """分 in 万元, two decimals."""
    return str((Decimal(fen) / 1_000_000).quantize(Decimal("0.01"), ROUND_HALF_UP))


def _rate(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def _points(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}个百分点"


def chart(series: list[Figures]) -> bytes:
    """A PNG line chart: cumulative execution rate by month against time progress."""
    width, height, left, right, top, bottom = 960, 480, 70, 30, 30, 60
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=16)
    plot_w, plot_h = width - left - right, height - top - bottom

    def point(month: float, percent: float) -> tuple[float, float]:
        return left + plot_w * month / 12, top + plot_h * (1 - min(percent, 120) / 120)

    for level in range(0, 121, 20):
        _, y = point(0, level)
        draw.line([(left, y), (width - right, y)], fill="#dddddd", width=1)
        draw.text((left - 10, y), f"{level}%", fill="black", font=font, anchor="rm")
    for month in range(0, 13):
        x, _ = point(month, 0)
        draw.line([(x, top + plot_h), (x, top + plot_h + 6)], fill="black", width=1)
        if month:
            draw.text((x, top + plot_h + 10), str(month), fill="black", font=font, anchor="mt")
    draw.line([(left, top), (left, top + plot_h), (width - right, top + plot_h)], fill="black")
    for month in range(12):  # time progress, dashed
        for step in range(4):
            a, b = month + step / 4, month + step / 4 + 0.15
            draw.line([point(a, a * 100 / 12), point(b, b * 100 / 12)], fill="#d62728", width=3)
    rates = [(f.month, float(f.rate)) for f in series if f.month and f.rate is not None]
    if rates:
        draw.line([point(0, 0), *(point(m, r) for m, r in rates)], fill="#1f77b4", width=4)
        for m, r in rates:
            x, y = point(m, r)
            draw.ellipse([x - 5, y - 5, x + 5, y + 5], fill="#1f77b4")
            draw.text((x, y - 10), f"{r:.1f}", fill="#1f77b4", font=font, anchor="mb")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _table(document: docx.document.Document, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text


def _progress(what: str, r: Rectification) -> str:
    return f"{what}共{r.total}件，已办结{r.closed}件，已报告待审{r.reported}件，逾期{r.overdue}件"


PAGE = {"page_width": Mm(210), "page_height": Mm(297), "top_margin": Mm(37),
        "bottom_margin": Mm(35), "left_margin": Mm(28), "right_margin": Mm(26)}  # fmt: skip
"""A4 with the margins of the national layout of official documents (GB/T 9704-2012: a
156 × 225 mm text block, 37 mm from the top and 28 mm from the binding edge)."""
FONTS = {"Normal": ("仿宋_GB2312", 16), "Title": ("方正小标宋简体", 22), "Heading 1": ("黑体", 16)}
"""Each style's Chinese font and size in points: body 仿宋 三号, title 小标宋 二号, first-level
headings 黑体 三号 (GB/T 9704-2012)."""


def _official(d: docx.document.Document, *, title: str, author: str) -> None:
    """The page, fonts and properties of an official document: A4, GB/T 9704 margins and
    fonts (black, not the template's blue), and properties naming the document, its author
    and when it was made (not python-docx's template's)."""
    for section in d.sections:
        for name, length in PAGE.items():
            setattr(section, name, length)
    for name, (font, size) in FONTS.items():
        style = d.styles[name]
        style.font.name, style.font.size, style.font.bold = font, Pt(size), name != "Normal"
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    now = datetime.now(UTC).replace(microsecond=0)
    properties = d.core_properties
    properties.title, properties.author, properties.last_modified_by = title, author, author
    properties.created, properties.modified, properties.revision = now, now, 1
    properties.language, properties.comments, properties.keywords = "zh-CN", "", ""


def document(b: Bulletin) -> bytes:
    """The bulletin as .docx bytes."""
    d = docx.Document()
    _official(d, title=b.title, author=f"{b.region}人大常委会")
    title = d.add_heading(b.title, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.add_paragraph(f"数据截至{b.year}年{b.month}月末。时间进度{b.total.time_progress}%。")

    d.add_heading(SECTIONS[0], level=1)
    total = b.total
    d.add_paragraph(
        f"截至{b.year}年{b.month}月末，四本预算支出调整预算{wan(total.adjusted)}万元，累计执行"
        f"{wan(total.executed)}万元，执行率{_rate(total.rate)}，时间进度{_rate(total.time_progress)}。"
    )
    _table(d, ["预算类型", "调整预算数（万元）", "累计执行数（万元）", "执行率", "时间进度"], [
        [book.label, wan(f.adjusted), wan(f.executed), _rate(f.rate), _rate(f.time_progress)]
        for book, f in sorted(b.books.items())
    ])  # fmt: skip
    d.add_picture(io.BytesIO(chart(b.monthly)), width=Cm(16))
    d.add_paragraph(CHART_CAPTION).alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.add_paragraph("执行率最低的部门：")
    header = ["部门", "调整预算数（万元）", "累计执行数（万元）", "执行率", "与时间进度差"]
    _table(d, header, [
        [name, wan(f.adjusted), wan(f.executed), _rate(f.rate), _points(f.gap)]
        for _, name, f in b.worst
    ])  # fmt: skip

    d.add_heading(SECTIONS[1], level=1)
    serious = sum(t.serious for t in b.tallies)
    d.add_paragraph(
        f"本季度共产生预警{len(b.warnings)}条，其中严重预警{serious}条，"
        f"已整改办结{b.warning_progress.closed}条，核实销号{b.warning_progress.dismissed}条，"
        f"已反馈待审{b.warning_progress.reported}条。"
    )
    _table(d, ["预警等级", "预警事项", "期间", "处理状态"], [
        [w.severity.label, w.title, w.period, w.state.label] for w in b.warnings
    ])  # fmt: skip

    d.add_heading(SECTIONS[2], level=1)
    for n, problem in enumerate(b.problems or ["本季度未发现需要预警的问题。"], start=1):
        d.add_paragraph(f"{n}. {problem}")

    d.add_heading(SECTIONS[3], level=1)
    for n, text in enumerate(b.recommendations or ["继续做好日常监测。"], start=1):
        d.add_paragraph(f"{n}. {text}")

    d.add_heading(SECTIONS[4], level=1)
    d.add_paragraph(
        _progress("审议意见", b.opinions)
        + f"；意见共{b.opinions.points}条，已整改{b.opinions.points_rectified}条。"
    )
    d.add_paragraph(
        _progress("审计查出问题", b.findings)
        + f"；交办超过一年未整改到位{b.findings.long_open}件。"
    )
    d.add_paragraph(
        _progress("本季度预警", b.warning_progress)
        + f"，核实销号{b.warning_progress.dismissed}件。"
    )
    buffer = io.BytesIO()
    d.save(buffer)
    return buffer.getvalue()
