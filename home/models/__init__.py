from .pages import HomePage, InformationPage
from .site_settings import MunicipalitySettings

__all__ = ["HomePage", "InformationPage", "MunicipalitySettings"]
