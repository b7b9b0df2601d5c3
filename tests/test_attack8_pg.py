"""Outside test 8 F1, at the same instant, for real on PostgreSQL: twenty
probes of outsiders' phones at once get no more than the school's ten answers
a day (accounts.services.numbers_screen locks the school row while it counts)."""

from django.urls import reverse

from accounts.demo_ids import make_id_number
from accounts.models import IdNumberRefusal

from .concurrency import postgres_only, run_at_once
from .conftest import login
from .test_attack1_roster import SPENT
from .test_attack8 import TAKEN, _outsiders

pytestmark = postgres_only("twenty requests cannot overlap there")


def test_twenty_simultaneous_phone_probes_get_at_most_the_days_ten_answers(cast):
    outsiders = _outsiders(cast, 20)
    url = reverse("accounts:teacher_create")

    def probe(n):
        def call():
            data = {
                "real_name": f"试探{n}",
                "phone": outsiders[n].phone,
                "id_number": make_id_number(6400 + n),
            }
            return login(cast.school_admin).post(url, data).content.decode()

        return call

    answers = run_at_once(*[probe(n) for n in range(20)])
    assert sum(TAKEN in a for a in answers) == 10
    assert sum(SPENT in a and TAKEN not in a for a in answers) == 10
    assert IdNumberRefusal.objects.filter(school=cast.school).count() == 10
