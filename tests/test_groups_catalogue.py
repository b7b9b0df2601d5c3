"""The ability-point catalogue: the operator imports a framework's full list
from .xlsx or .csv (every bad row reported, nothing half-imported), edits it in
Django admin, and retires points in use instead of deleting them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from accounts.roles import Role, grants_for
from groups.models import AbilityPoint, Framework
from groups.services import theme_save

from .factories_groups import group, points

pytest_plugins = ["tests.fixtures_groups"]  # `grouped`

pytestmark = pytest.mark.django_db

HEADER = "framework,code,name,mode,dimension,description,evidence\n"
GOOD = (
    HEADER + "河南 2.0,A1,技术支持的学情分析,多媒体教学环境,学情分析,能利用技术开展学情分析,"
    "学情分析方案×1；学生成果×2\n"
    + "河南 2.0,B2,微课程设计与制作,混合学习环境,教学设计,,教学设计×1\n"
)


def csv_upload(text: str, name="points.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def xlsx_upload(rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("points.xlsx", buf.getvalue())


def test_operator_imports_a_framework_from_csv(cast, as_user):
    client = as_user(cast.operator)
    url = reverse("admin:groups_abilitypoint_import")
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": csv_upload(GOOD)})
    assert response.status_code == 302
    henan = Framework.objects.get(name="河南 2.0")
    a1 = henan.points.get(code="A1")
    assert (a1.name, a1.mode, a1.dimension) == ("技术支持的学情分析", "多媒体教学环境", "学情分析")
    assert a1.evidence == [{"kind": "学情分析方案", "count": 1}, {"kind": "学生成果", "count": 2}]


def test_operator_imports_from_xlsx_with_chinese_headers(cast, as_user):
    upload = xlsx_upload(
        [
            ["框架", "编号", "名称", "模式", "维度", "能力描述", "证据要求"],
            [
                "广东 2.0",
                "A3",
                "微课程设计与制作",
                "多技术融合",
                "教学设计",
                "能设计微课",
                "微课×1",
            ],
        ]
    )
    response = as_user(cast.operator).post(
        reverse("admin:groups_abilitypoint_import"), {"file": upload}
    )
    assert response.status_code == 302
    a3 = points("A3")[0]
    assert (a3.dimension, a3.description) == ("教学设计", "能设计微课")
    assert (
        AbilityPoint.objects.filter(framework__name="广东 2.0").count() == 9
    )  # updated, not added


def test_every_bad_row_is_reported_and_nothing_is_imported(cast, as_user):
    bad = (
        GOOD
        + ",C1,缺框架,,,,\n"
        + "河南 2.0,a-1,编号错,,,,\n"
        + "河南 2.0,C2,维度错,,审美,,\n"
        + "河南 2.0,A1,重复编号,,,,\n"
        + "河南 2.0,C3,证据错,,,,作品×0\n"
    )
    response = as_user(cast.operator).post(
        reverse("admin:groups_abilitypoint_import"), {"file": csv_upload(bad)}
    )
    assert response.status_code == 200
    errors = {e.row: e.reason for e in response.context["result"].errors}
    assert set(errors) == {4, 5, 6, 7, 8}
    assert "缺少框架" in errors[4]
    assert "编号“A-1”格式不正确" in errors[5]
    assert "维度“审美”不正确" in errors[6]
    assert "与第 2 行编号重复" in errors[7]
    assert "证据要求格式不正确" in errors[8]
    assert "第 4 行：缺少框架" in response.content.decode()
    assert not Framework.objects.filter(name="河南 2.0").exists()


def test_unreadable_file_is_refused(cast, as_user):
    response = as_user(cast.operator).post(
        reverse("admin:groups_abilitypoint_import"),
        {"file": SimpleUploadedFile("points.xlsx", b"not a workbook")},
    )
    assert "无法读取该文件" in response.content.decode()


def test_points_missing_from_a_full_list_are_retired_not_deleted(cast, as_user):
    full = HEADER + "广东 2.0,A3,微课程设计与制作,多技术融合,,,\n"
    response = as_user(cast.operator).post(
        reverse("admin:groups_abilitypoint_import"),
        {"file": csv_upload(full), "retire_missing": "on"},
    )
    assert response.status_code == 302
    gd = AbilityPoint.objects.filter(framework__name="广东 2.0")
    assert gd.count() == 9
    assert list(gd.filter(retired=False).values_list("code", flat=True)) == ["A3"]


def test_only_the_operator_reaches_the_import(cast, as_user):
    url = reverse("admin:groups_abilitypoint_import")
    for who in (cast.school_admin, cast.district_admin):
        response = as_user(who).get(url)
        assert response.status_code == 302
        assert "/admin/login/" in response.url


def test_a_point_in_use_cannot_be_deleted_but_can_be_retired(cast, as_user):
    a3, b1 = points("A3", "B1")
    theme_save(
        school=cast.school,
        cycle=cast.cycle,
        title="主题",
        description="",
        key_points=[a3],
        by=cast.school_admin,
    )
    client = as_user(cast.operator)
    assert client.get(reverse("admin:groups_abilitypoint_delete", args=[a3.pk])).status_code == 403
    assert client.get(reverse("admin:groups_abilitypoint_delete", args=[b1.pk])).status_code == 200
    response = client.post(
        reverse("admin:groups_abilitypoint_changelist"),
        {"action": "retire", "_selected_action": [a3.pk]},
    )
    assert response.status_code == 302
    a3.refresh_from_db()
    assert a3.retired


def test_import_command_loads_the_default_csv_and_refuses_bad_files(tmp_path):
    call_command("import_ability_points")  # idempotent over the migration's load
    assert AbilityPoint.objects.count() == 13
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "河南 2.0,,无编号,,,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 行有误"):
        call_command("import_ability_points", str(bad))


def test_leader_role_comes_from_leading_a_live_group(cast):
    assert Role.LEADER not in {g.role for g in grants_for(cast.teacher)}
    g = group(cast.school, "语文组", leader=cast.teacher)
    leader = [x for x in grants_for(cast.teacher) if x.role == Role.LEADER]
    assert leader and leader[0].school_id == cast.school.pk and leader[0].place == "赤坎第一小学"
    g.archived_at = g.created_at
    g.save(update_fields=["archived_at"])
    assert Role.LEADER not in {x.role for x in grants_for(cast.teacher)}
