"""Public URLs of the klachtformulieren plugin app; the host site includes them."""

from django.urls import path

from klachtformulieren.intake import my_complaints_views, survey_views, views

app_name = "klachtformulieren"

urlpatterns = [
    path("status/", views.status_page, name="status_page"),
    path("status/<str:token>/", views.status, name="status"),
    path("tevredenheid/<str:token>/", survey_views.survey, name="survey"),
    path("mijn-klachten/", my_complaints_views.ask_for_link, name="my_complaints"),
    path("mijn-klachten/overzicht/", my_complaints_views.overview, name="my_complaints_overview"),
    path("mijn-klachten/overzicht/<str:reference>/", my_complaints_views.open_status, name="my_complaints_status"),
    path("mijn-klachten/<str:token>/", my_complaints_views.sign_in, name="my_complaints_sign_in"),
]
