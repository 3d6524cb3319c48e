"""Administrators issue and revoke client keys in the app; only a hash is stored."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.urls import reverse

from api.models import ApiClient
from skm_portal.models import AuditEntry
from skm_portal.roles import Role


def test_issue_shows_the_key_once_and_stores_only_its_hash(client, admin):
    client.force_login(admin)
    response = client.post(reverse("api_clients"), {"name": "SiCantik", "description": "Perizinan"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    key = re.search(r'id="issued-key">(skm_[0-9a-f]{8}_[A-Za-z0-9_-]{43})<', html).group(1)
    stored = ApiClient.objects.get(name="SiCantik")
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(ApiClient.objects.values().get())  # no column holds the key itself
    assert key[4:12] == stored.key_prefix
    again = client.get(reverse("api_clients")).content.decode()
    assert key not in again and "SiCantik" in again and f"skm_{stored.key_prefix}_" in again
    entry = AuditEntry.objects.get(action="api_client_created")
    assert entry.actor == admin and key not in entry.summary


def test_duplicate_name_is_refused_in_indonesian(client, admin, issued):
    client.force_login(admin)
    response = client.post(reverse("api_clients"), {"name": "sicantik"})
    assert "Sudah ada klien API bernama sicantik." in response.content.decode()
    assert ApiClient.objects.count() == 1


def test_revoke_from_the_page(client, admin, issued):
    api_client, _key = issued
    client.force_login(admin)
    response = client.post(reverse("api_client_revoke", args=[api_client.pk]), follow=True)
    assert "dicabut" in response.content.decode()
    api_client.refresh_from_db()
    assert api_client.revoked_at is not None and api_client.revoked_by == admin
    assert AuditEntry.objects.filter(action="api_client_revoked", object_id=str(api_client.pk)).exists()
    # Revoking twice changes nothing and says so.
    response = client.post(reverse("api_client_revoke", args=[api_client.pk]), follow=True)
    assert "sudah dicabut" in response.content.decode()
    assert AuditEntry.objects.filter(action="api_client_revoked").count() == 1


@pytest.mark.parametrize("role", [Role.PETUGAS_SKM, Role.KEPALA_DINAS, Role.PEMOHON])
def test_only_administrators_manage_keys(client_as, role, issued):
    client = client_as(role)
    assert client.get(reverse("api_clients")).status_code == 403
    assert client.post(reverse("api_clients"), {"name": "X"}).status_code == 403
    assert client.post(reverse("api_client_revoke", args=[issued[0].pk])).status_code == 403
    assert ApiClient.objects.count() == 1 and ApiClient.objects.get().is_active
