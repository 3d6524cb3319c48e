from django.utils.functional import SimpleLazyObject

from .models import OfficeProfile
from .permissions import ACTIONS, has_permission, user_roles
from .roles import OFFICER_ROLES


class _Can:
    """`{% if can.surveys_manage %}` in templates: dots become underscores."""

    def __init__(self, user):
        self.user = user

    def __getattr__(self, name: str) -> bool:
        area, _, verb = name.partition("_")
        action = f"{area}.{verb}"
        return action in ACTIONS and has_permission(self.user, action)


def portal(request):
    user = getattr(request, "user", None)
    return {
        "office": SimpleLazyObject(OfficeProfile.get),
        "can": _Can(user),
        "user_roles": SimpleLazyObject(lambda: sorted(r.label for r in user_roles(user))),
        "is_officer": SimpleLazyObject(lambda: bool(user_roles(user) & OFFICER_ROLES)),
    }
