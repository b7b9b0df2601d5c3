"""Outside attack report 1, at the same instant, for real on PostgreSQL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xiaoben \\
        .venv/bin/pytest -m postgres tests/test_attack1_concurrency.py

§1: twenty probes of outsiders' ID numbers at once get no more than the
school's ten answers a day. §9: twenty simultaneous creates without the form's
token store nothing (the token is required), and with it store once.
"""

from django.urls import reverse

from accounts.models import IdNumberRefusal, User

from . import factories as f
from .concurrency import postgres_only, run_at_once
from .conftest import login

pytestmark = postgres_only("twenty requests cannot overlap there")

N = 20
BEYOND = "该人员的账号不由本校管理"
SPENT = "今天本校已多次填写不由本校管理的人员的身份证号"


def test_twenty_simultaneous_probes_get_at_most_the_days_ten_answers(cast):
    outsiders = [f.teacher(cast.other_school, f"外校教师{i}") for i in range(N)]
    url = reverse("accounts:teacher_create")

    def probe(n):
        def call():
            data = {
                "real_name": f"试探{n}",
                "phone": f"1371230{n:04d}",
                "id_number": outsiders[n].id_number,
            }
            return login(cast.school_admin).post(url, data).content.decode()

        return call

    answers = run_at_once(*[probe(n) for n in range(N)])
    assert sum(BEYOND in a for a in answers) == 10
    assert sum(SPENT in a and BEYOND not in a for a in answers) == 10
    assert IdNumberRefusal.objects.filter(school=cast.school).count() == 10
    assert not User.objects.filter(real_name__startswith="试探").exists()


def test_twenty_simultaneous_posts_without_the_forms_token_store_nothing(cast):
    from activities.models import Post

    from . import factories_activities as fa

    s = fa.group_setup(cast)
    a = fa.activity(s, "discussion")
    client = login(s.member)
    client.post(reverse("activities:join", args=[a.pk]))
    url = reverse("activities:post_new", args=[a.pk])
    data = {"body": "没有表单令牌、同时发送二十次的同一条观点"}  # the tester's requests

    def send():
        response = login(s.member).post(url, data, follow=True)
        return " ".join(str(m) for m in response.context["messages"])

    answers = run_at_once(*[send] * N)
    assert all("页面已过期，请刷新后再提交" in a for a in answers)
    assert not Post.objects.filter(activity=a).exists()
