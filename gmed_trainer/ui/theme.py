"""Styles for text spans (Content), shared by the screens and widgets.

`$text-muted` works in CSS, but in a Content span it comes out white: it is an "auto" colour,
which only CSS resolves against the widget's background. Muted spans use `$foreground-muted`
instead: the theme's foreground at 60%, blended with the background (a little darker than the
CSS colour, and muted in every theme, light or dark).
"""

from __future__ import annotations

MUTED = "$foreground-muted"


def solid_muted(theme_variables: dict[str, str]) -> str:
    """The muted colour as a solid hex colour, for spans drawn without blending (a DataTable
    cell draws `$foreground-muted` at full strength, and `$text-muted` black)."""
    from textual.color import Color

    background = Color.parse(theme_variables["background"])
    return (background + Color.parse(theme_variables["foreground-muted"])).hex
