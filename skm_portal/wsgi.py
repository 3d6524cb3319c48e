import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skm_portal.settings")
application = get_wsgi_application()

# The site signs sessions, forms and links with SECRET_KEY: without one it does not start
# (settings load without it, so that commands which sign nothing still run).
try:
    key = settings.SECRET_KEY
except ImproperlyConfigured:  # Django's own refusal of an empty key
    key = ""
if not key:
    raise ImproperlyConfigured(
        "SECRET_KEY wajib diisi (atau DJANGO_DEBUG=1 untuk pengembangan lokal, seperti `make run`)."
    )
