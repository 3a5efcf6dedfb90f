"""The named cast every test reuses.

School "Ekbacken" has class 7A (teacher Tove, mentor Magnus) with pupils Pia and
Olle; Pia's guardians are Gustav (custody) and Greta (no custody); Olle's
guardian is Oskar. Another school, "Björkdalen", has class 8B with teacher
Kalle, pupil Bo and Bo's guardian Berit. Rut is rektor of Ekbacken, Ada its
administrator; Sten is a stranger with an account and no memberships.
"""

import datetime

import pytest

from accounts.models import (
    Enrolment,
    Guardianship,
    Organiser,
    PupilGroup,
    School,
    SchoolForm,
    SchoolRole,
    StaffAssignment,
    User,
)

PASSWORD = "korrekt-häst-batteri-42"


def make_user(username, first_name, last_name, **extra):
    user = User(username=username, first_name=first_name, last_name=last_name, email=f"{username}@example.se", **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Argon2 is deliberately slow; tests hash hundreds of passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def organiser(db):
    return Organiser.objects.create(name="Exempels kommun", organisation_number="212000-0000")


@pytest.fixture
def school(organiser):
    return School.objects.create(
        organiser=organiser, name="Ekbackens skola", school_forms=[SchoolForm.PRESCHOOL_CLASS, SchoolForm.COMPULSORY]
    )


@pytest.fixture
def other_school(organiser):
    return School.objects.create(organiser=organiser, name="Björkdalens skola", school_forms=[SchoolForm.COMPULSORY])


@pytest.fixture
def group(school):
    return PupilGroup.objects.create(
        school=school, name="7A", school_form=SchoolForm.COMPULSORY, year_level=7, school_year=2026
    )


@pytest.fixture
def other_group(other_school):
    return PupilGroup.objects.create(
        school=other_school, name="8B", school_form=SchoolForm.COMPULSORY, year_level=8, school_year=2026
    )


@pytest.fixture
def teacher(group, school):
    user = make_user("tove", "Tove", "Lärare")
    SchoolRole.objects.create(user=user, school=school, role=SchoolRole.Role.TEACHER)
    StaffAssignment.objects.create(staff=user, group=group, role=StaffAssignment.Role.TEACHER)
    return user


@pytest.fixture
def mentor(group, school):
    user = make_user("magnus", "Magnus", "Mentor")
    SchoolRole.objects.create(user=user, school=school, role=SchoolRole.Role.TEACHER)
    StaffAssignment.objects.create(staff=user, group=group, role=StaffAssignment.Role.MENTOR)
    return user


@pytest.fixture
def rektor(school):
    user = make_user("rut", "Rut", "Rektor")
    SchoolRole.objects.create(user=user, school=school, role=SchoolRole.Role.REKTOR)
    return user


@pytest.fixture
def school_admin(school):
    user = make_user("ada", "Ada", "Administratör", is_staff=True)
    SchoolRole.objects.create(user=user, school=school, role=SchoolRole.Role.ADMIN)
    return user


@pytest.fixture
def other_teacher(other_group, other_school):
    user = make_user("kalle", "Kalle", "Kollega")
    SchoolRole.objects.create(user=user, school=other_school, role=SchoolRole.Role.TEACHER)
    StaffAssignment.objects.create(staff=user, group=other_group)
    return user


@pytest.fixture
def pupil(group):
    user = make_user("pia", "Pia", "Elev", personnummer="20130415-2380")
    Enrolment.objects.create(pupil=user, group=group, start_date=datetime.date(2026, 8, 1))
    return user


@pytest.fixture
def classmate(group):
    user = make_user("olle", "Olle", "Klasskamrat")
    Enrolment.objects.create(pupil=user, group=group)
    return user


@pytest.fixture
def guardian(pupil):
    user = make_user("gustav", "Gustav", "Vårdnadshavare")
    Guardianship.objects.create(guardian=user, pupil=pupil, has_custody=True)
    return user


@pytest.fixture
def guardian_without_custody(pupil):
    user = make_user("greta", "Greta", "Utanvårdnad")
    Guardianship.objects.create(guardian=user, pupil=pupil, has_custody=False)
    return user


@pytest.fixture
def classmate_guardian(classmate):
    user = make_user("oskar", "Oskar", "Förälder")
    Guardianship.objects.create(guardian=user, pupil=classmate, has_custody=True)
    return user


@pytest.fixture
def other_pupil(other_group):
    user = make_user("bo", "Bo", "Annanskola")
    Enrolment.objects.create(pupil=user, group=other_group)
    return user


@pytest.fixture
def other_guardian(other_pupil):
    user = make_user("berit", "Berit", "Annanförälder")
    Guardianship.objects.create(guardian=user, pupil=other_pupil, has_custody=True)
    return user


@pytest.fixture
def stranger(db):
    return make_user("sten", "Sten", "Främling")


@pytest.fixture
def cast(
    teacher,
    mentor,
    rektor,
    school_admin,
    other_teacher,
    pupil,
    classmate,
    guardian,
    guardian_without_custody,
    classmate_guardian,
    other_pupil,
    other_guardian,
    stranger,
):
    """Everyone, by role name, for permission matrices."""
    return {
        "teacher": teacher,
        "mentor": mentor,
        "rektor": rektor,
        "school_admin": school_admin,
        "other_teacher": other_teacher,
        "pupil": pupil,
        "classmate": classmate,
        "guardian": guardian,
        "guardian_without_custody": guardian_without_custody,
        "classmate_guardian": classmate_guardian,
        "other_pupil": other_pupil,
        "other_guardian": other_guardian,
        "stranger": stranger,
        "anonymous": None,
    }
