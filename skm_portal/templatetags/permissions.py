"""Templates ask the same policy as views: `{% can "permits.process" permit as may_process %}`."""

from django import template

from skm_portal.permissions import has_permission

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, action: str, obj=None) -> bool:
    """May the signed-in user do `action` (to `obj`)? Asks `skm_portal.permissions.has_permission`."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return has_permission(user, action, obj)
