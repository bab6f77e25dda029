"""Why a whole file cannot be imported: one clear message each, never a traceback."""

from __future__ import annotations

from app.domain.errors import ImportFileError


class CannotOpen(ImportFileError):
    template = "The file {file} cannot be opened: {reason}. Check the path and try again."


class NotText(ImportFileError):
    template = (
        "The file {file} is neither UTF-8 nor GB18030 (GBK) text. Choose its encoding by hand, "
        "or save it again as 'CSV UTF-8' from the spreadsheet program."
    )


class BadEncodingLine(ImportFileError):
    template = (
        "Line {line} of {file} is not valid {encoding} text. Choose another encoding, or save "
        "the file again as 'CSV UTF-8'."
    )


class UnknownEncoding(ImportFileError):
    template = "{encoding} is not an encoding Packdesk knows. Choose UTF-8 or GB18030."


class TruncatedText(ImportFileError):
    template = "The file {file} ends in the middle of a character; it may be cut short."


class EmptyFile(ImportFileError):
    template = "The file {file} is empty: there is no header row and no order in it."


class MissingColumns(ImportFileError):
    template = (
        "The file {file} is not a {format} export: the columns {columns} are missing. "
        "Choose the right format, or set up the columns for a generic file."
    )


class MalformedCsv(ImportFileError):
    template = "Row {row} of {file} is not valid CSV ({reason}). Check the file and try again."


class NotXlsx(ImportFileError):
    template = (
        "The file {file} is not an Excel workbook (.xlsx) Packdesk can read ({reason}). Save it "
        "again as .xlsx or as CSV."
    )


class UnknownFormat(ImportFileError):
    template = (
        "Packdesk cannot tell which export {file} is. Choose the format (Shopify, WooCommerce) "
        "or a column profile for a generic file."
    )


class NoMapping(ImportFileError):
    template = (
        "The columns for {missing} are not set. Set them in the column profile before importing."
    )


class UnknownProfile(ImportFileError):
    template = "There is no column profile named {name}. Choose one of: {names}."


class UnknownSheet(ImportFileError):
    template = "The workbook {file} has no sheet named {sheet}. Its sheets are: {sheets}."


class ProfileColumnsMissing(ImportFileError):
    template = (
        "The columns {columns} of the column profile are not in {file}. Check the profile "
        "against the file's header row."
    )


class NotAMappingFile(ImportFileError):
    template = (
        "The file {file} is not a product mapping file: the columns {columns} are missing. "
        "Its header needs channel, match, listing, sku and units (or 渠道, 匹配方式, 平台货品, "
        "货品编码, 数量)."
    )
