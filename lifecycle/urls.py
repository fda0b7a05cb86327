from django.urls import path

from lifecycle import views

app_name = "lifecycle"

urlpatterns = [
    path("relist/", views.relist, name="relist"),
    path("leaving/", views.leaving, name="leaving"),
    path("leaving/unlink/", views.unlink, name="unlink"),
    path("leaving/relink/", views.relink, name="relink"),
    path("leaving/deactivate/", views.deactivate, name="deactivate"),
    path("leaving/reactivate/", views.reactivate, name="reactivate"),
    path("leaving/delete/", views.delete, name="delete"),
    path("leaving/delete/confirm/", views.delete_confirm, name="delete_confirm"),
    path("export/", views.export_list, name="export_list"),
    path("export/<int:data_export_id>/", views.export_status, name="export_status"),
    path("export/<int:data_export_id>/download/", views.export_download, name="export_download"),
]
