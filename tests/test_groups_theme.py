"""校本主题 and the school's training settings, set by the school admin."""

import pytest
from django.urls import reverse

from groups.models import Framework, SchoolSettings, SchoolTheme

from .factories_groups import points

pytest_plugins = ["tests.fixtures_groups"]  # `grouped`

pytestmark = pytest.mark.django_db


def test_a_fresh_install_has_the_default_catalogue(tmp_path):
    # A real `migrate` on an empty database in a subprocess: the test suite's own
    # databases get the catalogue reloaded by a conftest fixture, which would
    # hide a broken data migration.
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
    )
    root = Path(__file__).resolve().parent.parent

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
            check=True,
        ).stdout

    manage("migrate", "--verbosity", "0")
    out = manage(
        "shell",
        "-c",
        (
            "import json; from groups.models import AbilityPoint as P; print(json.dumps("
            "sorted(P.objects.values_list('framework__name', 'code'))))"
        ),
    )
    loaded = {(fw, code) for fw, code in json.loads(out.strip().splitlines()[-1])}
    assert {code for fw, code in loaded if fw == "广东 2.0"} == {
        "A3",
        "A13",
        "B1",
        "B2",
        "B4",
        "G2",
        "G4",
        "G6",
        "G7",
    }
    assert {code for fw, code in loaded if fw == "国家 2.0"} == {"A1", "A3", "B6", "C4"}


def test_school_admin_sets_the_theme_with_key_points(cast, as_user):
    client = as_user(cast.school_admin)
    page = client.get(reverse("groups:theme_edit"))
    offered = {p.code for p in page.context["form"].fields["key_points"].queryset}
    assert offered == {"A3", "A13", "B1", "B2", "B4", "G2", "G4", "G6", "G7"}  # 广东 2.0
    response = client.post(
        reverse("groups:theme_edit"),
        {
            "title": "多技术融合环境下的课堂教学",
            "description": "以微课为抓手",
            "key_points": [p.pk for p in points("A3", "A13", "G2")],
        },
    )
    assert response.status_code == 302
    theme = SchoolTheme.objects.get(school=cast.school, cycle=cast.cycle)
    assert theme.title == "多技术融合环境下的课堂教学"
    assert {p.code for p in theme.key_points.all()} == {"A3", "A13", "G2"}
    for who in (cast.teacher, cast.info_team):
        assert "评价量规设计与应用" in as_user(who).get(reverse("groups:theme")).content.decode()


def test_fewer_than_three_key_points_saves_with_a_warning(cast, as_user):
    response = as_user(cast.school_admin).post(
        reverse("groups:theme_edit"),
        {"title": "主题", "key_points": [p.pk for p in points("A3")]},
        follow=True,
    )
    assert "只选了 1 个关键能力点" in response.content.decode()
    assert SchoolTheme.objects.get().key_points.count() == 1  # saved all the same
    # The warning stays on the theme page until there are three, for every reader.
    for who in (cast.school_admin, cast.teacher):
        assert "关键能力点不足 3 个" in as_user(who).get(reverse("groups:theme")).content.decode()
    as_user(cast.school_admin).post(
        reverse("groups:theme_edit"),
        {"title": "主题", "key_points": [p.pk for p in points("A3", "A13", "G2")]},
    )
    page = as_user(cast.school_admin).get(reverse("groups:theme")).content.decode()
    assert "关键能力点不足 3 个" not in page


def test_a_retired_point_cannot_be_newly_chosen_even_past_the_form(cast, as_user):
    from django.core.exceptions import ValidationError

    from groups.services import theme_save

    a3, b4 = points("A3")[0], points("B4")[0]
    b4.retired = True
    b4.save(update_fields=["retired"])
    # Through the page: not offered, refused.
    response = as_user(cast.school_admin).post(
        reverse("groups:theme_edit"), {"title": "主题", "key_points": [a3.pk, b4.pk]}
    )
    assert "所选能力点不在本校的能力点框架中" in response.content.decode()
    # Through the service (commands, demo): refused too.
    with pytest.raises(ValidationError, match="已停用，不能再选为关键能力点"):
        theme_save(
            school=cast.school,
            cycle=cast.cycle,
            title="主题",
            description="",
            key_points=[a3, b4],
            by=cast.school_admin,
        )
    national = Framework.objects.get(name="国家 2.0").points.first()
    with pytest.raises(ValidationError, match="须来自本校使用的能力点框架"):
        theme_save(
            school=cast.school,
            cycle=cast.cycle,
            title="主题",
            description="",
            key_points=[national],
            by=cast.school_admin,
        )
    assert not SchoolTheme.objects.exists()


