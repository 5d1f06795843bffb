"""The complaint form in a fresh `wagtail start` site, in a real browser (issue 17): styled by
the plugin's own CSS (the submit button is not the browser's default), and the spam trap neither
visible nor focusable, nor in the accessibility tree. Run by .ci/install_check.sh with the
site's address while its server runs; Playwright on the system Chromium, nothing downloaded.
Without Chromium it says so and passes, except with CI=true."""

import os
import sys
from pathlib import Path

CHROMIUM = Path(os.environ.get("KLACHTENPORTAAL_CHROMIUM", "/usr/bin/chromium"))


def main(base):
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            raise SystemExit(f"Chromium not found at {CHROMIUM} (CI=true: the browser check must run)")
        print(f"skipped: Chromium not found at {CHROMIUM}")
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        page = browser.new_page()
        outside = []
        page.on("request", lambda request: None if request.url.startswith(base) else outside.append(request.url))
        page.goto(base + "/klacht-indienen/")
        assert not outside, f"requests outside the site: {outside}"
        stylesheets = page.evaluate("[...document.styleSheets].map(sheet => sheet.href || '')")
        assert any("klachtformulieren/css/public.css" in href for href in stylesheets), stylesheets

        button = page.locator("button[type=submit]")
        style = button.evaluate(
            "b => { const s = getComputedStyle(b); return [s.backgroundColor, s.color, s.borderTopWidth]; }"
        )
        # Chromium's own button: rgb(239, 239, 239) on black with a 2px outset border.
        assert style[0] not in ("rgb(239, 239, 239)", "rgba(0, 0, 0, 0)"), f"unstyled submit button: {style}"
        print("submit button:", style)

        trap = page.locator("input[name=website]")
        assert trap.count() == 1, "the spam trap is not in the form"
        assert not trap.is_visible(), "the spam trap is visible"
        # Tab through the whole page: focus never lands on the trap.
        for _ in range(80):
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement && document.activeElement.name") != "website"
        snapshot = page.locator("form.kp-form, form").first.aria_snapshot()
        label = page.locator("label[for=id_website]").inner_text()
        assert label not in snapshot, "the spam trap is read out to screen readers"
        print("spam trap: hidden, never focused, not in the accessibility tree")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"))
