"""A refused form keeps the file it carried (accounts/uploads.py): the page says which file is kept, and the next
submission gets it back without choosing it again.

    files = held_files(request, FILE_FIELDS)           # request.FILES, plus the files held for this form
    form = SomeForm(request.POST, files)
    … the form or the service refuses …
    hold_files(request, form, FILE_FIELDS)             # keep the files; the widgets say so on the page
    … it goes through …
    release_files(request, FILE_FIELDS)
"""

from __future__ import annotations

from django import forms
from django.utils.datastructures import MultiValueDict

from parcours.accounts.uploads import upload_held, upload_hold, upload_release


def held_name(field: str) -> str:
    return f"{field}__held"


class HeldFileInput(forms.ClearableFileInput):
    """A file input that, when the form holds a file for it, names the file and carries its token."""

    template_name = "web/widgets/held_file.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.held: tuple[str, str] | None = None   # (token, file name)

    def use_required_attribute(self, initial) -> bool:
        return super().use_required_attribute(initial) and self.held is None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["held"] = self.held
        context["widget"]["held_name"] = held_name(name)
        return context


def held_files(request, fields: tuple[str, ...]) -> MultiValueDict:
    """The request's files, and for each field without a new file the one held under the token the page sent."""
    files = request.FILES.copy()
    for field in fields:
        if field in files:
            continue
        found = upload_held(user=request.user, token=request.POST.get(held_name(field), ""))
        if found is not None:
            held, upload = found
            files[field] = upload
            request._parcours_held = {**getattr(request, "_parcours_held", {}), field: held.token}
    return files


def hold_files(request, form: forms.Form, fields: tuple[str, ...]) -> None:
    """After a refusal: keep each field's file (a new one replaces the one held) and show it on the page; a file
    refused itself (its field has an error) is not kept: it would only be refused again."""
    previous = getattr(request, "_parcours_held", {})
    for field in fields:
        upload = form.files.get(field)
        token = previous.get(field)
        if upload is None or field in form.errors:
            if token:
                upload_release(user=request.user, tokens=[token])
            continue
        if field in request.FILES or token is None:
            if token:
                upload_release(user=request.user, tokens=[token])
            held = upload_hold(user=request.user, upload=upload)
            if held is None:
                continue
            token = held.token
        widget = form.fields[field].widget
        if isinstance(widget, HeldFileInput):
            widget.held = (token, upload.name)


def release_files(request, fields: tuple[str, ...]) -> None:
    previous = getattr(request, "_parcours_held", {})
    upload_release(user=request.user, tokens=[previous[f] for f in fields if f in previous])
