"""Login: teachers with their mobile number, staff accounts with a username;
and the two things django-axes asks about a failed login (whose account, from
which address)."""

import ipaddress

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import get_hasher, identify_hasher, make_password
from django.db.models import Q

from .idnumbers import normalize_phone
from .models import User


def user_for_login(login: str | None) -> User | None:
    """The account a login string names: its username, else its phone number.
    (A number may be one account's username and another's phone: the username wins.)"""
    login = normalize_phone(login)  # a number typed with full-width digits is the same number
    if not login:
        return None
    users = list(User.objects.filter(Q(username=login) | Q(phone=login))[:2])
    return next((u for u in users if u.username == login), users[0] if users else None)


def _needs_default_run(user: User | None) -> bool:
    """Whether checking this account's password would skip the default hasher."""
    if user is None:
        return True
    try:
        algorithm = identify_hasher(user.password).algorithm
    except ValueError:
        return False  # unusable: Django's check_password runs the default hasher itself
    return algorithm != get_hasher("default").algorithm


class PhoneOrUsernameBackend(ModelBackend):
    """Every failed login costs one run of the default hasher, whatever the
    account: unknown, without a usable password, or holding a cheaper initial
    hash (accounts/passwords.py). Otherwise the time taken would tell an
    attacker which accounts exist and which still have an initial password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        user = user_for_login(username)
        if _needs_default_run(user):
            make_password(password)  # the default hasher's work, thrown away
        if user is not None and user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def lockout_key(request, credentials=None) -> str:
    """AXES_USERNAME_CALLABLE: failed logins count against the account, not the
    string typed, so a phone number and a username of one person share the
    five tries. An unknown login string counts as itself."""
    field = settings.AXES_USERNAME_FORM_FIELD
    login = (credentials or {}).get(field)
    if login is None and request is not None:
        login = request.POST.get(field)
    user = user_for_login(login)
    return user.get_username() if user is not None else (login or "").strip()[:150]


def client_ip(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the address of the person, not of our proxy.

    With TRUSTED_PROXY_COUNT = n > 0 (n reverse proxies of ours in front, each
    appending to X-Forwarded-For), the client is the n-th address from the
    right: everything left of it was sent by the client and could be forged.
    With 0 (the default: no proxy) the header is ignored, so a client talking
    to us directly can't pick the address its failures count against."""
    remote = request.META.get("REMOTE_ADDR")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    if len(hops) < count:
        return remote
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
