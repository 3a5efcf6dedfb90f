from django.test import RequestFactory

from unikum.audit.access import log_access
from unikum.audit.models import AccessEntry


def test_reads_by_others_are_logged_with_reader_and_subject(pupil, teacher, group):
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    request.user = teacher
    entry = log_access(request, group, subject=pupil)
    assert AccessEntry.objects.about_person(pupil).get() == entry
    assert (entry.actor, entry.remote_addr) == (teacher, "10.1.2.3")
    assert AccessEntry.objects.for_object(group).count() == 1


def test_a_person_reading_their_own_record_is_not_logged(pupil):
    request = RequestFactory().get("/")
    request.user = pupil
    assert log_access(request, pupil, subject=pupil) is None
    assert not AccessEntry.objects.exists()
