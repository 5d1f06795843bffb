"""Public URLs of the partners plugin app; the host site includes them."""

app_name = "partners"

urlpatterns = []
