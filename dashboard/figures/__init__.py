"""Pure DataFrame → go.Figure functions, one module per view, with a shared theme and hover module.

Figures are assembled as plain trace/layout dicts and validated once by go.Figure (adding traces one
by one and the large built-in templates cost tens of milliseconds per figure).
"""
