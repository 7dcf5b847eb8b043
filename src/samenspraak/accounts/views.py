from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from samenspraak.accounts.forms import EmailAuthenticationForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        """Staff land on their management page; everyone else on the process overview."""
        if self.request.user.has_perm("processes.view_dashboard"):
            return reverse("processes:dashboard")
        return reverse("processes:list")


@login_required
def profile(request):
    return render(request, "accounts/profile.html", {"profile_user": request.user})
