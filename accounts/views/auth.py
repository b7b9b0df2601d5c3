"""Login, password change and the role switcher: every signed-in person."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from ..forms import LoginForm


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Logging out drops any message still waiting to be shown: messages ride
    in a cookie, which outlives the session, and on a school office's shared
    computer the next person's login page would show it (outside test 6)."""

    def post(self, request, *args, **kwargs):
        for _ in messages.get_messages(request):  # read: the cookie is cleared
            pass
        return super().post(request, *args, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def get_form_class(self):
        # Someone who has just logged in with an initial or reset password (shown
        # once to the admin who issued it) is not asked to type it again.
        user = self.request.user
        if user.must_change_password or not user.has_usable_password():
            return SetPasswordForm
        return super().get_form_class()

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        messages.success(self.request, "密码已修改。")
        return response


@login_required
@require_POST
def role_switch(request):
    if request.access.activate(request.POST.get("role", "")):
        messages.success(request, f"已切换到：{request.access.active.label}")
    else:
        messages.error(request, "无法切换到该角色。")
    return redirect("home")
