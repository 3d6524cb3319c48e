"""The one shape of a view that posts a form to a service.

Every "save" view in the apps does the same four things: validate the form, call a
keyword-only service, turn the service's `ValidationError` into form errors (field errors
on their fields, the rest on the form), and on success flash a message and redirect. The
view keeps only what differs: which form, which service call, which message, where to go,
and which page shows the bound form again.

    form = PlanForm(request.POST, instance=plan)
    done = submit(
        request,
        form,
        lambda data: services.plan_update(plan=plan, user=request.user, **data),
        success=_("Rencana tindak lanjut disimpan."),
        then=lambda result: redirect("followup:plan", plan=plan.pk),
    )
    return done or plan_page(request, plan, plan_form=form)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse

from .refusals import Refused


def apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError onto `form`: per field where the form has that field."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def error_messages(error: ValidationError) -> list[str]:
    """The messages of a ValidationError as plain strings (for `messages.error`)."""
    return [str(message) for message in error.messages]


def submit(
    request: HttpRequest,
    form,
    action: Callable[[dict[str, Any]], Any],
    *,
    success: str | Callable[[Any], str] | None,
    then: Callable[[Any], HttpResponse],
) -> HttpResponse | None:
    """Validate `form` and run `action(cleaned_data)`.

    Returns the redirect built by `then(result)` after flashing `success` (a string, or a
    function of the result), or None when the form or the service refused: the form then
    carries the errors and the caller renders its page with it (status 200, nothing saved).
    A service's `Refused` becomes a form error too, on its field if it names one, except a
    FORBIDDEN refusal, which is a 403 (PermissionDenied).
    """
    if not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except ValidationError as error:
        apply_errors(form, error)
        return None
    except Refused as refused:
        if refused.code == Refused.FORBIDDEN:
            raise PermissionDenied(refused.message) from None
        form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        return None
    message = success(result) if callable(success) else success
    if message:
        messages.success(request, message)
    return then(result)
