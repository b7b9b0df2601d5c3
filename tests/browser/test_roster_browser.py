import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from accounts.demo_ids import make_id_number
from accounts.models import User

from .conftest import login_in_browser

# serialized_rollback: the flush after a transactional test would otherwise drop the
# ability-point catalogue the migrations load, for every later test on this worker.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def roster_file(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "手机号", "身份证号", "学科", "学段", "是否专任教师"])
    ws.append(["周晓梅", "13712340001", make_id_number(9001), "语文", "小学", "是"])
    ws.append(["吴国强", "13712340002", make_id_number(9002), "数学", "小学", "否"])
    path = tmp_path / "名单.xlsx"
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())
    return path


def test_school_admin_imports_a_roster_and_sees_the_teachers(
    cast, live_server, page, tmp_path, screenshot_path
):
    login_in_browser(page, live_server, cast.school_admin.username)
    page.get_by_role("link", name="导入名单").first.click()
    page.set_input_files("input[type=file]", str(roster_file(tmp_path)))
    page.get_by_role("button", name="上传并导入").click()
    page.wait_for_selector("#import-summary")
    assert "导入完成：新增 2 人" in page.content()
    page.screenshot(path=screenshot_path("roster-import-done"), full_page=True)
    # The new teachers' initial passwords: one .xlsx, downloaded from the page itself.
    with page.expect_download() as download:
        page.locator("#password-slip").click()
    assert download.value.suggested_filename.endswith("新教师初始密码.xlsx")
    slip = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    rows = list(slip.active.iter_rows(values_only=True))
    assert rows[0] == ("姓名", "登录手机号", "初始密码")
    passwords = {r[1]: r[2] for r in rows[1:]}
    assert set(passwords) == {"13712340001", "13712340002"}
    assert User.objects.get(phone="13712340001").check_password(passwords["13712340001"])
    page.get_by_role("link", name="查看教师名单").click()
    page.wait_for_selector("#roster")
    rows = page.locator("#roster tbody tr")
    names = rows.all_inner_texts()
    assert any("周晓梅" in r for r in names)
    assert any("吴国强" in r for r in names)
    assert make_id_number(9001) not in page.content()  # ID numbers stay masked
    page.screenshot(path=screenshot_path("roster-after-import"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=screenshot_path("roster-after-import-phone"), full_page=True)


def test_a_too_large_or_wrong_file_is_refused_before_uploading(
    cast, live_server, page, screenshot_path
):
    login_in_browser(page, live_server, cast.school_admin.username)
    page.goto(f"{live_server.url}/school/roster/import/")
    requests = []
    page.on("request", lambda r: requests.append(r) if r.method == "POST" else None)

    page.set_input_files(
        "input[type=file]",
        files=[
            {
                "name": "名单.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": b"0" * (6 * 1024 * 1024),
            }
        ],
    )
    feedback = page.locator(".upload-feedback")
    assert "有 6.0 MB（6,291,456 字节），超过了 5 MB 的上限" in feedback.inner_text()
    assert page.eval_on_selector("input[type=file]", "el => el.files.length") == 0
    page.screenshot(path=screenshot_path("roster-import-too-large"), full_page=True)

    page.set_input_files(
        "input[type=file]",
        files=[
            {
                "name": "名单.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4",
            }
        ],
    )
    assert "格式不允许上传" in feedback.inner_text()
    page.get_by_role("button", name="上传并导入").click()
    page.wait_for_load_state()
    # The refused file never left the browser: the form went out without it.
    assert [len(r.post_data_buffer or b"") < 10_000 for r in requests] == [True]
    assert "这个字段是必填项" in page.content()
