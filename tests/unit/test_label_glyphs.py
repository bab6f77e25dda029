"""Chinese text in ZPL goes as one small graphic field per glyph (prepared once, placed per
label). These tests show it prints exactly the dots of the text bitmap the other formats
draw: line breaks equal the plain character-by-character rule, the glyph places paste to
the same bitmap, and a ZPL renderer (zplkit, emulating Zebra firmware) draws the same dots."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
import zplkit
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image as PilImage
from test_label_output import DATA

from app.domain.errors import ValidationError
from app.labels import layout, raster, symbols, zpl
from app.labels.model import SIZES, Align, Label, Symbology, Text
from app.labels.shipping import shipping_label


def reference_wrap(text: str, pixels: int, width: int, max_lines: int, bold: bool) -> list[str]:
    """The line-breaking rule stepped through one character at a time (the way it was first
    written): the fast ``raster.wrap`` must give the same lines."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current: list[str] = []
        advances: list[float] = []
        used = 0.0
        for ch in paragraph:
            advance = raster._glyph(pixels, bold, ch)[1]
            if used + advance <= width or not current:
                current.append(ch)
                advances.append(advance)
                used += advance
                continue
            cut = max((i for i, c in enumerate(current) if c == " "), default=-1)
            if cut > 0 and ch != " " and ch.isascii() and "".join(current[cut + 1 :]).isascii():
                lines.append("".join(current[:cut]))
                current, advances = current[cut + 1 :], advances[cut + 1 :]
            else:
                lines.append("".join(current).rstrip())
                current, advances = [], []
            if ch != " " or current:
                current.append(ch)
                advances.append(advance)
            used = sum(advances)
        lines.append("".join(current))
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and raster.text_width(last + "…", pixels, bold) > width:
            last = last[:-1]
        lines[-1] = last + "…"
    return lines


TEXT = st.text(alphabet="广东省深圳市南山区 号栋室ab Wi1.,-*()\n", max_size=60)


@settings(max_examples=300, deadline=None)
@given(
    text=TEXT,
    pixels=st.sampled_from([16, 23, 37]),
    width=st.integers(0, 400),
    max_lines=st.integers(1, 4),
    bold=st.booleans(),
)
def test_wrap_breaks_lines_as_the_character_by_character_rule(
    text: str, pixels: int, width: int, max_lines: int, bold: bool
) -> None:
    assert raster.wrap(text, pixels, width, max_lines, bold) == reference_wrap(
        text, pixels, width, max_lines, bold
    )


@pytest.mark.parametrize(
    ("text", "pixels", "width"),
    [
        ("i WWW", 23, 33),  # the word moved down keeps the letter that overflowed, even if wider
        (". WW", 16, 23),
        ("i. WWWWWW", 37, 62),  # ... and then ellipsis on the last line
        ("广东省深圳市南山区科技园 12 号", 23, 100),
        ("Room 1501, Building 2", 23, 60),
        ("  leading and  double  spaces ", 16, 40),
    ],
)
def test_wrap_edge_cases_match_the_rule(text: str, pixels: int, width: int) -> None:
    assert raster.wrap(text, pixels, width, 4) == reference_wrap(text, pixels, width, 4, False)


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet="ABC xyz Wi1.-", max_size=30),
    width=st.floats(1, 60),
    bold=st.booleans(),
)
def test_printer_font_is_chosen_exactly_when_the_text_wraps_to_one_plain_line(
    text: str, width: float, bold: bool
) -> None:
    element = Text(0, 0, text, 3.5, bold=bold, width_mm=width)
    lines = layout.text_lines(element, 203)
    assert layout.uses_printer_font(element, 203) == (len(lines) == 1 and "…" not in lines[0])


def pasted(places: list[tuple[int, int, raster.GlyphInk]], size: tuple[int, int]) -> bytes:
    canvas = PilImage.new("1", size, 0)
    for x, y, ink in places:
        mask = PilImage.frombytes("1", (ink.bitmap.width, ink.bitmap.height), ink.bitmap.data)
        canvas.paste(255, (x, y), mask)
    return canvas.tobytes()


@settings(max_examples=150, deadline=None)
@given(
    text=TEXT.filter(lambda t: t.strip() != ""),
    height=st.sampled_from([2.5, 4.0, 5.5]),
    width=st.one_of(st.none(), st.sampled_from([8.0, 30.0, 70.0])),
    max_lines=st.integers(1, 3),
    align=st.sampled_from(list(Align)),
    bold=st.booleans(),
    dpi=st.sampled_from([203, 300]),
)
def test_glyph_places_paste_to_the_text_bitmap_dot_for_dot(
    text: str,
    height: float,
    width: float | None,
    max_lines: int,
    align: Align,
    bold: bool,
    dpi: int,
) -> None:
    element = Text(0, 0, text, height, bold=bold, width_mm=width, max_lines=max_lines, align=align)
    bitmap, offset = layout.text_bitmap(element, dpi)
    origins, glyph_offset = layout.text_origins(element, dpi)
    places = raster.places(origins)
    assert glyph_offset == offset
    assert pasted(places, (bitmap.width, bitmap.height)) == bitmap.data


