from django.urls import path

from shops import support_views

app_name = "help"

urlpatterns = [
    path("", support_views.help_page, name="help"),
]
