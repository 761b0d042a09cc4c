from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from retorno.core.logging import RedactPersonalDataFilter
from retorno.core.models import User


def test_account_locks_after_repeated_failed_logins(caseworker: User, administrator: User, login: Callable[[User], Client]) -> None:
    client = Client()
    for _ in range(4):
        response = client.post("/accounts/login/", {"username": caseworker.email, "password": "wrong-password"})
        assert response.status_code == 200
        assert "no son correctos" in response.content.decode()
    fifth = client.post("/accounts/login/", {"username": caseworker.email, "password": "wrong-password"})
    assert fifth.status_code == 429 and "Cuenta bloqueada" in fifth.content.decode()
    # Even the right password is refused while locked, until an administrator unlocks the account.
    response = client.post("/accounts/login/", {"username": caseworker.email, "password": PASSWORD})
    assert response.status_code == 429 and "30 minutos" in response.content.decode()
    assert "_auth_user_id" not in client.session
    admin_client = login(administrator)
    admin_client.post("/manage/core/user/", {"action": "unlock_accounts", "_selected_action": [caseworker.pk]})
    assert client.post("/accounts/login/", {"username": caseworker.email, "password": PASSWORD}).status_code == 302


def test_the_right_password_logs_in(caseworker: User) -> None:
    client = Client()
    response = client.post("/accounts/login/", {"username": caseworker.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_passwords_are_hashed_with_argon2(caseworker: User) -> None:
    assert caseworker.password.startswith("argon2")


def test_administrator_must_set_up_and_pass_two_factor(administrator: User) -> None:
    client = Client()
    client.post("/accounts/login/", {"username": administrator.email, "password": PASSWORD})
    response = client.get("/audit/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/")
    assert client.get("/manage/").status_code == 302
    assert client.get("/api/v1/me").status_code == 401
    page = client.get("/accounts/two-factor/")
    assert b"<svg" in page.content  # QR code to scan, made locally
    device = TOTPDevice.objects.get(user=administrator)
    good = client.post("/accounts/two-factor/", {"token": f"{totp(device.bin_key):06d}", "next": "/audit/"})
    assert good.status_code == 302 and good["Location"] == "/audit/"
    assert client.get("/audit/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_a_wrong_code_is_refused_in_spanish(supervisor: User) -> None:
    client = Client()
    client.post("/accounts/login/", {"username": supervisor.email, "password": PASSWORD})
    client.get("/accounts/two-factor/")
    device = TOTPDevice.objects.get(user=supervisor)
    wrong = "000000" if totp(device.bin_key) != 0 else "111111"
    response = client.post("/accounts/two-factor/", {"token": wrong})
    assert response.status_code == 200 and "no es correcto" in response.content.decode()
    assert client.get("/people/").status_code == 302
    # Right after a wrong code, even the right one must wait: say so instead of "not right".
    right = client.post("/accounts/two-factor/", {"token": f"{totp(device.bin_key):06d}"})
    assert "espere" in right.content.decode()


def test_anonymous_visitors_get_no_session(db: None) -> None:
    response = Client().get("/accounts/login/")
    assert "sessionid" not in response.cookies


def test_caseworker_does_not_need_two_factor(caseworker: User, login: Callable[[User], Client]) -> None:
    assert login(caseworker).get("/people/").status_code == 200


def test_idle_session_expires(caseworker: User, settings: object) -> None:
    client = Client()
    client.post("/accounts/login/", {"username": caseworker.email, "password": PASSWORD})
    assert client.get("/").status_code == 200
    session = client.session
    session["last_seen"] = int(time.time()) - 3600
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_security_headers(caseworker: User, login: Callable[[User], Client]) -> None:
    response = login(caseworker).get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_log_lines_lose_query_strings_and_request_objects() -> None:
    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, '"GET /people/?q=%s HTTP/1.1" 200', ("María Núñez",), None)
    record.request = object()
    RedactPersonalDataFilter().filter(record)
    assert "María" not in record.getMessage()
    assert "?[redacted]" in record.getMessage()
    assert record.request is None