def zplkit_ink(job: bytes, label: Label) -> PilImage.Image:
    doc = zplkit.render(
        job, zplkit.Options(width=label.width_dots, height=label.height_dots, dpi=label.dpi)
    )
    image = PilImage.open(io.BytesIO(doc.labels[0].png())).convert("L")
    return image.point(lambda v: 255 if v < 128 else 0).convert("1")


@pytest.mark.parametrize("dpi", [203, 300])
def test_a_zebra_renderer_prints_the_glyph_fields_as_the_text_bitmap(dpi: int) -> None:
    texts = (
        Text(3, 4, "收件人：张*丰 138****5678", 5.5, bold=True),
        Text(
            3,
            14,
            "广东省深圳市南山区科技园南区高新南一道 8 号 2 栋 ** 室",
            4.5,
            width_mm=60,
            max_lines=3,
        ),
        Text(3, 40, "寄件人 杭州好物旗舰店", 4, width_mm=90, align=Align.RIGHT),
        Text(3, 50, "顺丰 标快", 5, width_mm=90, align=Align.CENTER),
        # bold 'f' at the end overhangs the line's width: its ink is cut as the bitmap cuts it
        Text(3, 60, "寄 Shelf", 2.88, bold=True),
    )
    overhang = layout.text_origins(texts[-1], 203)[0]
    assert not overhang.inside
    for text in texts:
        label = Label(SIZES["4x6in"], dpi, (text,))
        job = zpl.render(label)
        assert job.count(b"^GFA,") >= 4 and "收".encode() not in job  # a field per glyph
        want = PilImage.new("1", (label.width_dots, label.height_dots), 0)
        bitmap, offset = layout.text_bitmap(text, dpi)
        want.paste(
            bitmap.to_image().point(lambda v: 255 - v).convert("1"),
            (label.dots(text.x_mm) + offset, label.dots(text.y_mm)),
        )
        got = zplkit_ink(job, label)
        assert got.getbbox() is not None
        assert got.tobytes() == want.tobytes(), text.text


def test_inverse_text_stays_one_field_with_its_cleared_dots() -> None:
    label = Label(SIZES["4x6in"], 203, (Text(3, 3, "收 To", 4, inverse=True, width_mm=14),))
    assert zpl.render(label).count(b"^GFA,") == 1


def test_each_glyph_is_encoded_once_and_the_shorter_way() -> None:
    ink = raster.glyph_ink(30, False, "高")
    assert ink is not None
    field = zpl.compact_graphic_field(ink.bitmap)
    plain = 2 * ink.bitmap.row_bytes * ink.bitmap.height
    assert len(field) <= len(zpl.graphic_field(ink.bitmap)) and len(field) < plain + 30
    label = Label(SIZES["4x6in"], 203, (Text(3, 3, "高高高", 4),))
    job = zpl.render(label).decode()
    bodies = [part.split("^FS")[0] for part in job.split("^GFA,")[1:]]
    assert len(bodies) == 3 and len(set(bodies)) == 1


def test_a_batch_template_renders_as_the_same_elements_without_it() -> None:
    first = shipping_label(DATA, "100x150mm", 203)
    second = shipping_label(replace(DATA, tracking_number="SF9999999999999"), "100x150mm", 203)
    assert first.template and first.template is second.template  # laid out once per batch
    for label in (first, second, first):
        plain = replace(label, template=())
        assert zpl.render(label) == zpl.render(plain)


def test_a_template_must_be_the_labels_first_elements() -> None:
    box = Text(1, 1, "A")
    with pytest.raises(ValueError, match="template"):
        Label(SIZES["4x6in"], 203, (Text(1, 1, "A"),), template=(box,))  # equal, not the same


def test_compact_zpl_for_slow_links_prints_the_same_dots_in_fewer_bytes() -> None:
    for label in (shipping_label(DATA, "4x6in", 203), shipping_label(DATA, "76x130mm", 300)):
        fast, compact = zpl.render(label), zpl.render(label, compact=True)
        assert len(compact) < 0.75 * len(fast)
        assert compact.count(b"^GFA,") < fast.count(b"^GFA,") / 5  # a field per text block
        assert zplkit_ink(compact, label).tobytes() == zplkit_ink(fast, label).tobytes()


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=[chr(c) for c in range(32, 127)], min_size=1, max_size=60))
def test_code128_width_from_the_subsets_equals_libzint_encoding_the_data(data: str) -> None:
    assert symbols.code128_width(data) == symbols._encode(Symbology.CODE128, data, False).width


def test_a_code128_too_long_for_libzint_names_its_data() -> None:
    data = "SF" + "7" * 300 + "x" * 200
    with pytest.raises(ValidationError, match="SF777"):
        symbols.code128_width(data)
