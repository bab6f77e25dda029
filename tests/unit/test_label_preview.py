"""The label preview renders hand-written ZPL II and TSPL (as the manuals write them) to dots:
barcodes decode with zxing-cpp to the payload and symbology the printer would encode, graphics
land on the dots the job names, and anything it cannot draw is listed, never a crash."""

from __future__ import annotations

import base64
import io
import zlib

import pytest
import zxingcpp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from app.domain.barcodes import gs1_check_digit
from app.domain.errors import PackdeskError
from app.labels.preview import LabelPreviewError, render_png, render_preview


def image(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("L")


def decoded(png: bytes) -> set[tuple[str, str]]:
    """(AIM symbology id, text) of every barcode zxing-cpp finds; GS1 text in HRI form."""
    return {(r.symbology_identifier, r.text) for r in zxingcpp.read_barcodes(image(png))}


def ink(png: bytes, box: tuple[int, int, int, int]) -> int:
    """Black dots inside ``box`` (left, top, right, bottom)."""
    return sum(image(png).crop(box).histogram()[:128])


def zpl(body: str) -> bytes:
    return f"^XA^CI28^PW600^LL400{body}^XZ".encode()


# --- ZPL barcodes ---------------------------------------------------------------------------------

CODE128_CASES = [
    # (field data, ^BC mode, expected AIM id, expected text)
    ("Hello-123", "N", "]C0", "Hello-123"),  # no start code: subset B
    (">;123456>6ABC", "N", "]C0", "123456ABC"),  # start C, then CODE B
    (">:AB>512345678", "N", "]C0", "AB12345678"),  # start B, then CODE C
    (">9334142>6cd", "N", "]C0", "AIJcd"),  # start A takes digit pairs, then CODE B
    (">:a>0b", "N", "]C0", "a>b"),  # >0 is the '>' character
    (">;>80109501101530003>610ABC", "N", "]C1", "(01)09501101530003(10)ABC"),  # >8 FNC1
    ("12345678ABCD1234", "A", "]C0", "12345678ABCD1234"),
    ("(01)09501101530003(10)LOT 42(21)7", "D", "]C1", "(01)09501101530003(10)LOT42(21)7"),
    ("(00)09501101530000001", "D", "]C1", None),  # 17 digits: the printer adds the check digit
]


@pytest.mark.parametrize(("data", "mode", "aim", "text"), CODE128_CASES)
def test_code_128_decodes_as_the_printer_encodes_its_invocation_codes_and_modes(
    data: str, mode: str, aim: str, text: str | None
) -> None:
    png = render_png(zpl(f"^FO40,40^BY2^BCN,100,Y,N,N,{mode}^FD{data}^FS"), "zpl")
    if text is None:
        body = "".join(c for c in data if c.isdigit())[2:]
        text = f"(00){body}{gs1_check_digit(body)}"
    assert decoded(png) == {(aim, text)}


def test_code_128_ucc_case_mode_pads_to_19_digits_and_adds_the_check_digit() -> None:
    png = render_png(zpl("^FO20,40^BY2^BCN,100,N,N,N,U^FD0012345678901234^FS"), "zpl")
    body = "12345678901234000"
    assert decoded(png) == {("]C1", f"(00){body}{gs1_check_digit(body)}")}


@pytest.mark.parametrize(("data", "text"), [(">;38D2436", "382436"), (">;382D36", "3836")])
def test_code_128_subset_c_skips_non_digits_as_the_zpl_guide_says(data: str, text: str) -> None:
    # a non-digit first in a pair is ignored ("D2" -> 2 pairs with the next digit); a non-digit
    # second in a pair ("2D") drops the whole pair
    png = render_png(zpl(f"^FO40,40^BY2^BCN,100,N,N,N^FD{data}^FS"), "zpl")
    assert decoded(png) == {("]C0", text)}


def test_ean_13_gets_its_check_digit_and_decodes() -> None:
    png = render_png(zpl("^FO60,40^BY2^BEN,100,Y,N^FD590123412345^FS"), "zpl")
    assert decoded(png) == {("]E0", "5901234123457")}


def test_qr_code_carries_utf8_text_with_hex_escapes() -> None:
    # ^FH: _5E is '^' and _7E is '~', which may not appear raw in field data
    png = render_png(zpl("^FO40,30^BQN,2,5^FH^FDMA,收件人 _5E caret _7E tilde^FS"), "zpl")
    assert decoded(png) == {("]Q1", "收件人 ^ caret ~ tilde")}


@pytest.mark.parametrize(
    ("field", "text"),
    [("HA,high level", "high level"), ("LM,B0005bytes", "bytes"), ("QM,N0123456789", "0123456789")],
)
def test_qr_code_reads_the_error_correction_and_manual_input_prefixes(
    field: str, text: str
) -> None:
    png = render_png(zpl(f"^FO40,30^BQN,2,5^FD{field}^FS"), "zpl")
    assert decoded(png) == {("]Q1", text)}


def test_datamatrix_plain_and_gs1_with_its_escape_character() -> None:
    job = zpl(
        "^FO20,20^BXN,6,200^FDPACKDESK DM^FS^FO220,20^BXN,6,200,,,,_^FD_10109501101530003_110ABC^FS"
    )
    assert decoded(render_png(job, "zpl")) == {
        ("]d1", "PACKDESK DM"),
        ("]d2", "(01)09501101530003(10)ABC"),
    }


def test_barcodes_turned_by_the_field_orientation_still_decode() -> None:
    job = zpl(
        "^FO20,20^BY2^BCR,80,N,N,N^FDROTATED-R^FS"
        "^FO150,20^BY2^BCB,80,N,N,N^FDROTATED-B^FS"
        "^FO260,150^BXI,5,200^FDTURNED^FS"
    )
    assert decoded(render_png(job, "zpl")) == {
        ("]C0", "ROTATED-R"),
        ("]C0", "ROTATED-B"),
        ("]d1", "TURNED"),
    }


def test_bars_are_whole_module_widths_on_the_dots_the_job_names() -> None:
    png = render_png(zpl("^LH10,5^FO30,40^BY3^BCN,50,N,N,N^FD>:A^FS"), "zpl")
    img = image(png)
    row = [img.getpixel((x, 70)) < 128 for x in range(img.width)]
    # start B = 11010010000: the first bar is 2 modules (6 dots) wide at x = 10 + 30
    assert row[39] is False and all(row[40:46]) and row[46] is False
    assert img.getpixel((41, 44)) > 128 and img.getpixel((41, 45)) < 128
    assert img.getpixel((41, 45 + 49)) < 128 and img.getpixel((41, 45 + 50)) > 128


# --- ZPL graphics and text -----------------------------------------------------------------------


def test_graphic_box_draws_its_border_only() -> None:
    png = render_png(zpl("^FO50,60^GB100,80,4^FS"), "zpl")
    assert ink(png, (50, 60, 150, 140)) == 100 * 80 - 92 * 72
    assert ink(png, (0, 0, 600, 400)) == ink(png, (50, 60, 150, 140))


def test_white_box_and_reversed_field_take_ink_away() -> None:
    png = render_png(
        zpl("^FO0,0^GB200,100,100^FS^FO10,10^GB20,20,20,W^FS^FO50,10^FR^GB20,20,20^FS"), "zpl"
    )
    assert ink(png, (10, 10, 30, 30)) == 0
    assert ink(png, (50, 10, 70, 30)) == 0
    assert ink(png, (0, 0, 200, 100)) == 200 * 100 - 2 * 400


def _glyph_rows() -> list[str]:
    return ["F00F", "0FF0", "A5A5", "0000", "FFFF"]  # 16 dots wide, 5 rows


def test_graphic_field_compressed_forms_draw_the_same_dots_as_plain_hex() -> None:
    rows = _glyph_rows()
    raw = bytes.fromhex("".join(rows))
    plain = "".join(rows)
    # Zebra's ASCII compression: H = repeat 2, ',' = rest of row zero, '!' = rest of row one,
    # ':' = the previous row again
    compressed = "F00F\n0FF0\nA5A5\n,\n!"
    z64 = ":Z64:" + base64.b64encode(zlib.compress(raw)).decode() + ":1A2B"
    b64 = ":B64:" + base64.b64encode(raw).decode() + ":1A2B"
    pngs = [
        render_png(zpl(f"^FO10,10^GFA,{len(raw)},{len(raw)},2,{data}^FS"), "zpl")
        for data in (plain, compressed, z64, b64)
    ]
    assert len({image(p).tobytes() for p in pngs}) == 1
    img = image(pngs[0])
    assert [img.getpixel((10 + x, 10)) < 128 for x in range(16)] == [True] * 4 + [False] * 8 + [
        True
    ] * 4
    assert all(img.getpixel((10 + x, 14)) < 128 for x in range(16))
    repeated = render_png(zpl("^FO10,10^GFA,4,4,2,JF:^FS"), "zpl")  # JF = FFFF, ':' = again
    assert ink(repeated, (10, 10, 26, 12)) == 32 == ink(repeated, (0, 0, 600, 400))


def test_binary_graphic_field_may_hold_caret_bytes() -> None:
    raw = b"^^~~"  # 0x5E 0x5E 0x7E 0x7E: two rows of 16 dots
    job = b"^XA^PW100^LL50^FO0,0^GFB,4,4,2," + raw + b"^FS^FO50,0^GB10,10,10^FS^XZ"
    preview = render_preview(job, "zpl")
    assert preview.ignored == ()
    img = image(preview.png)
    assert [img.getpixel((x, 0)) < 128 for x in range(8)] == [c == "1" for c in "01011110"]
    assert img.getpixel((55, 5)) < 128


def test_chinese_text_is_drawn_where_the_field_is() -> None:
    png = render_png(zpl("^FO20,100^A0N,40,40^FD收件人：张三 上海市浦东新区^FS"), "zpl")
    assert ink(png, (20, 100, 400, 140)) > 800
    assert ink(png, (0, 0, 400, 95)) == 0 and ink(png, (0, 145, 400, 300)) == 0


def test_text_origin_is_the_top_with_fo_and_the_baseline_with_ft() -> None:
    top = render_png(zpl("^FO50,100^A0N,40,40^FDHELLO^FS"), "zpl")
    base = render_png(zpl("^FT50,100^A0N,40,40^FDHELLO^FS"), "zpl")
    assert image(top).point(lambda v: v < 128 and 255).getbbox()[1:4:2] == pytest.approx(
        (100, 130), abs=3
    )
    assert image(base).point(lambda v: v < 128 and 255).getbbox()[3] == pytest.approx(100, abs=1)


def test_field_block_wraps_text_into_lines_within_its_width() -> None:
    png = render_png(
        zpl("^FO20,20^FB200,4,0,L^A0N,30,30^FDOne two three four five six seven^FS"), "zpl"
    )
    box = image(png).point(lambda v: v < 128 and 255).getbbox()
    assert box[2] <= 20 + 200 and box[3] - box[1] > 60


def test_print_orientation_inverted_turns_the_whole_label() -> None:
    png = render_png(b"^XA^PW200^LL100^POI^FO0,0^GB20,20,20^FS^XZ", "zpl")
    assert ink(png, (180, 80, 200, 100)) == 400 and ink(png, (0, 0, 20, 20)) == 0


def test_each_format_of_a_job_is_a_label_of_its_own() -> None:
    job = b"^XA^PW200^LL100^FO0,0^GB10,10,10^FS^XZ^XA^FO50,50^GB10,10,10^FS^XZ"
    preview = render_preview(job, "zpl")
    assert len(preview.labels) == 2
    assert image(preview.png).size == (200, 100 + 24 + 100)
    assert ink(preview.labels[1], (50, 50, 60, 60)) == 100


def test_unknown_commands_are_listed_and_the_rest_is_drawn() -> None:
    job = zpl("^FO10,10^XGE:LOGO.GRF^FS^FO50,50^B3N,N,50^FDCODE39^FS^FO100,10^GB20,20,20^FS")
    preview = render_preview(job, "zpl")
    assert set(preview.ignored) == {"^XG", "^B3"}
    assert not preview.complete
    assert ink(preview.png, (100, 10, 120, 30)) == 400
    assert Image.open(io.BytesIO(preview.png)).text["Packdesk-Ignored"] == "^XG ^B3"


def test_a_label_without_its_end_is_drawn_and_the_gap_noted() -> None:
    preview = render_preview(b"^XA^PW100^LL100^FO0,0^GB10,10,10^FS", "zpl")
    assert ink(preview.png, (0, 0, 10, 10)) == 100
    assert any("^XZ" in note for note in preview.notes)


def test_a_job_of_many_labels_shows_the_first_twenty_and_says_so() -> None:
    preview = render_preview(b"^XA^PW100^LL50^FO0,0^GB10,10,10^FS^XZ" * 25, "zpl")
    assert len(preview.labels) == 20
    assert preview.notes == ("Only the first 20 labels of the job are shown.",)
    assert "first 20" in Image.open(io.BytesIO(preview.png)).text["Packdesk-Notes"]


def test_fields_far_larger_than_any_label_are_cut_at_its_edge() -> None:
    job = b"^XA^PW32000^LL32000^FO0,0^A0N,32000,32000^FD" + b"W" * 500 + b"^FS^XZ"
    img = image(render_png(job, "zpl"))
    assert img.size == (6000, 6000) and sum(img.histogram()[:128]) > 0


# --- TSPL ---------------------------------------------------------------------------------------


def tspl(*lines: str | bytes) -> bytes:
    head = b"SIZE 80 mm,50 mm\r\nGAP 2 mm,0 mm\r\nDIRECTION 1,0\r\nCODEPAGE UTF-8\r\nCLS\r\n"
    body = b"".join((ln if isinstance(ln, bytes) else ln.encode()) + b"\r\n" for ln in lines)
    return head + body + b"PRINT 1,1\r\n"


def test_tspl_barcodes_of_every_kind_decode() -> None:
    job = tspl(
        'BARCODE 20,20,"128",60,1,0,2,2,"TSPL-128 ok"',
        'BARCODE 20,110,"128M",60,0,0,2,2,"!105123456!100AB"',
        'BARCODE 20,190,"EAN128",60,0,0,2,2,"(01)09501101530003(10)L1"',
        'BARCODE 20,280,"EAN13",60,1,0,2,2,"590123412345"',
    )
    assert decoded(render_png(job, "tspl")) == {
        ("]C0", "TSPL-128 ok"),
        ("]C0", "123456AB"),
        ("]C1", "(01)09501101530003(10)L1"),
        ("]E0", "5901234123457"),
    }


def test_tspl_qr_and_datamatrix_decode_with_quotes_and_chinese() -> None:
    job = tspl(
        'QRCODE 20,20,M,4,A,0,"say \\["]你好\\["]"',
        'DMATRIX 250,20,120,120,x5,"TSPL DM"',
        'DMATRIX 250,170,120,120,c126,x4,"~10109501101530003"',
    )
    assert decoded(render_png(job, "tspl")) == {
        ("]Q1", 'say "你好"'),
        ("]d1", "TSPL DM"),
        ("]d2", "(01)09501101530003"),
    }


def test_tspl_bitmap_prints_its_cleared_bits() -> None:
    rows = bytes([0b00001111, 0xFF, 0xFF, 0x00])  # 2 bytes wide, 2 rows
    job = tspl(b"BITMAP 8,4,2,2,0," + rows, "BOX 100,100,150,140,3", "BAR 200,10,30,5")
    png = render_png(job, "tspl")
    img = image(png)
    assert [img.getpixel((8 + x, 4)) < 128 for x in range(16)] == [True] * 4 + [False] * 12
    assert [img.getpixel((8 + x, 5)) < 128 for x in range(16)] == [False] * 8 + [True] * 8
    assert ink(png, (100, 100, 151, 141)) == 51 * 41 - 45 * 35
    assert ink(png, (200, 10, 230, 15)) == 150


def test_tspl_text_in_resident_and_chinese_fonts_is_drawn_at_its_place() -> None:
    job = tspl(
        'TEXT 20,20,"3",0,1,1,"Order PD-123"',
        'TEXT 20,80,"TSS24.BF2",0,2,2,"上海市浦东新区"',
        'TEXT 400,20,"4",90,1,1,"TURNED"',
    )
    png = render_png(job, "tspl")
    assert ink(png, (20, 20, 240, 44)) > 200
    assert ink(png, (20, 80, 400, 128)) > 1500
    assert ink(png, (360, 20, 400, 250)) > 200
    assert ink(png, (0, 150, 350, 320)) == 0


def test_tspl_each_print_is_a_label_and_cls_clears_the_buffer() -> None:
    job = (
        b"SIZE 20 mm,10 mm\r\nCLS\r\nBAR 0,0,10,10\r\nPRINT 1\r\n"
        b"CLS\r\nBAR 50,0,10,10\r\nPRINT 1\r\n"
    )
    preview = render_preview(job, "tspl")
    assert len(preview.labels) == 2
    assert ink(preview.labels[1], (0, 0, 10, 10)) == 0
    assert ink(preview.labels[1], (50, 0, 60, 10)) == 100
    assert image(preview.labels[0]).size == (160, 80)


def test_tspl_without_print_is_shown_with_a_note_and_unknown_commands_listed() -> None:
    job = b'SIZE 40 mm,30 mm\r\nCLS\r\nBAR 0,0,5,5\r\nPUTPCX 0,0,"LOGO.PCX"\r\n'
    preview = render_preview(job, "tspl")
    assert preview.ignored == ("PUTPCX",)
    assert any("PRINT" in note for note in preview.notes)


# --- errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "language", "words"),
    [
        (b"\x00\x17\xfe garbage \xff", "zpl", "ZPL"),
        (b"SIZE 4,6\r\n", "zpl", "^XA"),
        (b"\x1b!?", "tspl", "TSPL"),
        (b"%PDF-1.7 broken", "pdf", "PDF"),
        (b"   ", "zpl", "empty"),
        (b"^XA^XZ", "epl", "EPL"),
    ],
)
def test_garbage_gives_an_operator_error_that_says_what_is_wrong(
    payload: bytes, language: str, words: str
) -> None:
    with pytest.raises(LabelPreviewError) as err:
        render_png(payload, language)
    assert isinstance(err.value, PackdeskError)
    assert words.lower() in err.value.message.lower()


