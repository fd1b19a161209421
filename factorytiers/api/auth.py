"""Who calls the API: a machine client with ``Authorization: Bearer <token>`` (the token acts as
its user), or a signed-in browser session (its CSRF token checked on a POST, as a page's form)."""

from __future__ import annotations

from functools import wraps

from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from .services import user_for_secret


class TokenAuth(HttpBearer):
    """A known, unrevoked token of an active user; anything else is no one (401)."""

    def authenticate(self, request, token: str):
        user = user_for_secret(token.strip())
        if user is not None:
            request.user = user  # the code below reads the caller as every page does
        return user


class BrowserSession(SessionAuth):
    """The signed-in user of the browser session (an inactive user has none)."""


AUTH = [TokenAuth(), BrowserSession()]


def unauthorized() -> JsonResponse:
    return JsonResponse(
        {
            "detail": _(
                "未认证：请在请求头中提供有效的接口令牌（Authorization: Bearer …）或先登录。"
            )
        },
        status=401,
    )


def caller(request):
    """The user a request acts as: the token's or the session's; None when neither."""
    if request.user.is_authenticated:
        return request.user
    header = request.headers.get("Authorization", "")
    scheme, _sep, secret = header.partition(" ")
    if scheme.lower() == "bearer":
        return user_for_secret(secret.strip())
    return None


def signed_in(view):
    """The schema and its docs page: for a token's or a session's user, 401 otherwise."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if caller(request) is None:
            return unauthorized()
        return view(request, *args, **kwargs)

    return wrapped
