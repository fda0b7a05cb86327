from django.urls import path

from shops import views

app_name = "shops"

urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("bank-account/", views.bank_account, name="bank_account"),
]
