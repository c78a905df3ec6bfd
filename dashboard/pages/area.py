"""The area profile: dash.register_page is called in dashboard/views/area/page.py, imported here."""

from dashboard.views.area import page  # noqa: F401
