import pytest
from django.core.cache import cache

from api import keys
from skm_portal.roles import Role


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMINISTRATOR, username="admin_api")


@pytest.fixture
def issued(admin):
    """(client, key) of a freshly issued client system."""
    return keys.api_client_create(name="SiCantik", description="Sistem perizinan", actor=admin)
