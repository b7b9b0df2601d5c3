from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from .models import User


class PhoneOrUsernameBackend(ModelBackend):
    """Teachers log in with their mobile number; staff accounts with a username."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        username = username.strip()
        user = User.objects.filter(Q(username=username) | Q(phone=username)).first()
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
