"""The view side of the permission layer: every view is wrapped by ``permission_required``."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def permission_required(perm: str):
    """Anonymous → log-in page; a role without ``perm`` → 403. Object checks stay in services,
    and objects outside the user's scope are never found (404) by the selectors."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(perm):
                raise PermissionDenied(perm)
            return view(request, *args, **kwargs)

        wrapped.permission = perm  # read by the authorization-matrix test
        return wrapped

    return decorator


def login_only(view):
    """For pages every logged-in role may open (home, own profile)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapped.permission = None
    return wrapped
