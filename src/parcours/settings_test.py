"""Settings for the test suite: the production settings, made strict and fast."""

import os
import tempfile

os.environ.setdefault("PARCOURS_DEBUG", "0")
os.environ.setdefault("PARCOURS_SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("PARCOURS_DATA_DIR", tempfile.mkdtemp(prefix="parcours-test-"))
os.environ.setdefault("PARCOURS_SSL_REDIRECT", "0")  # the test client speaks plain HTTP

from .settings import *  # noqa: E402,F401,F403
from .settings import STORAGES, TEMPLATES  # noqa: E402


class InvalidTemplateVariable(str):
    """A template that reads a variable that does not exist fails the test (as les-emplois does)."""

    def __mod__(self, other):
        raise NameError(f"Variable de gabarit inconnue : {other!r}")


TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"   # mail.outbox
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
