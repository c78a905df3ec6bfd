"""The demo wing: a made-up world of counts (always labelled synthetic) in the APIs' response shapes.

`synthetic` and `synthetic_ages` generate the values (each Kolada KPI from its row in
seeds/kolada_kpis.csv), `kolada_v3` and `synthetic` wrap them in the Kolada v3 and SCB json-stat2
shapes, `scale` grows or shortens the world for benchmarks, and `demo` archives them and runs the
normal build. The test stand-in (tests/standin/) serves the same world over HTTP. Outside this
folder only the `demo` command (etl/cli.py) imports it: refresh and rebuild never do.
"""
