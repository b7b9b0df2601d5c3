"""The school plan (两案) as a .docx, in the order of seed 002's template."""

import io

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from .models import SchoolPlan, SchoolPlanPoint

# Section headings in the template's order.
SECTIONS = [
    "一、基本信息",
    "学校信息化管理团队",
    "二、校本研修绩效目标",
    "三、校本研修内容",
    "四、校本研修安排",
    "五、校本研修考核和机制",
]


def _font(document: Document) -> None:
    style = document.styles["Normal"]
    style.font.name = "宋体"
    style.font.size = Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")


def _table(document, header: list[str], rows: list[list[str]]):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in rows or [[""] * len(header)]:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = str(text)
    return table


def _field(document, label: str, value: str) -> None:
    p = document.add_paragraph()
    p.add_run(f"{label}：").bold = True
    p.add_run(value or "（未填写）")


def plan_docx(plan: SchoolPlan, *, points: list[SchoolPlanPoint]) -> bytes:
    doc = Document()
    _font(doc)
    doc.add_heading(f"{plan.school.name}校本研修活动方案", level=0)
    doc.add_paragraph(f"研修周期：{plan.cycle.name}")

    doc.add_heading(SECTIONS[0], level=1)
    _table(
        doc,
        ["学校名称", "所涉学段", "学校负责人", "项目联络人", "联系电话"],
        [
            [
                plan.school.name,
                plan.stages,
                plan.principal,
                plan.contact_person,
                plan.contact_phone,
            ]
        ],
    )
    doc.add_heading(SECTIONS[1], level=2)
    _table(
        doc,
        ["姓名", "年龄", "学历", "专业", "职务"],
        [[r["name"], r["age"], r["education"], r["major"], r["title"]] for r in plan.team],
    )

    doc.add_heading(SECTIONS[2], level=1)
    _field(doc, "基本的绩效目标", plan.goal_basic)
    doc.add_paragraph().add_run("可选的绩效目标").bold = True
    for label, value in (
        ("面向教师", plan.goal_teachers),
        ("面向学生", plan.goal_students),
        ("面向学校", plan.goal_school),
    ):
        doc.add_paragraph(f"{label}：{value or '（未填写）'}", style="List Bullet")

    doc.add_heading(SECTIONS[3], level=1)
    _field(doc, "研修主题", plan.theme)
    doc.add_paragraph().add_run("研修内容（学校的能力点范畴，以及选择理由）").bold = True
    _table(doc, ["微能力名称", "选择理由"], [[str(r.point), r.reason] for r in points])
    _field(doc, "研修形式", plan.format)

    doc.add_heading(SECTIONS[4], level=1)
    _table(
        doc,
        ["时间", "内容", "负责人"],
        [[r["when"], r["content"], r["owner"]] for r in plan.schedule],
    )

    doc.add_heading(SECTIONS[5], level=1)
    _field(doc, "考核要求", plan.assessment)
    _field(doc, "机制设计", plan.mechanisms)

    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
