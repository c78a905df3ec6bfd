"""Component ids: one constant per interactive or tested component (stable for browser tests)."""

from __future__ import annotations

# Shell (app.py)
LANG = "lang-toggle"  # dcc.RadioItems sv|en
URL = "shell-url"  # dcc.Location used by the shell to read the query string
SHARED = "shared-state"  # dcc.Store: selection shared between views (area, year, ...)
REMEMBERED = (
    "remembered-state"  # dcc.Store: the selection merged over the pages visited (navigation)
)
BANNER = "synthetic-banner"
HEADER_TITLE = "header-title"
HEADER_TAGLINE = "header-tagline"
NAV = "main-nav"
FOOTER = "footer"
SKIP_LINK = "skip-link"
MAIN = "main-content"


def nav_link(page: str) -> str:
    """Id of the navigation link to a page."""
    return f"nav-{page}"


# Common suffixes; a page's component id is f"{page}-{suffix}".
S_URL = "url"  # per-page dcc.Location (refresh=False): the page's query string
S_MESSAGE = "message"  # friendly message about a malformed URL / unknown code
S_GRAPH = "graph"
S_SUMMARY = "summary"
S_NOTES = "notes"
S_TABLE = "table"  # dash-ag-grid
S_CSV = "csv-button"
S_DOWNLOAD = "csv-download"
S_LINKS = "links"  # links that carry a selection to the other views
S_LANG = "lang"  # per-page dcc.Store holding the language the page was rendered in


def pid(page: str, suffix: str) -> str:
    """Component id for a page-level component."""
    return f"{page}-{suffix}"


# Map
MAP_URL = pid("map", S_URL)
MAP_MESSAGE = pid("map", S_MESSAGE)
MAP_GRAPH = pid("map", S_GRAPH)
MAP_SUMMARY = pid("map", S_SUMMARY)
MAP_NOTES = pid("map", S_NOTES)
MAP_TABLE = pid("map", S_TABLE)
MAP_CSV = pid("map", S_CSV)
MAP_DOWNLOAD = pid("map", S_DOWNLOAD)
MAP_LINKS = pid("map", S_LINKS)
MAP_LANG = pid("map", S_LANG)
MAP_LEVEL = "map-level"
MAP_MUNICIPALITY = "map-municipality"  # municipality whose RegSO areas are shown
MAP_INDICATOR = "map-indicator"
MAP_COLOUR = "map-colour"  # gap | value
MAP_GAP = "map-gap"
MAP_GROUP = "map-group"  # sex.birth_region shown when colouring by value
MAP_YEAR = "map-year"
MAP_PLAY = "map-play"
MAP_INTERVAL = "map-interval"
MAP_AREA = "map-area"  # dropdown: selected area (also set by a click on the map)
MAP_FOCUS = "map-focus"  # dropdown: county or LA region the map zooms to
MAP_RANK_GRAPH = "map-rank-graph"  # ranked bars of the focus's municipalities
MAP_RANK_SUMMARY = "map-rank-summary"
MAP_YEAR_TEXT = "map-year-text"  # the chosen year as text beside the slider

# Trends
TRENDS_URL = pid("trends", S_URL)
TRENDS_MESSAGE = pid("trends", S_MESSAGE)
TRENDS_GRAPH = pid("trends", S_GRAPH)
TRENDS_SUMMARY = pid("trends", S_SUMMARY)
TRENDS_GAP_GRAPH = "trends-gap-graph"
TRENDS_GAP_SUMMARY = "trends-gap-summary"
TRENDS_NOTES = pid("trends", S_NOTES)
TRENDS_TABLE = pid("trends", S_TABLE)
TRENDS_CSV = pid("trends", S_CSV)
TRENDS_DOWNLOAD = pid("trends", S_DOWNLOAD)
TRENDS_LANG = pid("trends", S_LANG)
TRENDS_AREAS = "trends-areas"  # multi-select of areas (any level)
TRENDS_INDICATOR = "trends-indicator"
TRENDS_GAP = "trends-gap"
TRENDS_BIRTH = "trends-birth"  # main | detail | time
TRENDS_SEX = "trends-sex"  # split | total

