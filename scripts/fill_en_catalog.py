"""The source strings are English: the `en` catalog's empty entries take their msgid.

Run by `make translations-update` after merging newly extracted strings.
"""

from pathlib import Path

from babel.messages.pofile import read_po, write_po

PATH = Path(__file__).resolve().parent.parent / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def main() -> None:
    with PATH.open("rb") as fh:
        catalog = read_po(fh, locale="en")
    filled = 0
    for message in catalog:
        if not message.id or message.string:
            continue
        message.string = message.id if isinstance(message.id, str) else tuple(message.id)
        filled += 1
    with PATH.open("wb") as fh:
        write_po(fh, catalog, omit_header=False, no_location=True, width=0)
    print(f"en: filled {filled} entries")


if __name__ == "__main__":
    main()
