"""Pure DataFrame → go.Figure functions, one module per view, with a shared theme and hover module.

Figures are assembled as plain trace/layout dicts with plain lists and wrapped once by
`theme.figure`, without Plotly's per-property validation (adding traces one by one, the large
built-in templates and validating hundreds of points cost tens of milliseconds per figure); a test
validates every view's figures instead.
"""
