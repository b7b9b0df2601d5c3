"""The person's own settings besides the password: where notices are mailed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from ..forms import EmailForm
from ..services import user_email_set


@login_required
def email(request):
    form = EmailForm(request.POST or None, initial={"email": request.user.email})
    if request.method == "POST" and form.is_valid():
        user_email_set(user=request.user, email=form.cleaned_data["email"])
        messages.success(request, "通知邮箱已保存。" if request.user.email else "已清除通知邮箱。")
        return redirect("accounts:email")
    return render(request, "accounts/email.html", {"form": form})
