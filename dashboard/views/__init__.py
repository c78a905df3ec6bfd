"""The view registry: every folder here declares one `VIEW` (a `core.viewspec.ViewSpec`); this
module registers them, so the shell, the URL state, rendering, provenance and exports find each
view by name. A new view is one folder plus one line in `FOLDERS` (README, "Add a view")."""

from dashboard.core import viewspec
from dashboard.views import area, data, explain, explore, lua, peers, trends
from dashboard.views import map as map_view

FOLDERS = (map_view, area, trends, peers, explore, explain, lua, data)

for _folder in FOLDERS:
    viewspec.register(_folder.VIEW)

REGISTRY = viewspec.REGISTRY
