import os

from django.core.wsgi import get_wsgi_application

from skm_portal.secret_key import require_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skm_portal.settings")
application = get_wsgi_application()

# The site signs sessions, forms and links with SECRET_KEY: without one it does not start.
require_secret_key()