def test_theme_needs_a_key_point_of_the_schools_framework(cast, as_user):
    national = Framework.objects.get(name="国家 2.0").points.first()
    client = as_user(cast.school_admin)
    response = client.post(reverse("groups:theme_edit"), {"title": "主题", "key_points": []})
    assert "请至少选择一个关键能力点" in response.content.decode()
    response = client.post(
        reverse("groups:theme_edit"), {"title": "主题", "key_points": [national.pk]}
    )
    assert "所选能力点不在本校的能力点框架中" in response.content.decode()
    assert not SchoolTheme.objects.exists()


@pytest.mark.parametrize("who", ["teacher", "info_team", "district_admin"])
def test_only_the_school_admin_sets_the_theme(cast, as_user, who):
    response = as_user(getattr(cast, who)).post(
        reverse("groups:theme_edit"), {"title": "x", "key_points": [points("A3")[0].pk]}
    )
    assert response.status_code == 403
    assert not SchoolTheme.objects.exists()


def test_theme_pages_need_login(client, cast):
    for name in ("groups:theme", "groups:theme_edit", "groups:settings"):
        assert client.get(reverse(name)).url.startswith(reverse("accounts:login"))


def test_school_admin_chooses_the_framework_and_the_one_activity_a_day_rule(cast, as_user):
    national = Framework.objects.get(name="国家 2.0")
    client = as_user(cast.school_admin)
    response = client.post(reverse("groups:settings"), {"framework": national.pk})
    assert response.status_code == 302
    settings = SchoolSettings.objects.get(school=cast.school)
    assert settings.framework == national
    assert settings.one_activity_per_day is False
    page = client.get(reverse("groups:theme_edit"))
    assert {p.code for p in page.context["form"].fields["key_points"].queryset} == {
        "A1",
        "A3",
        "B6",
        "C4",
    }
    assert as_user(cast.teacher).post(reverse("groups:settings"), {}).status_code == 403


def test_framework_cannot_change_under_a_theme_that_uses_it(cast, as_user):
    client = as_user(cast.school_admin)
    client.post(
        reverse("groups:theme_edit"),
        {"title": "主题", "key_points": [p.pk for p in points("A3", "A13", "G2")]},
    )
    national = Framework.objects.get(name="国家 2.0")
    response = client.post(reverse("groups:settings"), {"framework": national.pk})
    assert response.status_code == 200
    assert "请先在校本主题中改选" in response.content.decode()
    assert not SchoolSettings.objects.filter(framework=national).exists()


def test_a_retired_point_is_no_longer_offered_but_stays_on_the_theme(cast, as_user):
    client = as_user(cast.school_admin)
    a3 = points("A3")[0]
    client.post(reverse("groups:theme_edit"), {"title": "主题", "key_points": [a3.pk]})
    a3.retired = True
    a3.save(update_fields=["retired"])
    fresh = points("A13")[0]
    page = client.get(reverse("groups:theme_edit"))
    assert a3 in page.context["form"].fields["key_points"].queryset  # already chosen
    other = as_user(cast.outsider)  # other school: not offered
    assert other.get(reverse("groups:theme_edit")).status_code == 403
    assert fresh in page.context["form"].fields["key_points"].queryset


def test_a_retired_key_point_already_chosen_survives_a_resave(cast, as_user):
    client = as_user(cast.school_admin)
    a3, a13 = points("A3")[0], points("A13")[0]
    client.post(reverse("groups:theme_edit"), {"title": "主题", "key_points": [a3.pk]})
    a3.retired = True
    a3.save(update_fields=["retired"])
    response = client.post(
        reverse("groups:theme_edit"), {"title": "新主题", "key_points": [a3.pk, a13.pk]}
    )
    assert response.status_code == 302
    theme = SchoolTheme.objects.get()
    assert (theme.title, set(theme.key_points.all())) == ("新主题", {a3, a13})
    assert "已停用" in client.get(reverse("groups:theme")).content.decode()
