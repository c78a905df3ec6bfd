"""The page footer names each source once, in the words the source asks for, in the page language."""

from __future__ import annotations


def _text(node) -> str:
    children = getattr(node, "children", node)
    if isinstance(children, str):
        return children
    if isinstance(children, list | tuple):
        return "".join(_text(c) for c in children)
    return "" if children is None else _text(children)


def test_footer_attributions_are_not_labelled_twice(dash_env) -> None:
    """'Källa: SCB' as SCB recommends, never 'Källor: Källa: SCB'."""
    from dashboard.app import footer

    sv, en = _text(footer("sv")[0]), _text(footer("en")[0])
    assert sv == "Källa: Kolada · Källa: SCB", sv
    assert en == "Source: Kolada · Source: Statistics Sweden", en
