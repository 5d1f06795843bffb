"""Build the demo portal for the fictional municipality of Lindenhaven.

Idempotent: what exists already is left as it is, so a second run changes nothing and
never overwrites what an editor changed. Demo staff accounts are only made with DEBUG on.
"""

import io
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand
from django.db import transaction
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from home import demo_content
from home.demo_cases import seed_demo_cases
from home.demo_partners import seed_demo_partners
from home.models import HomePage, InformationPage, MunicipalitySettings
from klachtformulieren.cases import seed_data
from klachtformulieren.cases.roles import ensure_roles
from klachtformulieren.intake.pages import ComplaintFormField, ComplaintFormPage
from klachtformulieren.models import Municipality, Status
from klachtformulieren.reporting.pages import AnnualFiguresPage
from klachtformulieren.route_finder.pages import RouteFinderPage
from partners.pages import PartnerIndexPage
from partners.seed_data import seed_topics

LOGO_TITLE = "Logo gemeente Lindenhaven"
# The default site Wagtail's first migration makes; it is given the configured address.
PLACEHOLDER_SITE = ("localhost", 80)


def configured_site_address():
    """The host and port of ``PUBLIC_SITE_URL`` (DJANGO_SITE_URL), e.g. ("klachten.gemeente.nl", 443)."""
    address = urlsplit(settings.PUBLIC_SITE_URL)
    default_port = 443 if address.scheme == "https" else 80
    return address.hostname or PLACEHOLDER_SITE[0], address.port or default_port


