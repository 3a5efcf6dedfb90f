"""Swedish personal identity numbers (personnummer) and coordination numbers.

Accepted forms: ``YYMMDD-NNNN``, ``YYMMDD+NNNN`` (aged 100 or more),
``YYMMDDNNNN``, ``YYYYMMDD-NNNN`` and ``YYYYMMDDNNNN``. A samordningsnummer
has 60 added to the day. The date and the Luhn check digit are validated, and
numbers are stored normalised as twelve digits without separator.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_PATTERN = re.compile(r"^(?P<century>\d{2})?(?P<date>\d{6})(?P<sep>[-+ ]?)(?P<tail>\d{4})$")


@dataclass(frozen=True)
class Personnummer:
    normalised: str  # twelve digits
    birth_date: datetime.date
    is_coordination_number: bool

    @property
    def legal_gender(self) -> str:
        # The second to last digit is odd for men and even for women.
        return "M" if int(self.normalised[10]) % 2 else "F"

    def __str__(self) -> str:
        return f"{self.normalised[:8]}-{self.normalised[8:]}"


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def parse(value: str, today: datetime.date | None = None) -> Personnummer:
    """Parse and validate; raise ValidationError with a reason a person can act on."""
    text = (value or "").strip()
    match = _PATTERN.match(text)
    if not match:
        raise ValidationError(_("Enter a personnummer as YYYYMMDD-NNNN or YYMMDD-NNNN."), code="format")
    century, date_part, sep, tail = match.group("century", "date", "sep", "tail")
    yy, mm, dd = int(date_part[:2]), int(date_part[2:4]), int(date_part[4:])
    coordination = dd > 60
    day = dd - 60 if coordination else dd
    today = today or datetime.date.today()

    if century is not None:
        year = int(century) * 100 + yy
    else:
        # The latest year ending in YY that is not in the future; "+" means a
        # hundred years earlier.
        year = today.year - (today.year - yy) % 100
        if sep == "+":
            year -= 100
    try:
        birth_date = datetime.date(year, mm, day)
    except ValueError:
        raise ValidationError(_("The personnummer does not contain a valid date."), code="date") from None
    if birth_date > today:
        raise ValidationError(_("The personnummer has a birth date in the future."), code="date")
    if not luhn_ok(date_part + tail):
        raise ValidationError(_("The personnummer's check digit is wrong."), code="checksum")
    return Personnummer(f"{year:04d}{date_part[2:]}{tail}", birth_date, coordination)
