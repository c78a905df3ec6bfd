"""The table grid's built-in texts (AG Grid `localeText`) in Swedish and English.

Keys are AG Grid's own locale keys; the English texts are AG Grid's defaults.
"""

from __future__ import annotations

from dashboard.core.text.strings import in_lang

GRID: dict[str, tuple[str, str]] = {
    # pagination: "1 till 8 av 8", "Sida 1 av 1"
    "page": ("Sida", "Page"),
    "of": ("av", "of"),
    "to": ("till", "to"),
    "more": ("fler", "more"),
    "next": ("Nästa", "Next"),
    "last": ("Sista", "Last"),
    "first": ("Första", "First"),
    "previous": ("Föregående", "Previous"),
    "firstPage": ("Första sidan", "First Page"),
    "previousPage": ("Föregående sida", "Previous Page"),
    "nextPage": ("Nästa sida", "Next Page"),
    "lastPage": ("Sista sidan", "Last Page"),
    "pageSizeSelectorLabel": ("Rader per sida:", "Page Size:"),
    "loadingOoo": ("Laddar …", "Loading..."),
    "noRowsToShow": ("Inga rader att visa", "No Rows To Show"),
    # column filters
    "filterOoo": ("Filtrera …", "Filter..."),
    "searchOoo": ("Sök …", "Search..."),
    "selectAll": ("(Markera alla)", "(Select All)"),
    "blanks": ("(Tomma)", "(Blanks)"),
    "noMatches": ("Inga träffar", "No matches"),
    "empty": ("Välj ett", "Choose one"),
    "equals": ("Lika med", "Equals"),
    "notEqual": ("Inte lika med", "Does not equal"),
    "lessThan": ("Mindre än", "Less than"),
    "greaterThan": ("Större än", "Greater than"),
    "lessThanOrEqual": ("Mindre än eller lika med", "Less than or equal to"),
    "greaterThanOrEqual": ("Större än eller lika med", "Greater than or equal to"),
    "inRange": ("Mellan", "Between"),
    "inRangeStart": ("Från", "From"),
    "inRangeEnd": ("Till", "To"),
    "contains": ("Innehåller", "Contains"),
    "notContains": ("Innehåller inte", "Does not contain"),
    "startsWith": ("Börjar med", "Begins with"),
    "endsWith": ("Slutar med", "Ends with"),
    "blank": ("Tom", "Blank"),
    "notBlank": ("Inte tom", "Not blank"),
    "andCondition": ("OCH", "AND"),
    "orCondition": ("ELLER", "OR"),
    "applyFilter": ("Använd", "Apply"),
    "resetFilter": ("Återställ", "Reset"),
    "clearFilter": ("Rensa", "Clear"),
    "cancelFilter": ("Avbryt", "Cancel"),
    "columnFilter": ("Kolumnfilter", "Column Filter"),
    "ariaFilterInput": ("Filtervärde", "Filter Input"),
    "ariaFilterValue": ("Filtervärde", "Filter Value"),
    "ariaFilteringOperator": ("Filtervillkor", "Filtering Operator"),
    "ariaColumnFilter": ("Kolumnfilter", "Column Filter"),
    "ariaSearchFilterValues": ("Sök filtervärden", "Search filter values"),
    "ariaSortableColumn": ("Tryck Enter för att sortera", "Press ENTER to sort"),
    "ariaMenuColumn": (
        "Tryck Alt nedåtpil för att öppna kolumnmenyn",
        "Press ALT DOWN to open column menu",
    ),
}


def grid_locale(lang: str) -> dict[str, str]:
    """AG Grid's localeText for the page language."""
    return in_lang(GRID, lang)
