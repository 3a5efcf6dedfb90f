import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import given
from hypothesis import strategies as st

from accounts import personnummer as pnr
from accounts.models import User

TODAY = datetime.date(2026, 11, 30)


def parse(value):
    return pnr.parse(value, today=TODAY)


def with_check_digit(nine_digits):
    """YYMMDDNNN plus the Luhn digit that makes it valid."""
    return nine_digits + next(str(d) for d in range(10) if pnr.luhn_ok(f"{nine_digits}{d}"))


def reason(value):
    with pytest.raises(ValidationError) as error:
        parse(value)
    return error.value.code


def test_it_accepts_a_valid_number_and_normalises_it_to_twelve_digits():
    number = parse("20130415-2380")
    assert number.normalised == "201304152380"
    assert number.birth_date == datetime.date(2013, 4, 15)
    assert not number.is_coordination_number
    assert str(number) == "20130415-2380"


@pytest.mark.parametrize("written", ["20130415-2380", "201304152380", "130415-2380", "1304152380", "130415 2380"])
def test_it_accepts_ten_or_twelve_digits_with_or_without_separator(written):
    assert parse(written).normalised == "201304152380"


def test_it_accepts_surrounding_whitespace():
    assert parse("  20130415-2380 ").normalised == "201304152380"


def test_a_ten_digit_number_belongs_to_the_latest_year_that_is_not_in_the_future():
    assert parse(with_check_digit("900101123")).birth_date.year == 1990
    assert parse(with_check_digit("250101123")).birth_date.year == 2025


def test_a_plus_separator_means_a_hundred_years_earlier():
    ten = with_check_digit("250101123")
    assert parse(f"{ten[:6]}+{ten[6:]}").normalised == "1925" + ten[2:]
    assert parse(f"{ten[:6]}+{ten[6:]}").birth_date == datetime.date(1925, 1, 1)


@pytest.mark.parametrize("nine", ["130230123", "131301123", "130000123", "130431123", "130229123"])
def test_it_rejects_a_number_without_a_real_date(nine):
    assert reason(with_check_digit(nine)) == "date"


def test_it_accepts_the_leap_day_in_a_leap_year():
    assert parse(with_check_digit("120229123")).birth_date == datetime.date(2012, 2, 29)


def test_it_rejects_a_birth_date_in_the_future():
    assert reason("20" + with_check_digit("271201123")) == "date"


def test_it_rejects_a_wrong_check_digit():
    assert reason("20130415-2389") == "checksum"


def test_it_accepts_a_samordningsnummer_with_sixty_added_to_the_day():
    number = parse(with_check_digit("130475123"))  # day 15 + 60
    assert number.is_coordination_number
    assert number.birth_date == datetime.date(2013, 4, 15)
    assert number.normalised == "20" + with_check_digit("130475123")


def test_it_rejects_a_samordningsnummer_without_a_real_date():
    assert reason(with_check_digit("130491123")) == "date"  # day 31 + 60 in April


@pytest.mark.parametrize(
    "value",
    ["20130101TF01", "20130101-TF01", "", "2013-04-15", "201304152380X", "20130415--2389", "abcdefghij"],
)
def test_it_rejects_temporary_numbers_and_other_formats(value):
    assert reason(value) == "format"


def test_legal_gender_follows_the_second_to_last_digit():
    assert parse(with_check_digit("130415238")).legal_gender == "F"
    assert parse(with_check_digit("130415237")).legal_gender == "M"


# On the model ----------------------------------------------------------------


@pytest.mark.django_db
def test_saving_a_person_normalises_the_number_and_derives_birth_date_and_legal_gender():
    user = User.objects.create(username="pia", personnummer="130415-2380")
    user.refresh_from_db()
    assert user.personnummer == "201304152380"
    assert user.birth_date == datetime.date(2013, 4, 15)
    assert user.legal_gender == "F"


@pytest.mark.django_db
def test_saving_a_person_keeps_an_empty_number_as_null_so_many_may_lack_one():
    User.objects.create(username="a", personnummer="")
    User.objects.create(username="b")
    assert User.objects.filter(personnummer__isnull=True).count() == 2


@pytest.mark.django_db
def test_saving_a_person_with_an_invalid_number_fails():
    with pytest.raises(ValidationError):
        User.objects.create(username="pia", personnummer="20130415-2389")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_full_clean_reports_an_invalid_number_on_the_field():
    user = User(username="pia", personnummer="20130101TF01")
    user.set_unusable_password()
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "personnummer" in error.value.message_dict


@pytest.mark.django_db
def test_two_people_cannot_share_a_number_whatever_the_written_form():
    User.objects.create(username="pia", personnummer="20130415-2380")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="pia2", personnummer="1304152380")
    duplicate = User(username="pia3", personnummer="130415-2380")
    duplicate.set_unusable_password()
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "personnummer" in error.value.message_dict


# Properties ------------------------------------------------------------------

birth_dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=TODAY)


@st.composite
def valid_numbers(draw):
    born = draw(birth_dates)
    coordination = draw(st.booleans())
    serial = draw(st.integers(0, 999))
    day = born.day + 60 if coordination else born.day
    nine = f"{born:%y%m}{day:02d}{serial:03d}"
    return f"{born.year // 100}{with_check_digit(nine)}", born, coordination


@given(valid_numbers(), st.sampled_from(["twelve", "twelve-dash", "ten-dash", "ten"]))
def test_every_valid_number_round_trips_in_every_written_form(generated, form):
    twelve, born, coordination = generated
    written = {
        "twelve": twelve,
        "twelve-dash": f"{twelve[:8]}-{twelve[8:]}",
        "ten-dash": f"{twelve[2:8]}{'+' if TODAY.year - born.year >= 100 else '-'}{twelve[8:]}",
        "ten": twelve[2:],
    }[form]
    if form == "ten" and TODAY.year - born.year >= 100:
        return  # ten digits without "+" means the younger person
    number = parse(written)
    assert number.normalised == twelve
    assert number.birth_date == born
    assert number.is_coordination_number == coordination
    assert parse(str(number)).normalised == twelve


@given(valid_numbers(), st.integers(2, 11), st.integers(1, 9))
def test_changing_any_one_digit_is_caught(generated, position, delta):
    twelve = generated[0]
    digit = (int(twelve[position]) + delta) % 10
    mutated = twelve[:position] + str(digit) + twelve[position + 1 :]
    # Luhn catches every single-digit change; the date check may catch it first.
    with pytest.raises(ValidationError):
        parse(mutated)
