"""Authentication backends: Django's and allauth's, unchanged. Every session records the path of
the backend that signed it in, so these names stay: renaming them would sign everyone out."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend


class ModelBackend(DjangoModelBackend):
    pass


class AuthenticationBackend(AllauthBackend):
    pass
