"""The invitation letter's signing page and its signed PDF (the follow-up's meeting page
links here by URL name)."""

from __future__ import annotations

from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from followup.models import Meeting
from skm_portal.formviews import submit
from skm_portal.permissions import permission_required

from . import invitations, signing
from .forms import SignForm


@permission_required(invitations.SIGN)
def invitation_sign(request, meeting: int):
    """The letter's signer reviews the draft and signs it (certificate passphrase or own password)."""
    obj = get_object_or_404(Meeting, pk=meeting)
    form = SignForm(request.POST or None)
    if request.method == "POST":
        done = submit(
            request,
            form,
            lambda data: invitations.invitation_sign(meeting=obj, user=request.user, secret=data["secret"]),
            success=_("Surat undangan ditandatangani secara elektronik."),
            then=lambda _version: redirect(reverse("followup:meeting", kwargs={"meeting": obj.pk}) + "#surat"),
        )
        if done:
            return done
    context = {"meeting": obj, "form": form, "signed": obj.invitation_signed, "bsre": signing.cert_is_bsre()}
    return render(request, "reports/invitation_sign.html", context, status=400 if form.errors else 200)


@permission_required("followup.view")
def invitation_pdf(request, meeting: int):
    """The signed invitation, as stored when it was signed; before that, the draft."""
    signed = invitations.invitation_signed_version(meeting)
    if signed is None:
        get_object_or_404(Meeting, pk=meeting)
        return redirect("followup:invitation_pdf", meeting=meeting)
    name = f"undangan-{signed.meeting.letter_year}-{signed.meeting.letter_number}-bertanda-tangan.pdf"
    return FileResponse(signed.file.open("rb"), content_type="application/pdf", filename=name)
