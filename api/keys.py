"""Issuing, revoking and checking the keys of API client systems.

A key is `skm_<prefix>_<secret>`: 8 hex characters to find the client, 43 random URL-safe
characters of secret. Only the SHA-256 of the whole key is stored (a random 256-bit
secret needs no slow password hash); the key is shown once, when it is issued.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skm_portal.audit import audit_record
from skm_portal.permissions import has_permission

from .models import ApiClient

MANAGE = "portal.api_clients"
KEY_PREFIX = "skm_"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _new_key() -> tuple[str, str]:
    prefix = secrets.token_hex(4)
    return prefix, f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"


def api_client_create(*, name: str, description: str = "", actor) -> tuple[ApiClient, str]:
    """Issue a key for a new client system; returns the client and the key (shown once)."""
    if not has_permission(actor, MANAGE):
        raise PermissionDenied
    name = name.strip()
    if ApiClient.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("Sudah ada klien API bernama %(name)s.") % {"name": name}})
    with transaction.atomic():
        prefix, key = _new_key()
        while ApiClient.objects.filter(key_prefix=prefix).exists():
            prefix, key = _new_key()
        client = ApiClient(
            name=name, description=description.strip(), key_prefix=prefix, key_hash=_digest(key), created_by=actor
        )
        client.full_clean()
        client.save()
        audit_record(
            actor=actor,
            action="api_client_created",
            obj=client,
            summary=_("Kunci API diterbitkan untuk %(name)s (awalan %(prefix)s).") % {"name": name, "prefix": prefix},
        )
    return client, key


def api_client_revoke(*, client: ApiClient, actor) -> ApiClient:
    """Revoke a client's key for good: every later call with it is refused."""
    if not has_permission(actor, MANAGE):
        raise PermissionDenied
    with transaction.atomic():
        locked = ApiClient.objects.select_for_update().get(pk=client.pk)
        if locked.revoked_at is not None:
            raise ValidationError(_("Kunci API %(name)s sudah dicabut.") % {"name": locked.name})
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor
        locked.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            actor=actor,
            action="api_client_revoked",
            obj=locked,
            summary=_("Kunci API %(name)s dicabut.") % {"name": locked.name},
        )
    return locked


def client_for_key(key: str) -> ApiClient | None:
    """The client whose key this is (active or revoked); None for an unknown key."""
    if not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    prefix = key[len(KEY_PREFIX) :].split("_", 1)[0]
    client = ApiClient.objects.filter(key_prefix=prefix).first()
    if client is None or not hmac.compare_digest(client.key_hash, _digest(key)):
        return None
    return client


def client_list():
    return ApiClient.objects.select_related("created_by", "revoked_by").order_by("-created_at", "-pk")
