"""views/lua."""
