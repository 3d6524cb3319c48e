"""The test suite's settings: the local profile of `skm_portal.settings`.

DEBUG is off unless DJANGO_DEBUG=1 is set (a forgotten variable must never give a debug
site), so the suite asks for the local profile here, before the settings are read. Tests
of the production profile start their own interpreter with production variables.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from skm_portal.settings import *  # noqa: F403

# Tests create many users (and the demo loads its logins); the production hasher is slow on purpose.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
