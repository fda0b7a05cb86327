from django.urls import path

from shops import views

app_name = "shops"

urlpatterns = [
    path("", views.settings_page, name="settings"),
]
