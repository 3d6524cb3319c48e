"""Survey URLs, one module per area: the public form, results, data management."""

from .urls_data import urlpatterns as data_urls
from .urls_kiosk import urlpatterns as kiosk_urls
from .urls_public import urlpatterns as public_urls
from .urls_results import urlpatterns as results_urls

app_name = "surveys"
urlpatterns = [*public_urls, *results_urls, *data_urls, *kiosk_urls]