def test_a_dpi_outside_printers_range_is_refused() -> None:
    with pytest.raises(LabelPreviewError, match="dpi"):
        render_png(zpl(""), "zpl", dpi=5000)


# --- never a crash --------------------------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    [
        "^FO", "^FT", "^A0N,", "^ADR,", "^FD", "^FS", "^FH", "^FB", "^GB", "^GFA,", "^GFB,",
        "^BY", "^BCN,", "^BCR,", ",D", ",A", ",U", "^BEN,", "^BQN,2,", "^BXN,", "^FR", "^LH",
        "^PW", "^LL", "^CI28", "^CF0,", "^PO", "^LR", ">;", ">:", ">8", ">5", "_", ",", "9",
        "99999", "-5", "0", "Z64", ":", "中文", "\n", "~HS", "^XZ^XA", "QA,", "MM,B0002",
    ]
)  # fmt: skip
TSPL_LINES = st.sampled_from(
    [
        "SIZE 4,6", "SIZE 50 mm,0 mm", "CLS", "PRINT 1", "TEXT ", "BARCODE ", "QRCODE ",
        "DMATRIX ", "BITMAP ", "BOX ", "BAR ", "REFERENCE ", "DIRECTION 0,1", '"3"', '"128M"',
        '"EAN13"', '"TSS24.BF2"', ",", "0", "-7", "99999", '"!105', '"~1', "c126", "x9", "\r\n",
    ]
)  # fmt: skip


def _survives(payload: bytes, language: str) -> None:
    try:
        preview = render_preview(payload, language)
    except LabelPreviewError:
        return
    assert preview.labels and preview.png.startswith(b"\x89PNG")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300), st.sampled_from(["zpl", "tspl", "pdf"]))
def test_arbitrary_bytes_give_a_preview_or_a_clear_error(payload: bytes, language: str) -> None:
    _survives(payload, language)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(FRAGMENTS, max_size=40))
def test_arbitrary_zpl_commands_give_a_preview_or_a_clear_error(parts: list[str]) -> None:
    _survives(("^XA" + "".join(parts) + "^XZ").encode(), "zpl")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TSPL_LINES, max_size=40))
def test_arbitrary_tspl_commands_give_a_preview_or_a_clear_error(parts: list[str]) -> None:
    _survives(("".join(parts) + "\r\nPRINT 1\r\n").encode(), "tspl")
