"""Where the shipped resources (fonts, sounds, translations, label templates) are."""

from __future__ import annotations

import os
from pathlib import Path

ENV = "PACKDESK_RESOURCES"


def resources_dir() -> Path:
    """``resources/`` of the checkout or installation (``PACKDESK_RESOURCES`` overrides)."""
    env = os.environ.get(ENV)
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[1] / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


#: The CJK-capable font shipped with Packdesk (WenQuanYi Micro Hei, Apache-2.0).
CJK_FONT = ("fonts", "wqy-microhei.ttc")


def cjk_font_path() -> Path:
    return resource(*CJK_FONT)
