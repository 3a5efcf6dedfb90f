"""The project URLs plus the checker endpoint, as the lead mounts it in unikum/urls.py."""

from django.urls import include, path

from unikum.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *[pattern for pattern in project_urlpatterns if getattr(pattern, "app_name", None) != "content"],
    path("content/", include("unikum.content.urls")),
]
