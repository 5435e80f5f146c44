"""Production configuration: refused without a secret key or with DEBUG, clean `check --deploy`, headers."""

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from parcours.accounts.logging import NoPersonalDataFilter

PROJECT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "PARCOURS_DEBUG": "0", "PARCOURS_PRODUCTION": "1",
    "PARCOURS_SECRET_KEY": "k" * 20 + "Zx9!pQ7@mN3#rT5$vW1%yB8^cD4&fG6*hJ2(",
    "PARCOURS_ALLOWED_HOSTS": "parcours.example.org",
}


def _parcours(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PARCOURS_", "DJANGO_"))}
    clean.update(env, PARCOURS_DATA_DIR=os.environ["PARCOURS_DATA_DIR"])
    return subprocess.run([sys.executable, "-m", "parcours", *args], env=clean, cwd=PROJECT,
                          capture_output=True, text=True, timeout=120)


def test_production_refuses_to_start_without_a_secret_key():
    env = dict(PRODUCTION_ENV)
    del env["PARCOURS_SECRET_KEY"]
    result = _parcours("check", env=env)
    assert result.returncode != 0
    assert "PARCOURS_SECRET_KEY doit être défini" in result.stderr


def test_production_flag_refuses_debug():
    result = _parcours("check", env={**PRODUCTION_ENV, "PARCOURS_DEBUG": "1"})
    assert result.returncode != 0
    assert "PARCOURS_DEBUG=1 est interdit" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    # Security-tagged checks only: warnings of other areas (e.g. the API schema) are not ours to pin here.
    result = _parcours("check", "--deploy", "--tag", "security", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_proxy_ssl_header_is_opt_in():
    code = "from django.conf import settings; print(getattr(settings, 'SECURE_PROXY_SSL_HEADER', None))"
    plain = _parcours("shell", "-c", code, env=PRODUCTION_ENV)
    proxied = _parcours("shell", "-c", code, env={**PRODUCTION_ENV, "PARCOURS_BEHIND_PROXY": "1"})
    assert plain.stdout.strip().splitlines()[-1] == "None"
    assert "HTTP_X_FORWARDED_PROTO" in proxied.stdout.strip().splitlines()[-1]


def test_security_headers_on_a_page(client):
    response = client.get(reverse("web:login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_authenticated_pages_are_not_cached_anonymous_ones_may_be(client, referent):
    assert client.get(reverse("web:login")).get("Cache-Control") != "no-store"
    client.force_login(referent)
    assert client.get(reverse("web:home"))["Cache-Control"] == "no-store"
    assert client.get(reverse("accounts:account"))["Cache-Control"] == "no-store"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


def test_base_template_has_no_inline_script_style_or_handler(client, referent):
    client.force_login(referent)
    for name in ("web:home", "accounts:account", "accounts:password_change"):
        html = client.get(reverse(name)).content.decode()
        assert not INLINE_SCRIPT.search(html), name
        assert "<style" not in html and " style=" not in html, name
        assert not INLINE_HANDLER.search(html), name


def test_htmx_does_not_inject_its_indicator_styles(client):
    html = client.get(reverse("web:login")).content.decode()
    assert '"includeIndicatorStyles":false' in html


def test_admins_are_not_mailed():
    assert settings.ADMINS == []
    handlers = settings.LOGGING["loggers"]["django"]["handlers"]
    assert "mail_admins" not in handlers


def test_log_filter_drops_the_request_and_query_strings(rf):
    request = rf.post("/participants/3/?nom=Dupont", {"last_name": "Dupont"})
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s",
                               ("/participants/3/?nom=Dupont",), None)
    record.request = request
    server = logging.LogRecord("django.server", logging.INFO, __file__, 1, '"%s" %s %s',
                               ("GET /recherche/?q=Dupont HTTP/1.1", 200, 10), None)
    NoPersonalDataFilter().filter(record)
    NoPersonalDataFilter().filter(server)
    assert not hasattr(record, "request")
    assert "Dupont" not in record.getMessage() and "Dupont" not in server.getMessage()
    assert "/participants/3/" in record.getMessage()
