from django.urls import path

from . import attachment_views, news_views, rubric_views, views

app_name = "planning"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("ny/", views.plan_create, name="plan_create"),
    path("mallar/", views.template_list, name="template_list"),
    path("<uuid:code>/", views.plan_detail, name="plan_detail"),
    path("<uuid:code>/andra/", views.plan_edit, name="plan_edit"),
    path("<uuid:code>/laroplan/", views.plan_links, name="plan_links"),
    path("<uuid:code>/status/", views.plan_state, name="plan_state"),
    path("<uuid:code>/kopiera/", views.plan_copy, name="plan_copy"),
    path("<uuid:code>/matris/", rubric_views.rubric_edit, name="rubric_edit"),
    path("<uuid:code>/matris/starta/", rubric_views.rubric_start, name="rubric_start"),
    path("<uuid:code>/matris/ta-bort/", rubric_views.rubric_delete, name="rubric_delete"),
    path("<uuid:code>/bilagor/", attachment_views.attachment_upload, name="attachment_upload"),
    path("<uuid:code>/bilagor/<uuid:attachment_code>/", attachment_views.attachment_download, name="attachment"),
    path(
        "<uuid:code>/bilagor/<uuid:attachment_code>/ta-bort/",
        attachment_views.attachment_delete,
        name="attachment_delete",
    ),
    path("information/", news_views.announcement_list, name="announcement_list"),
    path("information/ny/", news_views.announcement_create, name="announcement_create"),
    path("information/<uuid:code>/", news_views.announcement_detail, name="announcement_detail"),
]
