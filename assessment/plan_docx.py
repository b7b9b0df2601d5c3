"""The improvement plan template (附件 3 教师信息技术应用能力提升计划, seed 001 §八)
as a .docx, prefilled with what the platform knows about the teacher."""

import io

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from .files import PLAN_TITLE

# Section headings and their guidance, in the template's order (seed 001 §八).
SECTIONS = [
    (
        "教师信息化教学能力起点自我分析",
        "请选择本人所属信息化教学环境，根据《广东省中小学教师信息化教学能力测评指南》，"
        "参考《信息素养评价指标》，说明个人信息化教学应用与信息素养的情况，"
        "并对存在的问题作简要分析。",
    ),
    ("能力提升目标", "制定能力提升目标，阐明目标能力点及其达标后的效果。"),
    (
        "研修内容及方式",
        "根据能力提升目标，详细阐明具体的研修时间、方式（如网络研修、工作坊、教学实践、"
        "双师课堂、专题研讨、课题研究、课例开发等）与内容。",
    ),
    ("预期成果", "对照所选能力点，阐明预期的成果、各成果的名称、形式等。"),
]
OUTCOME_HEADER = ["应用能力点", "预期成果", "成果形式"]


def _font(document) -> None:
    style = document.styles["Normal"]
    style.font.name = "宋体"
    style.font.size = Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")


def plan_template_docx(
    *, name: str, school: str, subject: str, stage: str, duty: str, points: list
) -> bytes:
    """`points`: the teacher's chosen AbilityPoints (rows of the outcome table)."""
    doc = Document()
    _font(doc)
    doc.add_paragraph("附件 3")
    doc.add_heading(PLAN_TITLE, level=0)

    header = doc.add_table(rows=4, cols=4)
    header.style = "Table Grid"
    cells = [
        ("姓名", name, "性别", ""),
        ("出生年月", "", "职务", duty),
        ("任教学段", stage, "任教学科", subject),
    ]
    for row, values in zip(header.rows, cells, strict=False):
        for cell, text in zip(row.cells, values, strict=True):
            cell.text = text
    last = header.rows[3].cells
    last[0].text = "所在学校"
    merged = last[1].merge(last[3])
    merged.text = school

    for title, guidance in SECTIONS:
        doc.add_heading(title, level=1)
        doc.add_paragraph(guidance).runs[0].italic = True
        if title == "预期成果":
            table = doc.add_table(rows=1, cols=3)
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, OUTCOME_HEADER, strict=True):
                cell.text = text
                cell.paragraphs[0].runs[0].bold = True
            for point in points or [None, None, None]:
                row = table.add_row().cells
                row[0].text = f"{point.code} {point.name}" if point else ""
        else:
            for _ in range(4):
                doc.add_paragraph("")

    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
