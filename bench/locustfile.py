"""Locust users for bench/load.py (which starts gunicorn, writes the plan and
runs locust headless twice). Not run on its own.

LOAD_PLAN names a JSON file: {"sessions": [...], "pairs": [[session, kind,
activity_id, question ids], ...]}. LOAD_MODE is "trivial" (POST /inbox/read/:
session, user, CSRF, one UPDATE, a redirect) or "complete" (each POST completes
one teacher's open activity: a post in a discussion, homework as text, or an
observation form; each pair is used once).
"""

import json
import os
import uuid

from locust import HttpUser, constant, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
MODE = os.environ.get("LOAD_MODE", "trivial")
CSRF = "benchcsrftoken0123456789abcdefgh"  # 32 characters: an unmasked CSRF secret
PAIRS = list(reversed(PLAN["pairs"]))  # popped from the end: each pair once
SESSIONS = PLAN["sessions"]
_next_session = iter(range(10**9))


def headers(host: str, session: str) -> dict:
    return {
        # Production settings want HTTPS: the header a TLS-terminating proxy sets.
        "X-Forwarded-Proto": "https",
        "Referer": f"https://{host}/",
        "X-CSRFToken": CSRF,
        "Cookie": f"sessionid={session}; csrftoken={CSRF}",
    }


class Teacher(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.host_name = self.host.split("://", 1)[1]
        self.session = SESSIONS[next(_next_session) % len(SESSIONS)]

    def post(self, url: str, data: dict, session: str, name: str):
        with self.client.post(
            url,
            data=data,
            headers=headers(self.host_name, session),
            allow_redirects=False,
            name=name,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"HTTP {response.status_code}")

    @task
    def act(self):
        if MODE == "trivial":
            self.post("/inbox/read/", {}, self.session, "trivial POST")
            return
        if not PAIRS:
            self.environment.runner.quit()
            return
        session, kind, activity, questions = PAIRS.pop()
        if kind == "discussion":
            url, data = (
                f"/activities/{activity}/posts/",
                {
                    "body": "用微课导入后学生参与度明显提高，课堂讨论更充分了。",
                    "request_token": str(uuid.uuid4()),
                },
            )
        elif kind == "homework":
            url, data = f"/activities/{activity}/homework/", {"text": "教学反思：" + "很好" * 20}
        else:
            score, choice, text = questions
            url, data = (
                f"/activities/{activity}/observation/",
                {
                    f"q{score}": "8",
                    f"q{choice}": "恰当",
                    f"q{text}": "导入环节的微课使用恰当。",
                },
            )
        self.post(url, data, session, f"complete {kind}")
