"""Fields an app adds to the administrator's person form, without the shell importing it.

The shell's people pages know users, roles and e-mail. An app that ties a user to its own
data (permits: a dinas teknis user works for one agency) registers a `PersonExtension` in
its `AppConfig.ready`; the person form then shows the field, the people services validate,
store and audit it, and the people list shows it. The value is passed to
`people.user_create` / `people.user_update` as a keyword named after the extension.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms

from .roles import Role


@dataclass(frozen=True)
class PersonExtension:
    name: str  # form field name and service keyword, e.g. "agency"
    label: str  # the change log's name of the value, e.g. "dinas teknis"
    field: Callable[[], forms.Field]  # a fresh form field (its queryset read at form time)
    current: Callable[[Any], Any]  # the user's value now, or None
    validate: Callable[[Sequence[Role], Any], None]  # raise ValidationError({name: ...}) to refuse
    store: Callable[[Any, Any], None]  # write the value for the user (inside the service's transaction)
    shown: Callable[[Any], list[str]]  # texts for the people list (reads only `prefetch`ed data)
    prefetch: tuple[str, ...] = ()  # prefetch_related lookups for the people list


_REGISTRY: dict[str, PersonExtension] = {}


def register_person_extension(extension: PersonExtension) -> None:
    """Called from an app's `AppConfig.ready`; registering the same name again replaces it."""
    _REGISTRY[extension.name] = extension


def person_extensions() -> list[PersonExtension]:
    return list(_REGISTRY.values())
