"""Public URLs of the klachtformulieren plugin app; the host site includes them."""

app_name = "klachtformulieren"

urlpatterns = []
