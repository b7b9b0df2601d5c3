"""Ability-point catalogue import (.xlsx or .csv): every row is checked first; a
file with any bad row imports nothing and reports each bad row with its number.
Rows are streamed from the file (the .xlsx through the one reader,
accounts.xlsx, with its bounds); only the checked points are kept."""

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import transaction

from accounts.roster import RowError
from accounts.sizes import too_big_message
from accounts.xlsx import XlsxError, XlsxLimits, cell_text, xlsx_rows

from .models import AbilityPoint, Framework

# Accepted headers (English as in data/ability_points.csv, or Chinese).
HEADERS = {
    "framework": "framework",
    "框架": "framework",
    "能力点框架": "framework",
    "code": "code",
    "编号": "code",
    "name": "name",
    "名称": "name",
    "能力点名称": "name",
    "mode": "mode",
    "模式": "mode",
    "模式/环境": "mode",
    "环境": "mode",
    "dimension": "dimension",
    "维度": "dimension",
    "description": "description",
    "能力描述": "description",
    "evidence": "evidence",
    "证据要求": "evidence",
}
REQUIRED = ["framework", "code", "name"]
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
LIMITS = XlsxLimits(max_bytes=MAX_BYTES, max_rows=MAX_ROWS, max_columns=20)
CODE_RE = re.compile(r"^[A-Z]{1,2}\d{1,3}$")
EVIDENCE_ITEM = re.compile(r"^(?P<kind>.+?)\s*(?:[×xX*]\s*(?P<count>\d+))?$")
DIMENSIONS = set(AbilityPoint.Dimension.values)
# The database's own limits (Framework.name, AbilityPoint.name/mode); a
# description of a few paragraphs is plenty.
MAX_LENGTHS = {
    "framework": ("框架", 50),
    "name": ("名称", 100),
    "mode": ("模式/环境", 30),
    "description": ("能力描述", 2000),
    "evidence": ("证据要求", 500),
}


class CatalogueFileError(Exception):
    """The file as a whole can't be read."""


@dataclass
class CatalogueImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    retired: int = 0
    frameworks: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_evidence(text: str) -> list[dict]:
    """ "学习活动方案×1；学生成果×2；教师反思视频" -> [{"kind", "count"}]."""
    slots = []
    for part in re.split(r"[;；\n]", text or ""):
        part = part.strip()
        if not part:
            continue
        m = EVIDENCE_ITEM.match(part)
        count = int(m.group("count") or 1)
        if count < 1:
            raise ValueError(part)
        slots.append({"kind": m.group("kind").strip(), "count": count})
    return slots


def _csv_rows(file) -> Iterator[tuple[int, list]]:
    """Rows of a CSV file, streamed; every row counts against the limit."""
    head = file.read(4096)
    file.seek(0)
    encoding = "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A cut at the end of the 4 KB may split a character: only an early error counts.
        encoding = "utf-8-sig" if exc.start >= len(head) - 3 else "gb18030"
    reader = codecs.getreader(encoding)(file, errors="strict")
    try:
        for number, row in enumerate(csv.reader(reader), start=1):
            if number > MAX_ROWS + 1:
                raise CatalogueFileError(LIMITS.rows_message)
            yield number, row[: LIMITS.max_columns]
    except (UnicodeDecodeError, csv.Error) as exc:
        raise CatalogueFileError("无法读取 CSV 文件：请另存为 UTF-8 编码的 CSV 后重试。") from exc


def _raw_rows(name: str, file) -> Iterator[tuple[int, tuple | list]]:
    if name.lower().endswith(".csv"):
        size = getattr(file, "size", None)
        if size is None:
            file.seek(0, io.SEEK_END)
            size = file.tell()
            file.seek(0)
        if size > MAX_BYTES:
            raise CatalogueFileError(too_big_message(what="文件", size=size, limit=MAX_BYTES))
        return _csv_rows(file)
    return xlsx_rows(file, limits=LIMITS)


def read_rows(name: str, file) -> Iterator[tuple[int, dict]]:
    """(row number, cells by column key) for each non-empty row, streamed from
    an .xlsx (through the one reader, accounts.xlsx) or a .csv file."""
    try:
        rows = _raw_rows(name, file)
        first = next(rows, None)
        if first is None:
            raise CatalogueFileError("文件是空的。")
        header = [HEADERS.get(cell_text(c).lower(), HEADERS.get(cell_text(c))) for c in first[1]]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise CatalogueFileError(f"表头缺少列：{'、'.join(missing)}。")
        found = False
        for number, values in rows:
            cells = {
                key: cell_text(values[i]) if i < len(values) else ""
                for i, key in enumerate(header)
                if key
            }
            if any(cells.values()):
                found = True
                yield number, cells
        if not found:
            raise CatalogueFileError("文件中没有能力点数据。")
    except XlsxError as exc:
        raise CatalogueFileError(str(exc)) from exc


