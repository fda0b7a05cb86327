from django.urls import path

from lifecycle import views

app_name = "lifecycle"

urlpatterns = [
    path("relist/", views.relist, name="relist"),
]
