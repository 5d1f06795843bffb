"""Public URLs of the klachtformulieren plugin app; the host site includes them."""

from django.urls import path

from klachtformulieren.intake import views

app_name = "klachtformulieren"

urlpatterns = [
    path("status/", views.status_page, name="status_page"),
    path("status/<str:token>/", views.status, name="status"),
]
