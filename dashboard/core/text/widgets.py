"""Third-party widgets' built-in texts in Swedish and English: the Dash dropdown's `labels` and the
Plotly chart toolbar's locale dictionary.

Dropdown keys are dcc.Dropdown's `labels` keys; toolbar keys are plotly.js's English source texts
(its own "sv" locale has an empty dictionary, so the toolbar stayed English on the Swedish page).
"""

from __future__ import annotations

from dashboard.core.text.strings import in_lang

DROPDOWN: dict[str, tuple[str, str]] = {
    "select_all": ("Markera alla", "Select all"),
    "deselect_all": ("Avmarkera alla", "Deselect all"),
    "selected_count": ("{num_selected} valda", "{num_selected} selected"),
    "search": ("Sök", "Search"),
    "clear_search": ("Rensa sökningen", "Clear search"),
    "clear_selection": ("Rensa valet", "Clear selection"),
    "no_options_found": ("Inga träffar", "No options found"),
}

MODEBAR: dict[str, tuple[str, str]] = {
    "Autoscale": ("Anpassa skalan", "Autoscale"),
    "Box Select": ("Markera med rektangel", "Box Select"),
    "Compare data on hover": ("Jämför värden vid hovring", "Compare data on hover"),
    "Double-click on legend to isolate one trace": (
        "Dubbelklicka på förklaringen för att visa en serie",
        "Double-click on legend to isolate one trace",
    ),
    "Double-click to zoom back out": (
        "Dubbelklicka för att zooma ut",
        "Double-click to zoom back out",
    ),
    "Download plot as a PNG": ("Ladda ned diagrammet som PNG", "Download plot as a PNG"),
    "Download plot": ("Ladda ned diagrammet", "Download plot"),
    "Lasso Select": ("Markera med lasso", "Lasso Select"),
    "Pan": ("Panorera", "Pan"),
    "Reset": ("Återställ", "Reset"),
    "Reset axes": ("Återställ axlarna", "Reset axes"),
    "Reset view": ("Återställ vyn", "Reset view"),
    "Reset views": ("Återställ vyerna", "Reset views"),
    "Show closest data on hover": ("Visa närmaste värde vid hovring", "Show closest data on hover"),
    "Image download succeeded": ("Bilden är nedladdad", "Image download succeeded"),
    "Sorry, there was a problem downloading your image!": (
        "Bilden kunde inte laddas ned.",
        "Sorry, there was a problem downloading your image!",
    ),
    "Preparing image - this may take a few seconds": (
        "Bilden förbereds, det kan ta några sekunder",
        "Preparing image - this may take a few seconds",
    ),
    "Share chart...": ("Dela diagrammet …", "Share chart..."),
    "Toggle Spike Lines": ("Visa eller dölj hjälplinjer", "Toggle Spike Lines"),
    "Toggle show closest data on hover": (
        "Visa eller dölj närmaste värde vid hovring",
        "Toggle show closest data on hover",
    ),
    "Zoom": ("Zooma", "Zoom"),
    "Zoom in": ("Zooma in", "Zoom in"),
    "Zoom out": ("Zooma ut", "Zoom out"),
    "lat:": ("lat.:", "lat:"),
    "lon:": ("long.:", "lon:"),
    "trace": ("serie", "trace"),
}


def dropdown_labels(lang: str) -> dict[str, str]:
    """dcc.Dropdown `labels` in the page language ('Sök', '2 valda', …)."""
    return in_lang(DROPDOWN, lang)


def plotly_locale(lang: str) -> dict[str, object]:
    """Plotly config entries `locale` and `locales` that put the chart toolbar in the page language."""
    code = "en" if lang == "en" else "sv"
    if code == "en":
        return {"locale": "en"}
    return {"locale": code, "locales": {code: {"dictionary": in_lang(MODEBAR, code)}}}
