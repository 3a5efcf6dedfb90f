"""Find Swedish personal identity numbers in free text.

Its own small date and Luhn check, because ``unikum/`` imports no app (the
validator in ``accounts.personnummer`` is for the form field). A candidate is
flagged only when its date is a real date (day + 60 for a samordningsnummer)
and its check digit is right, so dates, phone numbers and ISBNs pass.
"""

import datetime
import re

# 6 or 8 digits of date, an optional separator, 4 digits. Starting with a digit lets the
# regex engine skip ahead fast; the word boundaries are checked in find(). (\d\d\d\d\d\d
# rather than \d{6}: the engine runs the spelt-out form almost twice as fast.)
_CANDIDATE = re.compile(r"(\d\d\d\d\d\d(?:\d\d)?)([-+ ]?)(\d\d\d\d)")


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _date_ok(year: int, month: int, day: int) -> bool:
    if day > 60:  # samordningsnummer
        day -= 60
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def is_personnummer(date_part: str, tail: str) -> bool:
    if len(date_part) == 8:
        century = int(date_part[:2])
        if century not in (18, 19, 20):
            return False
        years = [int(date_part[:4])]
        short = date_part[2:]
    else:
        yy = int(date_part[:2])
        years = [2000 + yy, 1900 + yy]
        short = date_part
    month, day = int(short[2:4]), int(short[4:6])
    if not any(_date_ok(year, month, day) for year in years):
        return False
    return luhn_ok(short + tail)


def find(text: str):
    """Yield (start, end) of every valid personnummer or samordningsnummer."""
    for match in _CANDIDATE.finditer(text):
        start, end = match.span()
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if before.isalnum() or before in "-_" or after.isalnum() or after == "_":
            continue
        date_part, tail = match.group(1), match.group(3)
        if is_personnummer(date_part, tail):
            yield start, end
