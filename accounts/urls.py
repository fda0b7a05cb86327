from django.urls import path

from accounts import views

# Mounted at /account/ (allauth keeps /accounts/). Names follow allauth's "account_" style.
urlpatterns = [
    path("second-factor/", views.second_factor, name="account_second_factor"),
    path("reauthenticate/", views.reauthenticate, name="account_reauth"),
    path("security/", views.security, name="account_security"),
    path(
        "security/authenticator/",
        views.authenticator_enrol,
        name="account_security_authenticator",
    ),
    path("security/backup-codes/", views.backup_codes, name="account_backup_codes"),
    path(
        "security/backup-codes/download/",
        views.backup_codes_download,
        name="account_backup_codes_download",
    ),
    path(
        "security/backup-codes/regenerate/",
        views.backup_codes_regenerate,
        name="account_backup_codes_regenerate",
    ),
    path("security/disable/", views.second_factor_disable, name="account_second_factor_disable"),
    path("type/", views.account_type, name="account_type"),
]
