from django.urls import path

from lifecycle import standing_views as views

app_name = "standing"

urlpatterns = [
    path("eligibility/", views.eligibility, name="eligibility"),
    path("eligibility/check/", views.eligibility_check, name="eligibility_check"),
    path("probation/", views.probation, name="probation"),
]
