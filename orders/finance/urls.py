"""Finance pages, in the ``orders`` namespace (orders/urls.py), so every URL name stays as it was."""

from django.urls import path

from orders.finance import views

urlpatterns = [
    path("finance/", views.finance, name="finance"),
    path("finance/withdraw/", views.finance_withdraw, name="finance_withdraw"),
    path("finance/statement/", views.finance_statement, name="finance_statement"),
]
