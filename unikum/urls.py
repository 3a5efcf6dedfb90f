from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    # Choosing a language must work on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("content/", include("unikum.content.urls")),
    path("planering/", include("planning.urls")),
    path("bedomning/", include("assessment.urls")),
    path("", include("accounts.urls")),
]
