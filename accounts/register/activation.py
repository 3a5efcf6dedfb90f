"""Activation e-mails: a set-password link for people the register brought in.

Imported accounts have no usable password. Until single sign-on is in place,
an administrator sends a school's guardians or staff a link to choose one; the
link is Django's password-reset token, so it stops working once used, when the
password changes, or after ``PASSWORD_RESET_TIMEOUT``.
"""

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from accounts.models import Enrolment, Guardianship, SchoolRole, StaffAssignment, User

GUARDIANS, STAFF = "guardians", "staff"
AUDIENCES = [(GUARDIANS, _("Guardians with custody of the school's pupils")), (STAFF, _("The school's staff"))]


def recipients(school, audience):
    """Active people of ``school`` in ``audience`` who have not chosen a password yet."""
    today = timezone.localdate()
    if audience == GUARDIANS:
        pupils = Enrolment.objects.current(today).filter(group__school=school).values("pupil_id")
        links = Guardianship.objects.current(today).filter(has_custody=True, pupil_id__in=pupils)
        people = User.objects.filter(id__in=links.values("guardian_id"))
    else:
        roles = SchoolRole.objects.current(today).filter(school=school).values("user_id")
        assignments = StaffAssignment.objects.current(today).filter(group__school=school).values("staff_id")
        people = User.objects.filter(Q(id__in=roles) | Q(id__in=assignments))
    # An unusable password starts with "!" (django.contrib.auth.hashers.UNUSABLE_PASSWORD_PREFIX).
    return people.filter(is_active=True, password__startswith="!").order_by("last_name", "first_name")


def activation_link(request, user):
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return request.build_absolute_uri(path)


def send_activation_emails(request, users):
    """Send each user with an e-mail address their link. Returns (sent, without address)."""
    messages, missing = [], 0
    for user in users:
        if not user.email:
            missing += 1
            continue
        context = {"user": user, "link": activation_link(request, user), "site": request.get_host()}
        subject = "".join(render_to_string("register/activation_subject.txt", context).splitlines())
        body = render_to_string("register/activation_email.txt", context)
        messages.append(EmailMultiAlternatives(subject, body, to=[user.email]))
    sent = get_connection().send_messages(messages) if messages else 0
    return sent or 0, missing
