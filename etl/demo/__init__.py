"""The demo wing: a made-up world of counts (always labelled synthetic) in the APIs' response shapes.

`synthetic` and `synthetic_ages` generate the values, `kolada_v3` and `synthetic` wrap them in the
Kolada v3 and SCB json-stat2 shapes, and `demo` archives them and runs the normal build. The test
stand-in (tests/standin/) serves the same world over HTTP.
"""
