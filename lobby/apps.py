from django.apps import AppConfig


class LobbyConfig(AppConfig):
    """The public board for the waiting room and the "kami bertindak" page.

    It sits above surveys and followup (it reads both); they never import it.
    """

    name = "lobby"
    verbose_name = "Papan informasi"
