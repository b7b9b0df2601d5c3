"""Issue 8 point 8: the one .xlsx reader (accounts.xlsx) behind both imports
refuses hostile workbooks with a clear message, before they cost time or
memory: a zip bomb, 200,000 empty rows with a cell at XFD, a billion-laughs
and an XXE workbook. The files are built here, by hand (zipfile + XML)."""

import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.demo_ids import make_id_number
from accounts.models import SchoolMembership
from accounts.xlsx import XlsxError, xlsx_rows
from groups.models import Framework

pytestmark = pytest.mark.django_db

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>{doctype}'
    f'<workbook {NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
ROSTER_HEADER = ["姓名", "手机号", "身份证号"]
CATALOGUE_HEADER = ["framework", "code", "name"]


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def row(n: int, values) -> str:
    cells = "".join(cell(f"{chr(65 + i)}{n}", v) for i, v in enumerate(values))
    return f'<row r="{n}">{cells}</row>'


def sheet(rows_xml: str, doctype: str = "", dimension: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}'
        f"<worksheet {NS}>{dim}<sheetData>{rows_xml}</sheetData></worksheet>"
    )


def workbook(sheet_xml: str | bytes, *, workbook_doctype: str = "", sheet_name="S") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WORKBOOK.format(doctype=workbook_doctype, name=sheet_name))
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buf.getvalue()


LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lollollollollollollollollollol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)
XXE = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def bomb(header) -> bytes:
    """A sheet that unpacks a thousand times larger than it packs."""
    return workbook(sheet(row(1, header) + " " * (3 * 1024 * 1024)))


def xfd(header) -> bytes:
    """200,000 empty rows, one cell in column XFD, no dimension to warn of it."""
    first = f'<row r="1">{"".join(cell(f"{chr(65 + i)}1", v) for i, v in enumerate(header))}'
    first += cell("XFD1", "x") + "</row>"
    return workbook(sheet(first + "".join(f'<row r="{n}"/>' for n in range(2, 200_002))))


def laughs(header) -> bytes:
    return workbook(sheet(row(1, header) + row(2, ["&lol9;"] * 3), doctype=LAUGHS))


def xxe(header) -> bytes:
    return workbook(sheet(row(1, header) + row(2, ["&xxe;"] * 3), doctype=XXE))


def xxe_in_workbook(header) -> bytes:
    return workbook(sheet(row(1, header)), workbook_doctype=XXE, sheet_name="&xxe;")


def utf16(header) -> bytes:
    return workbook(
        sheet(row(1, header)).replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    )


HOSTILE = {
    "zip bomb": (bomb, "解压后过大"),
    "200,000 rows with a cell at XFD": (xfd, "超过"),
    "billion laughs": (laughs, "DTD"),
    "external entity in a sheet": (xxe, "DTD"),
    "external entity in the workbook": (xxe_in_workbook, "DTD"),
    "UTF-16 part": (utf16, "UTF-8"),
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_the_roster_import_refuses_a_hostile_workbook_with_a_message(cast, as_user, kind):
    build, message = HOSTILE[kind]
    content = build(ROSTER_HEADER)
    assert len(content) < 5 * 1024 * 1024  # under the upload limit: the reader must catch it
    started = time.perf_counter()
    response = as_user(cast.school_admin).post(
        reverse("accounts:roster_import"), {"file": SimpleUploadedFile("r.xlsx", content)}
    )
    assert time.perf_counter() - started < 5  # a generous bound: a refusal, not a parse
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "root:" not in response.content.decode()


@pytest.mark.parametrize("kind", HOSTILE)
def test_the_catalogue_import_refuses_a_hostile_workbook_with_a_message(cast, as_user, kind):
    build, message = HOSTILE[kind]
    response = as_user(cast.operator).post(
        reverse("admin:groups_abilitypoint_import"),
        {"file": SimpleUploadedFile("p.xlsx", build(CATALOGUE_HEADER))},
    )
    assert response.status_code == 200
    assert message in response.content.decode()


def test_the_import_command_refuses_a_hostile_workbook(db, tmp_path):
    path = tmp_path / "points.xlsx"
    path.write_bytes(laughs(CATALOGUE_HEADER))
    with pytest.raises(CommandError, match="DTD"):
        call_command("import_ability_points", str(path))


def test_the_reader_counts_empty_rows_and_never_reads_past_the_known_columns():
    # Within the row limit, a cell at XFD is never looked at: rows stay 30 wide.
    content = workbook(sheet(row(1, ROSTER_HEADER) + f'<row r="2">{cell("XFD2", "x")}</row>'))
    rows = list(xlsx_rows(content))
    assert [len(values) for _, values in rows] == [30, 30]
    # Empty rows count: 3,001 of them after the header is one too many.
    many = workbook(sheet(row(1, ROSTER_HEADER) + f'<row r="3002">{cell("A3002", "x")}</row>'))
    with pytest.raises(XlsxError, match="3000 行"):
        list(xlsx_rows(many))


def test_a_sheet_whose_dimension_claims_too_many_rows_is_refused_before_reading():
    content = workbook(sheet(row(1, ROSTER_HEADER), dimension="A1:C500000"))
    with pytest.raises(XlsxError, match="超过"):
        list(xlsx_rows(content))


def test_a_roster_with_a_stray_cell_at_xfd_still_imports(cast, as_user):
    first = f'<row r="1">{"".join(cell(f"{chr(65 + i)}1", v) for i, v in enumerate(ROSTER_HEADER))}</row>'
    data = row(2, ["周晓梅", "13712340001", make_id_number(9001)])
    data = data.replace("</row>", cell("XFD2", "杂项") + "</row>")
    response = as_user(cast.school_admin).post(
        reverse("accounts:roster_import"),
        {"file": SimpleUploadedFile("r.xlsx", workbook(sheet(first + data)))},
    )
    assert response.context["result"].created == 1
    assert SchoolMembership.objects.filter(user__real_name="周晓梅").exists()


def test_over_long_catalogue_values_are_row_errors(cast, as_user):
    too_long = ["河南 2.0", "A1", "名" * 101]
    content = workbook(sheet(row(1, CATALOGUE_HEADER) + row(2, too_long)))
    response = as_user(cast.operator).post(
        reverse("admin:groups_abilitypoint_import"),
        {"file": SimpleUploadedFile("p.xlsx", content)},
    )
    assert "第 2 行：名称超过 100 字" in response.content.decode()
    long_framework = ["框" * 51, "A1", "名称"]
    content = workbook(sheet(row(1, CATALOGUE_HEADER) + row(2, long_framework)))
    response = as_user(cast.operator).post(
        reverse("admin:groups_abilitypoint_import"),
        {"file": SimpleUploadedFile("p.xlsx", content)},
    )
    assert "第 2 行：框架超过 50 字" in response.content.decode()
    assert not Framework.objects.filter(name__startswith="框框").exists()


def test_a_csv_catalogue_counts_every_row(cast, as_user):
    text = "framework,code,name\n" + "\n" * 2500
    response = as_user(cast.operator).post(
        reverse("admin:groups_abilitypoint_import"),
        {"file": SimpleUploadedFile("p.csv", text.encode())},
    )
    assert "超过 2000 行" in response.content.decode()
