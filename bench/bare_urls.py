from django.urls import path

from bench import views as v

# The bare view's own URLconf: served by a settings module with no middleware at all.
urlpatterns = [path("bare/", v.bare)]
