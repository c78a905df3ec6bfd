"""The Data page: any data view's table (the registry's `data_view`s) and the sources behind it."""

from dashboard.core.viewspec import ViewSpec

VIEW = ViewSpec(name="data", path="/data", nav=7)