def _check(cells: dict) -> tuple[dict | None, list[str]]:
    reasons = []
    for key, label in (("framework", "框架"), ("code", "编号"), ("name", "名称")):
        if not cells.get(key):
            reasons.append(f"缺少{label}")
    code = cells.get("code", "").upper()
    if code and not CODE_RE.match(code):
        reasons.append(f"编号“{code}”格式不正确（应如 A3、B12、G7）")
    dimension = cells.get("dimension", "")
    if dimension and dimension not in DIMENSIONS:
        reasons.append(f"维度“{dimension}”不正确（应为 {'、'.join(sorted(DIMENSIONS))} 之一）")
    for key, (label, limit) in MAX_LENGTHS.items():
        if len(cells.get(key, "")) > limit:
            reasons.append(f"{label}超过 {limit} 字")
    try:
        evidence = parse_evidence(cells.get("evidence", ""))
    except (ValueError, AttributeError):
        evidence = []
        reasons.append("证据要求格式不正确（如：学习活动方案×1；学生成果×2）")
    if reasons:
        return None, reasons
    return {
        "framework": cells["framework"],
        "code": code,
        "name": cells["name"],
        "mode": cells.get("mode", ""),
        "dimension": dimension,
        "description": cells.get("description", ""),
        "evidence": evidence,
    }, []


def ability_points_import(
    *, name: str, file, retire_missing: bool = False
) -> CatalogueImportResult:
    """Checks every row, then imports all of them in one transaction, or none.
    Points are matched on (framework, code). With retire_missing, points of the
    imported frameworks absent from the file are retired (never deleted)."""
    result = CatalogueImportResult()
    parsed = []
    seen: dict[tuple[str, str], int] = {}
    for row, cells in read_rows(name, file):
        item, reasons = _check(cells)
        if item:
            key = (item["framework"], item["code"])
            if key in seen:
                reasons.append(f"与第 {seen[key]} 行编号重复（{item['framework']} {item['code']}）")
            seen.setdefault(key, row)
        if reasons:
            result.errors.append(RowError(row, "；".join(reasons)))
        else:
            parsed.append(item)
    if result.errors:
        return result
    _apply(parsed, retire_missing, result)
    return result


@transaction.atomic
def _apply(parsed: list[dict], retire_missing: bool, result: CatalogueImportResult) -> None:
    by_framework: dict[str, list[dict]] = {}
    for item in parsed:
        by_framework.setdefault(item["framework"], []).append(item)
    for fw_name, items in by_framework.items():
        framework, _ = Framework.objects.get_or_create(name=fw_name)
        existing = {p.code: p for p in AbilityPoint.objects.filter(framework=framework)}
        for item in items:
            fields = {k: item[k] for k in ("name", "mode", "dimension", "description", "evidence")}
            point = existing.get(item["code"])
            if point is None:
                AbilityPoint.objects.create(framework=framework, code=item["code"], **fields)
                result.created += 1
                continue
            changed = [k for k, v in fields.items() if getattr(point, k) != v]
            if point.retired:
                point.retired = False
                changed.append("retired")
            if changed:
                for k in changed:
                    if k != "retired":
                        setattr(point, k, fields[k])
                point.save(update_fields=changed)
                result.updated += 1
        if retire_missing:
            codes = {item["code"] for item in items}
            result.retired += (
                AbilityPoint.objects.filter(framework=framework, retired=False)
                .exclude(code__in=codes)
                .update(retired=True)
            )
        result.frameworks.append(fw_name)


def ability_point_in_use(point: AbilityPoint) -> bool:
    """A point chosen by any school's theme or plan (later: by teachers, topics…) is in use:
    it can be retired, never deleted."""
    from django.db.models.deletion import Collector, ProtectedError

    collector = Collector(using="default")
    try:
        collector.collect([point])
    except ProtectedError:  # a row that protects it, e.g. a school plan's point row
        return True
    # Anything beyond the point itself (M2M rows, other apps' rows) means it is used.
    return any(
        model is not AbilityPoint and instances for model, instances in collector.data.items()
    ) or any(qs.exists() for qs in collector.fast_deletes)