# Peers
PEERS_URL = pid("peers", S_URL)
PEERS_MESSAGE = pid("peers", S_MESSAGE)
PEERS_GRAPH = pid("peers", S_GRAPH)  # dumbbell
PEERS_SUMMARY = pid("peers", S_SUMMARY)
PEERS_SLOPE_GRAPH = "peers-slope-graph"
PEERS_SLOPE_SUMMARY = "peers-slope-summary"
PEERS_STATS = "peers-stats"  # median / weighted mean / rank
PEERS_NOTES = pid("peers", S_NOTES)
PEERS_TABLE = pid("peers", S_TABLE)
PEERS_CSV = pid("peers", S_CSV)
PEERS_DOWNLOAD = pid("peers", S_DOWNLOAD)
PEERS_LANG = pid("peers", S_LANG)
PEERS_MUNICIPALITY = "peers-municipality"
PEERS_KIND = "peers-kind"  # skr | similar | la | county | custom
PEERS_CUSTOM = "peers-custom"  # multi-select used when kind == custom
PEERS_INDICATOR = "peers-indicator"
PEERS_GAP = "peers-gap"
PEERS_YEAR = "peers-year"
PEERS_YEAR0 = "peers-year0"  # slope chart start year
PEERS_RANK = "peers-rank"  # "rank x of n" line

# Explore
EXPLORE_URL = pid("explore", S_URL)
EXPLORE_MESSAGE = pid("explore", S_MESSAGE)
EXPLORE_GRAPH = pid("explore", S_GRAPH)
EXPLORE_SUMMARY = pid("explore", S_SUMMARY)
EXPLORE_NOTES = pid("explore", S_NOTES)
EXPLORE_TABLE = pid("explore", S_TABLE)
EXPLORE_CSV = pid("explore", S_CSV)
EXPLORE_DOWNLOAD = pid("explore", S_DOWNLOAD)
EXPLORE_LINKS = pid("explore", S_LINKS)
EXPLORE_LANG = pid("explore", S_LANG)
EXPLORE_INDICATOR = "explore-indicator"  # indicator of the gap (y axis)
EXPLORE_GAP = "explore-gap"
EXPLORE_X = "explore-x"  # indicator on the x axis
EXPLORE_YEAR = "explore-year"
EXPLORE_MUNICIPALITY = "explore-municipality"  # highlighted municipality
EXPLORE_PEERS = "explore-peers"  # peer kind highlighted

# Data & sources
DATA_URL = pid("data", S_URL)
DATA_MESSAGE = pid("data", S_MESSAGE)
DATA_TABLE = pid("data", S_TABLE)
DATA_SUMMARY = pid("data", S_SUMMARY)
DATA_CSV = pid("data", S_CSV)
DATA_DOWNLOAD = pid("data", S_DOWNLOAD)
DATA_LANG = pid("data", S_LANG)
DATA_VIEW = "data-view"  # which view's table: map | trends | peers | explore
DATA_SOURCES = "data-sources"
DATA_UNITS = "data-units"
DATA_REFRESH = "data-refresh"

# Age-group selectors (one per page that has an indicator)
MAP_AGE = "map-age"
TRENDS_AGE = "trends-age"
PEERS_AGE = "peers-age"
EXPLORE_AGE = "explore-age"

# Explain the gap
EXPLAIN_URL = pid("explain", S_URL)
EXPLAIN_MESSAGE = pid("explain", S_MESSAGE)
EXPLAIN_LANG = pid("explain", S_LANG)
EXPLAIN_SPLIT_GRAPH = "explain-split-graph"  # the area's split beside its peers'
EXPLAIN_SPLIT_SUMMARY = "explain-split-summary"  # the headline sentence
EXPLAIN_YEARS_GRAPH = "explain-years-graph"
EXPLAIN_YEARS_SUMMARY = "explain-years-summary"
EXPLAIN_MAP_GRAPH = "explain-map-graph"
EXPLAIN_MAP_SUMMARY = "explain-map-summary"
EXPLAIN_SCATTER_GRAPH = "explain-scatter-graph"
EXPLAIN_SCATTER_SUMMARY = "explain-scatter-summary"
EXPLAIN_KOLADA_GRAPH = "explain-kolada-graph"  # Kolada's expected-value model (N00485/N00486)
EXPLAIN_KOLADA_SUMMARY = "explain-kolada-summary"
EXPLAIN_NOTES = pid("explain", S_NOTES)
EXPLAIN_TABLE = pid("explain", S_TABLE)
EXPLAIN_CSV = pid("explain", S_CSV)
EXPLAIN_DOWNLOAD = pid("explain", S_DOWNLOAD)
EXPLAIN_AREA = "explain-area"
EXPLAIN_GAP = "explain-gap"
EXPLAIN_YEAR = "explain-year"
EXPLAIN_PEERS = "explain-peers"
EXPLAIN_COLOUR = "explain-colour"  # standardised | local
