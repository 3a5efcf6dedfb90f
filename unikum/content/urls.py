from django.urls import path

from . import views

app_name = "content"

urlpatterns = [
    path("check/", views.check_text, name="check"),
]
