"""Pure parsers: raw response bytes/JSON in, tidy DataFrames out. No I/O."""

STATUS_BY_SYMBOL = {"..": "suppressed", ".": "missing", "-": "not_applicable"}
