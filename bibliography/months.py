"""The twelve months as BibTeX names them: one table for the exporter and the importer."""

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# BibTeX's predefined month macros (jan ... dec): MONTH_MACROS[month - 1] is a month's macro.
MONTH_MACROS = tuple(name[:3].lower() for name in MONTH_NAMES)
# What BibTeX expands each macro to.
MACRO_TEXT = dict(zip(MONTH_MACROS, MONTH_NAMES, strict=True))
# Spellings .bib files use besides the macros and the English names.
OTHER_SPELLINGS = {"janvier": 1, "febr": 2, "sept": 9}
# Every word the importer reads as a month, lower case, to the month's number (1-12).
MONTH_NUMBERS = {
    **{macro: number for number, macro in enumerate(MONTH_MACROS, start=1)},
    **{name.lower(): number for number, name in enumerate(MONTH_NAMES, start=1)},
    **OTHER_SPELLINGS,
}
