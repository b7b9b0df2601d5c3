"""The draft a district's acceptance scheme starts from: seed 001's 整校推进证明清单
(verified, the 15 items with their 证明形式) and the readable part of a published
reference rubric (DOMAIN.md "Whole-school acceptance"). The district changes
both to its own 实施细则 before publishing ("省出标准、地市出实施办法、县（市、区）
出实施细则"); nothing here is invented beyond the sources, so the reference
rubric covers 30 points and the district adds the rest (研修实施, 应用成效, 特色)."""

from decimal import Decimal

from .models import ProofItem

P = ProofItem.Platform

# (证明内容, 证明形式, which of the platform's own records proves it too)
PROOF_ITEMS: list[tuple[str, str, str]] = [
    ("学校信息化管理团队成员及其责任分工", "表单", P.PLAN),  # 两案 lists the team
    ("学校信息化环境和教师应用现状", "诊断报告（SWOT 分析）", ""),
    ("学校信息化发展规划（侧重教学）", "规划文本", ""),
    ("混合式校本研修计划", "计划文本", P.PLAN),
    ("校长动员讲话稿", "讲话文本（全稿或提纲）", ""),
    ("教研组活动计划", "计划文本", P.CONSISTENCY),  # group plans against their activities
    ("教师个人研修计划", "计划文本", P.REVIEW),  # the review table: each teacher's plan
    ("学校信息化管理制度与运作流程", "制度文本", ""),
    ("教师信息化应用选学选测办法", "管理文本", ""),
    ("教师信息化应用选学选测问题解决", "列表；案例", ""),
    ("教师信息化应用能力测评结果分析", "分析报告", P.REGISTER),
    ("教师信息化应用能力测评优秀作品", "列表；案例（文本、视频）", P.CASES),
    ("学校信息化资源库建设目录", "表单", ""),
    ("校本应用考核自评报告", "报告单", ""),
    ("校本应用考核评估报告", "报告单", ""),
]

READ = "查阅材料"
HEAR = "听取汇报、查阅材料"

# (一级指标, [(二级指标, 满分, 评分说明)]); the reference's 二级 groupings
# (规划设计 9, 制度建设 6, 团队建设 5) are kept in the items' names.
REFERENCE_RUBRIC: list[tuple[str, list[tuple[str, Decimal, str]]]] = [
    (
        "组织保障",
        [
            ("规划设计：现状评估与发展规划及年度计划", Decimal(3), READ),
            (
                "规划设计：校本研修实施方案、教研组活动方案、校本应用考核方案与教师提升计划",
                Decimal(6),
                READ,
            ),
            ("制度建设：激励机制", Decimal(2), READ),
            ("制度建设：教研组专题研修计划与教师选学任务清单", Decimal(2), READ),
            ("制度建设：经费保障", Decimal(2), READ),
            ("团队建设：一把手负责制", Decimal(2), HEAR),
            ("团队建设：校长领衔的 3–5 人信息化管理团队", Decimal(2), HEAR),
            ("团队建设：校级培训团队", Decimal(1), HEAR),
        ],
    ),
    (
        "研修设计",
        [
            ("研修方案", Decimal(5), READ),
            ("教师选学", Decimal(5), READ),
        ],
    ),
]
