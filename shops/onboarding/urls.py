from django.urls import path

from shops.onboarding import views

app_name = "onboarding"

urlpatterns = [
    path("", views.progress, name="progress"),
    path("seller-type/", views.seller_type, name="seller_type"),
    path("details/", views.details, name="details"),
    path("documents/", views.documents, name="documents"),
    path(
        "documents/<int:verification_document_id>/remove/",
        views.document_remove,
        name="document_remove",
    ),
    path(
        "documents/<int:verification_document_id>/file/",
        views.document_file,
        name="document_file",
    ),
    path("tiktok/", views.tiktok, name="tiktok"),
    path("submit/", views.submit, name="submit"),
]
