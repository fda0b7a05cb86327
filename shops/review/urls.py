from django.urls import path

from shops.review import views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:submission_id>/", views.detail, name="detail"),
    path("<int:submission_id>/claim/", views.claim, name="claim"),
    path("<int:submission_id>/release/", views.release, name="release"),
    path("<int:submission_id>/decide/", views.decide, name="decide"),
    path(
        "<int:submission_id>/documents/<int:document_id>/",
        views.document_file,
        name="document_file",
    ),
]
