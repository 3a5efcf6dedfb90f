"""The project's URLs plus the password-reset URL the activation e-mails link to,
until the lead's accounts URLs name ``password_reset_confirm``."""

from django.contrib.auth import views as auth_views
from django.urls import path

from unikum.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
]
