from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("profil/", views.profile, name="profile"),
    path("grupper/<uuid:code>/", views.group_detail, name="group_detail"),
    path("elever/<uuid:code>/", views.pupil_detail, name="pupil_detail"),
    path("konto/", include("django.contrib.auth.urls")),
]
