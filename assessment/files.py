"""Upload rules and download names of teacher materials. The checking itself is
activities.files.check_upload (the one checker); these are its policies."""

from accounts.sizes import KB, MB
from activities.files import DOC_EXTS, IMAGE_EXTS, LESSON_VIDEO, VIDEO_EXTS, UploadPolicy

WORD_OR_PDF = frozenset({"doc", "docx", "pdf"})

# Seed 001 §七: the plan is a Word/PDF document; no size is given, 10 MB is ample.
PLAN = UploadPolicy("个人提升计划", WORD_OR_PDF, 10 * MB)
# Seed 001 §十: 只能上传doc、docx、pdf文件，且不超过2048kb.
SUMMARY = UploadPolicy("提升总结", WORD_OR_PDF, 2048 * KB, unit="KB")
# 应用能力点测评: 方案, 学生成果 (documents, photos) and a short reflection video.
EVALUATION_EVIDENCE = UploadPolicy(
    "测评证据", frozenset(DOC_EXTS | IMAGE_EXTS | VIDEO_EXTS), 20 * MB, 500 * MB
)
# 典型案例: 教学设计 with 教学反思 in one document; the recording as a lesson video.
CASE_DESIGN = UploadPolicy("教学设计（含教学反思）", WORD_OR_PDF, 20 * MB)
CASE_RECORDING = LESSON_VIDEO
# 整校推进证明清单: 表单, 报告, 文本 (documents, scans as pictures) and, for 优秀作品
# (seed 001: 列表；案例（文本、视频）), videos.
PROOF = UploadPolicy("验收材料", frozenset(DOC_EXTS | IMAGE_EXTS | VIDEO_EXTS), 20 * MB, 500 * MB)
# Several files per item, not an archive of everything.
PROOF_FILES_PER_ITEM = 20

PLAN_TITLE = "教师信息技术应用能力提升计划"


def plan_download_name(teacher_name: str, ext: str) -> str:
    """Seed 001 §七: 以“姓名+教师信息技术应用能力提升计划”格式命名."""
    return f"{teacher_name}+{PLAN_TITLE}.{ext}"


def summary_download_name(teacher_name: str, point_code: str, ext: str) -> str:
    return f"{teacher_name}-{point_code}提升总结.{ext}"


def inline(content_type: str) -> bool:
    """Shown in the browser rather than saved: PDFs, pictures, video."""
    return content_type.startswith(("image/", "video/", "application/pdf"))
