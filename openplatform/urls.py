from django.urls import path

from openplatform import views

app_name = "openplatform"

urlpatterns = [
    path("", views.apps_list, name="apps"),
    path("private/new/", views.private_app_new, name="private_app_new"),
    path("<int:shop_app_id>/revoke/", views.app_revoke_confirm, name="app_revoke"),
]
