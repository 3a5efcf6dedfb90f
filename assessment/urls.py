from django.urls import path

from . import entry_views, grid_views, summative_views

app_name = "assessment"

urlpatterns = [
    path("larlogg/ny/<uuid:code>/", entry_views.entry_create, name="entry_create"),
    path("larlogg/<uuid:code>/", entry_views.entry_detail, name="entry_detail"),
    path("larlogg/<uuid:code>/andra/", entry_views.entry_edit, name="entry_edit"),
    path("larlogg/<uuid:code>/dela/", entry_views.entry_share, name="entry_share"),
    path("larlogg/<uuid:code>/reflektion/", entry_views.entry_reflect, name="entry_reflect"),
    path("larlogg/<uuid:code>/bevis/", entry_views.entry_evidence, name="entry_evidence"),
    path("matris/<uuid:code>/", grid_views.grid, name="grid"),
    path("matris/<uuid:code>/dela/", grid_views.grid_share, name="grid_share"),
    path("matrisbedomning/<uuid:code>/", grid_views.rubric_detail, name="rubric_detail"),
    path("summativ/ny/<uuid:code>/", summative_views.summative_create, name="summative_create"),
    path("summativ/<uuid:code>/", summative_views.summative_detail, name="summative_detail"),
    path("summativ/<uuid:code>/andra/", summative_views.summative_edit, name="summative_edit"),
    path("summativ/<uuid:code>/publicera/", summative_views.summative_publish, name="summative_publish"),
    path("kunskapsoversikt/<uuid:code>/", summative_views.overview, name="overview"),
    path("stod/", summative_views.support, name="support"),
]
