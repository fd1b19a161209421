"""What every posted form value goes through before any view reads it."""

from __future__ import annotations

from django.http.multipartparser import MultiPartParserError

from factorytiers.domain.control_chars import strip_control_characters

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class ControlCharactersMiddleware:
    """Removes control characters (``domain.control_chars``) from every posted form value, so
    no text pasted from another program stores a character a document cannot hold. Runs before
    the CSRF check, which reads the posted token from the same values."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type in FORM_TYPES:
            try:
                posted = request.POST.copy()
            except MultiPartParserError:
                # A malformed body reads as empty from now on; the CSRF check refuses it.
                return self.get_response(request)
            for key, values in posted.lists():
                posted.setlist(key, [strip_control_characters(value) for value in values])
            posted._mutable = False
            request.POST = posted
        return self.get_response(request)
