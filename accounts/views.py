from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from accounts import services
from accounts.forms import EmailAuthenticationForm
from accounts.password_reset import password_reset_allowed
from duaal.audit import throttle_client_ip


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: EmailAuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        # The user's saved language wins over the anonymous browser's cookie.
        language = form.get_user().language
        if check_for_language(language):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
            )
        return response


def lockout(
    request: HttpRequest, credentials: dict[str, Any] | None = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """django-axes lockout answer: the same for known and unknown e-mail addresses."""
    form = EmailAuthenticationForm(request)
    return render(request, "accounts/login.html", {"form": form, "locked_out": True}, status=429)


class PasswordResetView(auth_views.PasswordResetView):
    """The same work and the same page for every address: throttle, queue, redirect
    (``accounts/password_reset.py``). The mail itself is the worker's business."""

    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        email = form.cleaned_data["email"]
        client = throttle_client_ip(self.request) or "-"
        if not password_reset_allowed(email=email, client=client):
            return render(self.request, "accounts/password_reset_throttled.html", status=429)
        from accounts.tasks import send_password_reset

        transaction.on_commit(lambda: send_password_reset.delay(email))
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, and remember the choice on the account for e-mails."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and check_for_language(language):
        services.user_set_language(user=request.user, language=language)
    return response