class Command(BaseCommand):
    help = "Fill the portal with demo content for a fictional municipality (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        site = self.ensure_site()
        home = site.root_page.specific
        municipality = self.ensure_municipality()
        pages = {page["slug"]: self.ensure_information_page(home, page) for page in demo_content.INFORMATION_PAGES}
        form_page = self.ensure_complaint_form(home, municipality)
        directory = self.ensure_partner_directory(home, form_page)
        route_finder = self.ensure_route_finder(home, form_page, directory)
        self.ensure_annual_figures(home, municipality)
        self.ensure_home_links(home, pages, form_page, route_finder)
        self.ensure_settings(site, municipality, pages)
        created = seed_demo_cases(municipality, form_page)
        if created:
            self.stdout.write(f"Created {created} demo cases.")
        if settings.DEBUG:
            self.ensure_demo_staff(municipality)
        self.stdout.write(self.style.SUCCESS(f"Demo portal ready: {home.title} ({site.hostname})."))

    def ensure_site(self):
        """Make a HomePage the root of the default site, replacing Wagtail's welcome page."""
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site and isinstance(site.root_page.specific, HomePage):
            self.ensure_site_address(site)
            return site
        tree_root = Page.get_first_root_node()
        home = HomePage.objects.filter(slug=demo_content.HOME["slug"]).first()
        if home is None:
            home = tree_root.add_child(instance=HomePage(**demo_content.HOME))
            home.save_revision().publish()
            self.stdout.write(f"Created the home page {home.title!r}.")
        hostname, port = configured_site_address()
        if site is None:
            site = Site.objects.create(hostname=hostname, port=port, root_page=home, is_default_site=True)
        else:
            self.ensure_site_address(site)
            old_root = site.root_page
            site.root_page = home
            site.save()
            # Wagtail's placeholder page ("Welcome to your new Wagtail site!") has no use any more.
            if type(old_root.specific) is Page and old_root.is_leaf():
                old_root.delete()
        site.site_name = demo_content.MUNICIPALITY["name"]
        site.save(update_fields=["site_name"])
        return site

    def ensure_site_address(self, site):
        """Wagtail's placeholder address (localhost, port 80) becomes the configured one; an
        address someone set under Settings > Sites stays."""
        if (site.hostname, site.port) != PLACEHOLDER_SITE:
            return
        site.hostname, site.port = configured_site_address()
        site.save(update_fields=["hostname", "port"])
        self.stdout.write(f"The site's address is now {site.root_url}.")

    def ensure_information_page(self, home, data):
        existing = InformationPage.objects.child_of(home).filter(slug=data["slug"]).first()
        if existing:
            return existing
        page = InformationPage(
            title=data["title"],
            slug=data["slug"],
            intro=data["intro"],
            body=data["body"],
            show_in_menus=data.get("show_in_menus", True),
        )
        home.add_child(instance=page)
        page.save_revision().publish()
        self.stdout.write(f"Created the page {page.title!r}.")
        return page

    def ensure_municipality(self):
        data = demo_content.MUNICIPALITY
        municipality, created = Municipality.objects.get_or_create(slug=data["slug"], defaults=data)
        if created:
            seed_data.seed_kinds(municipality, seed_data.MUNICIPAL_KINDS)
            # The social service's list is there to switch on; Lindenhaven uses the municipal one.
            seed_data.seed_kinds(
                municipality, seed_data.SOCIAL_SERVICE_KINDS, active=False, start=len(seed_data.MUNICIPAL_KINDS)
            )
            seed_data.seed_organisation(municipality, demo_content.ORGANISATION)
            self.stdout.write(f"Created {municipality} with its classifications.")
        return municipality

    def ensure_complaint_form(self, home, municipality):
        data = demo_content.COMPLAINT_FORM
        existing = ComplaintFormPage.objects.child_of(home).filter(slug=data["slug"]).first()
        if existing:
            return existing
        page = ComplaintFormPage(municipality=municipality, show_in_menus=True, **data)
        page.form_fields = [ComplaintFormField(**question) for question in demo_content.COMPLAINT_FORM_QUESTIONS]
        home.add_child(instance=page)
        page.save_revision().publish()
        self.stdout.write(f"Created the page {page.title!r}.")
        return page

    def ensure_partner_directory(self, home, form_page):
        created = seed_demo_partners()
        if created:
            self.stdout.write(f"Created {created} demo partners.")
        data = demo_content.PARTNER_DIRECTORY
        existing = PartnerIndexPage.objects.child_of(home).filter(slug=data["slug"]).first()
        if existing:
            return existing
        page = PartnerIndexPage(complaint_page=form_page, show_in_menus=True, **data)
        home.add_child(instance=page)
        page.save_revision().publish()
        self.stdout.write(f"Created the page {page.title!r}.")
        return page

    def ensure_route_finder(self, home, form_page, directory):
        data = demo_content.ROUTE_FINDER
        existing = RouteFinderPage.objects.child_of(home).filter(slug=data["slug"]).first()
        if existing:
            return existing
        steps = demo_content.route_finder_steps(complaint_form=form_page, directory=directory, topics=seed_topics())
        page = RouteFinderPage(steps=steps, show_in_menus=False, **data)
        home.add_child(instance=page)
        page.save_revision().publish()
        self.stdout.write(f"Created the page {page.title!r}.")
        return page

    def ensure_annual_figures(self, home, municipality):
        data = demo_content.ANNUAL_FIGURES
        if AnnualFiguresPage.objects.child_of(home).filter(slug=data["slug"]).exists():
            return
        page = AnnualFiguresPage(municipality=municipality, show_in_menus=True, **data)
        home.add_child(instance=page)
        page.save_revision().publish()
        self.stdout.write(f"Created the page {page.title!r}.")

    def ensure_home_links(self, home, pages, form_page, route_finder):
        if home.quick_links or home.complaint_page_id:
            return
        home.complaint_page = form_page
        finder_link = {"page": route_finder, "external_url": "", "label": "Klachtwijzer: waar kunt u terecht?"}
        home.quick_links = [
            ("link", {**finder_link, "description": "Twijfelt u of het een klacht is? Beantwoord een paar vragen."}),
            *(
                ("link", {"page": pages[slug], "external_url": "", "label": "", "description": description})
                for slug, description in demo_content.QUICK_LINKS
            ),
        ]
        home.save_revision().publish()

    def ensure_settings(self, site, municipality, pages):
        site_settings, created = MunicipalitySettings.objects.get_or_create(site=site)
        if not created and site_settings.municipality_id:
            return
        site_settings.municipality = municipality
        for field, value in demo_content.SITE_SETTINGS.items():
            setattr(site_settings, field, value)
        site_settings.privacy_page = pages["privacy"]
        site_settings.accessibility_page = pages["toegankelijkheid"]
        site_settings.logo = self.ensure_logo()
        site_settings.save()

    def ensure_logo(self):
        image_model = get_image_model()
        logo = image_model.objects.filter(title=LOGO_TITLE).first()
        if logo:
            return logo
        canvas = PillowImage.new("RGBA", (128, 128), (0, 0, 0, 0))
        draw = ImageDraw.Draw(canvas)
        draw.ellipse((4, 4, 124, 124), fill=(29, 79, 145, 255))
        # A stylised linden leaf: the municipality's fictional coat of arms.
        draw.polygon([(64, 22), (96, 64), (64, 106), (32, 64)], fill=(255, 255, 255, 255))
        draw.line([(64, 40), (64, 112)], fill=(29, 79, 145, 255), width=6)
        buffer = io.BytesIO()
        canvas.save(buffer, format="PNG")
        return image_model.objects.create(title=LOGO_TITLE, file=ImageFile(buffer, name="lindenhaven-logo.png"))

    def ensure_demo_staff(self, municipality):
        ensure_roles()
        user_model = get_user_model()
        lines = []
        for account in demo_content.DEMO_STAFF:
            user = user_model.objects.filter(username=account["username"]).first()
            if user is None:
                user = user_model(
                    username=account["username"],
                    email=f"{account['username']}@lindenhaven.example",
                    is_staff=True,
                    is_superuser=account["superuser"],
                    first_name=account.get("first_name", ""),
                    last_name=account.get("last_name", ""),
                )
                user.set_password(account["password"])
                user.save()
                user.groups.set(Group.objects.filter(name__in=account["groups"]))
                if not account["superuser"] and "Redacteuren" not in account["groups"]:
                    municipality.staff.add(user)
            lines.append(f"  {account['role']:<12} {account['username']} / {account['password']}")
        # The demo handler handles the demo cases that are being handled.
        handler = user_model.objects.filter(username="behandelaar").first()
        municipality.complaints.filter(status=Status.HANDLING, handler=None).update(handler=handler)
        self.stdout.write("Demo accounts for /admin/ (DEBUG only, never in production):")
        self.stdout.write("\n".join(lines))
