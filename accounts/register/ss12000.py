"""SS 12000 (v2) payloads: read them from an API or from saved files.

``Reader`` turns response pages into a ``RegisterData``; ``Client`` fetches the
pages over HTTP with the standard library (OAuth2 client credentials, paging
with ``pageToken``, retries with backoff); ``read_directory`` reads the same
pages saved as files. Everything is fetched before anything is written, so a
failure part-way changes nothing.

Liberal in what is accepted (unknown fields, missing optional fields, enum
values not in the draft), strict in what is stored.
"""

import base64
import contextlib
import datetime
import email.utils
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import PupilGroup, SchoolForm, SchoolRole, StaffAssignment

from .records import (
    GroupRecord,
    GuardianLink,
    OrganiserRecord,
    PersonRecord,
    RegisterData,
    SchoolRecord,
    Span,
    StructuralError,
)

SCHOOL_FORMS = {
    "FKLASS": SchoolForm.PRESCHOOL_CLASS,
    "FTH": SchoolForm.LEISURE_TIME_CENTRE,
    "OPPFTH": SchoolForm.LEISURE_TIME_CENTRE,
    "GR": SchoolForm.COMPULSORY,
    "GRS": SchoolForm.COMPULSORY,
    "SP": SchoolForm.COMPULSORY,
    "SAM": SchoolForm.COMPULSORY,
    "GY": SchoolForm.UPPER_SECONDARY,
    "GYS": SchoolForm.UPPER_SECONDARY,
}
GROUP_KINDS = {
    "Klass": PupilGroup.Kind.CLASS,
    "Mentor": PupilGroup.Kind.CLASS,
    "Undervisning": PupilGroup.Kind.TEACHING,
    "Schema": PupilGroup.Kind.TEACHING,
    "Provgrupp": PupilGroup.Kind.TEACHING,
    "Övrigt": PupilGroup.Kind.TEACHING,
    "Avdelning": PupilGroup.Kind.LEISURE,
}
NOT_PUPIL_GROUPS = {"Personalgrupp"}
DUTY_ROLES = {
    "Rektor": SchoolRole.Role.REKTOR,
    "Förskolechef": SchoolRole.Role.REKTOR,
    "Lärare": SchoolRole.Role.TEACHER,
    "Förskollärare": SchoolRole.Role.TEACHER,
    "Övrig pedagogisk personal": SchoolRole.Role.TEACHER,
}
CUSTODY = "Vårdnadshavare"
NO_MARKING = "Ingen"
ENDPOINTS = ("organisations", "persons", "groups", "duties", "placements", "activities", "deletedEntities")
REQUIRED = ("organisations", "persons", "groups", "duties")
# Small collections are always read in full, so staff roles and the school tree
# are complete even in an incremental run.
ALWAYS_FULL = ("organisations", "duties", "activities")


def _date(value):
    if not value or not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _ref(value):
    return value.get("id") if isinstance(value, dict) and value.get("id") else None


def school_year_of(day: datetime.date | None) -> int:
    day = day or timezone.localdate()
    return day.year if day.month >= 7 else day.year - 1


class Reader:
    """Collects pages from the endpoints and resolves them into ``RegisterData``."""

    def __init__(self, source="", incremental=False):
        self.data = RegisterData(source=source, complete=not incremental)
        self.orgs = {}
        self.duties = {}
        self.activities = []
        self.references = {}  # person id → display name, from references
        self.skipped_forms = Counter()
        self.unmapped_duties = Counter()

    def _items(self, body, where):
        if isinstance(body, list):
            return body
        if not isinstance(body, dict) or not isinstance(body.get("data"), list):
            raise StructuralError(
                _("%(where)s: not an SS 12000 page (expected an object with a 'data' list)") % {"where": where}
            )
        return body["data"]

    def _each(self, body, where):
        for index, item in enumerate(self._items(body, where)):
            if not isinstance(item, dict) or not item.get("id"):
                self.data.warn(
                    _("%(where)s, item %(number)s") % {"where": where, "number": index + 1}, _("no id; skipped")
                )
                continue
            yield item

    def page(self, endpoint, body, where):
        getattr(self, f"_{endpoint}")(body, where)

    def _organisations(self, body, where):
        for item in self._each(body, where):
            self.orgs[item["id"]] = item

    def _persons(self, body, where):
        here = _("%(where)s, person %(id)s")  # translated once a page, not once a person
        for item in self._each(body, where):
            self._person(item, here % {"where": where, "id": item["id"]})

    def _person(self, item, where):
        pid = item["id"]
        given, family = item.get("givenName") or "", item.get("familyName") or ""
        if not (given or family):
            self.data.warn(where, _("no name; skipped"))
            return
        middle = item.get("middleName") or ""
        emails = [e.get("value") for e in item.get("emails") or [] if isinstance(e, dict) and e.get("value")]
        civic = item.get("civicNo")
        marking = item.get("securityMarking")
        status = item.get("personStatus") or "Aktiv"
        if status != "Aktiv":
            self.data.warn(where, _("person status %(status)s; account deactivated") % {"status": status})
        self.data.persons[pid] = PersonRecord(
            register_id=pid,
            first_name=given,
            last_name=f"{middle} {family}".strip(),
            email=emails[0] if emails else "",
            civic_no=(civic.get("value") or "") if isinstance(civic, dict) else "",
            birth_date=_date(item.get("birthDate")),
            legal_gender={"Man": "M", "Kvinna": "F"}.get(item.get("sex"), ""),
            protected=None if marking is None else marking != NO_MARKING,
            active=status == "Aktiv",
            where=where,
        )
        if "responsibles" in item:
            self.data.pupils_with_responsibles.add(pid)
        for responsible in item.get("responsibles") or []:
            guardian = _ref(responsible.get("person")) if isinstance(responsible, dict) else None
            if not guardian:
                self.data.warn(where, _("a responsible without a person id; skipped"))
                continue
            self._remember_reference(responsible.get("person"))
            self._responsible(guardian, pid, responsible.get("relationType"), where)
        embedded = item.get("_embedded") or {}
        for ward in embedded.get("responsibleFor") or []:
            child = _ref(ward.get("person")) if isinstance(ward, dict) else None
            if child and (pid, child) not in self.data.guardianships:
                self._remember_reference(ward.get("person"))
                self._responsible(pid, child, ward.get("relationType"), where)

    def _responsible(self, guardian, pupil, relation, where):
        custody = relation == CUSTODY
        self.data.guardianships[(guardian, pupil)] = GuardianLink(custody, where)
        if not custody:
            self.data.warn(
                where,
                _("responsible adult %(person)s (%(relation)s) recorded without access")
                % {"person": guardian, "relation": relation or _("relation not given")},
            )

    def _remember_reference(self, ref):
        if isinstance(ref, dict) and ref.get("id") and ref.get("displayName"):
            self.references.setdefault(ref["id"], ref["displayName"])

    def _groups(self, body, where):
        in_group = _("%(where)s, group %(id)s")
        for item in self._each(body, where):
            gid = item["id"]
            here = in_group % {"where": where, "id": gid}
            group_type = item.get("groupType") or "Övrigt"
            if group_type in NOT_PUPIL_GROUPS:
                continue
            school = _ref(item.get("organisation"))
            if not school:
                self.data.warn(here, _("no organisation; skipped"))
                continue
            form = SCHOOL_FORMS.get(item.get("schoolType") or "")
            if form is None and item.get("schoolType"):
                self.skipped_forms[item["schoolType"]] += 1
                continue
            start = _date(item.get("startDate"))
            name = (item.get("displayName") or "").strip()
            kind = GROUP_KINDS.get(group_type, PupilGroup.Kind.TEACHING)
            level = re.match(r"^(\d{1,2})(?!\d)", name)
            self.data.groups[gid] = GroupRecord(
                external_id=gid,
                school_id=school,
                name=name,
                kind=kind,
                school_form=form or "",  # filled from the school in finish()
                school_year=school_year_of(start),
                year_level=int(level.group(1)) if level and kind == PupilGroup.Kind.CLASS else None,
            )
            if "groupMemberships" in item:
                self.data.groups_with_members.add(gid)
            for membership in item.get("groupMemberships") or []:
                person = _ref(membership.get("person")) if isinstance(membership, dict) else None
                if not person:
                    self.data.warn(here, _("a membership without a person id; skipped"))
                    continue
                self._remember_reference(membership.get("person"))
                span = Span(_date(membership.get("startDate")), _date(membership.get("endDate")), here)
                self._enrol(person, gid, span)

    def _enrol(self, person, group, span):
        key = (person, group)
        previous = self.data.enrolments.get(key)
        # Several periods in one group: keep the latest.
        if previous is None or (span.start or datetime.date.min) >= (previous.start or datetime.date.min):
            self.data.enrolments[key] = span

    def _placements(self, body, where):
        in_placement = _("%(where)s, placement %(id)s")
        for item in self._each(body, where):
            here = in_placement % {"where": where, "id": item["id"]}
            child, group = _ref(item.get("child")), _ref(item.get("group"))
            if child and group:
                self._enrol(child, group, Span(_date(item.get("startDate")), _date(item.get("endDate")), here))
            embedded = (item.get("_embedded") or {}).get("child")
            if isinstance(embedded, dict) and embedded.get("id") and embedded["id"] not in self.data.persons:
                self._person(embedded, here)

    def _duties(self, body, where):
        in_duty = _("%(where)s, duty %(id)s")
        for item in self._each(body, where):
            self.duties[item["id"]] = item
            embedded = (item.get("_embedded") or {}).get("person")
            if isinstance(embedded, dict) and embedded.get("id") and embedded["id"] not in self.data.persons:
                self._person(embedded, in_duty % {"where": where, "id": item["id"]})

    def _activities(self, body, where):
        self.activities.extend(self._each(body, where))

    def _deletedEntities(self, body, where):  # noqa: N802  (the endpoint's name)
        if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
            raise StructuralError(
                _("%(where)s: not a deletedEntities page (expected an object with a 'data' object)") % {"where": where}
            )
        deleted = body["data"]
        self.data.deleted_persons |= {i for i in deleted.get("persons") or [] if isinstance(i, str)}
        self.data.deleted_groups |= {i for i in deleted.get("groups") or [] if isinstance(i, str)}

    # Resolution, once every page is in --------------------------------------

    def finish(self, activities_served: bool) -> RegisterData:
        data = self.data
        self._resolve_organisations()
        for group in data.groups.values():
            if not group.school_form:
                school = data.schools.get(group.school_id)
                forms = school.school_forms if school else []
                if group.kind == PupilGroup.Kind.LEISURE and SchoolForm.LEISURE_TIME_CENTRE in forms:
                    group.school_form = SchoolForm.LEISURE_TIME_CENTRE
                elif forms:
                    group.school_form = SchoolForm.COMPULSORY if SchoolForm.COMPULSORY in forms else forms[0]
                else:
                    group.school_form = SchoolForm.COMPULSORY
        self._resolve_duties(activities_served)
        # Guardians known only from a reference with a name: keep them as people.
        for (guardian, _pupil), link in data.guardianships.items():
            if guardian not in data.persons and guardian in self.references:
                first, _space, last = self.references[guardian].partition(" ")
                data.persons[guardian] = PersonRecord(guardian, first, last, where=link.where)
        for form, count in sorted(self.skipped_forms.items()):
            message = ngettext(
                "%(count)s group in school form %(form)s, which Unikum does not cover; skipped",
                "%(count)s groups in school form %(form)s, which Unikum does not cover; skipped",
                count,
            )
            data.warn("groups", message % {"count": count, "form": form})
        for role, count in sorted(self.unmapped_duties.items()):
            message = ngettext(
                "%(count)s duty with role %(role)s gives no role in Unikum",
                "%(count)s duties with role %(role)s give no role in Unikum",
                count,
            )
            data.warn("duties", message % {"count": count, "role": repr(role)})
        return data

    def _resolve_organisations(self):
        data = self.data
        children = defaultdict(list)
        for oid, org in self.orgs.items():
            parent = _ref(org.get("parentOrganisation"))
            if parent:
                children[parent].append(oid)
        organisers = [oid for oid, org in self.orgs.items() if org.get("organisationType") == "Huvudman"]
        for oid in organisers:
            org = self.orgs[oid]
            data.organisers[oid] = OrganiserRecord(
                oid, org.get("displayName") or "", org.get("organisationNumber") or ""
            )
        self.school_units = {}
        for oid, org in self.orgs.items():
            kind = org.get("organisationType")
            if kind != "Skolenhet" and not (kind is None and org.get("schoolUnitCode")):
                continue
            organiser, seen, cursor = None, set(), oid
            while cursor and cursor not in seen:
                seen.add(cursor)
                if cursor in data.organisers:
                    organiser = cursor
                    break
                cursor = _ref((self.orgs.get(cursor) or {}).get("parentOrganisation"))
            if organiser is None and len(organisers) == 1:
                organiser = organisers[0]
            forms = {SCHOOL_FORMS[t] for t in org.get("schoolTypes") or [] if t in SCHOOL_FORMS}
            data.schools[oid] = SchoolRecord(
                external_id=oid,
                name=org.get("displayName") or "",
                school_unit_code=org.get("schoolUnitCode") or "",
                school_forms=[form for form in SchoolForm.values if form in forms],
                organiser_id=organiser,
            )
        self.children = children

    def _school_units_under(self, oid):
        """The school units at or below an organisation element (rektor duties are often
        placed on a rektorsområde)."""
        found, stack, seen = [], [oid], set()
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            if current in self.data.schools:
                found.append(current)
            stack.extend(self.children.get(current, []))
        return found

    def _resolve_duties(self, activities_served):
        data = self.data
        data.assignment_roles = {StaffAssignment.Role.MENTOR}
        person_of_duty = {}
        in_duty = _("%(where)s, duty %(id)s")
        for did, duty in self.duties.items():
            where = in_duty % {"where": "duties", "id": did}
            person = _ref(duty.get("person")) or _ref((duty.get("_embedded") or {}).get("person"))
            place = _ref(duty.get("dutyAt"))
            if not person or not place:
                data.warn(where, _("no person or no dutyAt; skipped"))
                continue
            person_of_duty[did] = person
            start, end = _date(duty.get("startDate")), _date(duty.get("endDate"))
            role = DUTY_ROLES.get(duty.get("dutyRole") or "")
            if role is None:
                self.unmapped_duties[duty.get("dutyRole") or ""] += 1
            else:
                schools = self._school_units_under(place) if place in self.orgs else [place]
                for school in schools:
                    data.school_roles[(person, school, role)] = Span(start, end, where)
            for assignment in duty.get("assignmentRole") or []:
                if not isinstance(assignment, dict):
                    continue
                group = _ref(assignment.get("group"))
                kind = assignment.get("assignmentRoleType") or assignment.get("assignmentRole")
                if group and kind == "Mentor":
                    span = Span(_date(assignment.get("startDate")), _date(assignment.get("endDate")), where)
                    data.staff_assignments[(person, group, StaffAssignment.Role.MENTOR)] = span
        if activities_served:
            data.assignment_roles.add(StaffAssignment.Role.TEACHER)
            for activity in self.activities:
                groups = [_ref(g) for g in activity.get("groups") or []]
                for teacher in activity.get("teachers") or []:
                    if not isinstance(teacher, dict):
                        continue
                    person = person_of_duty.get(_ref(teacher.get("duty")))
                    if not person:
                        continue
                    span = Span(_date(teacher.get("startDate")), _date(teacher.get("endDate")), "activities")
                    for group in filter(None, groups):
                        data.staff_assignments[(person, group, StaffAssignment.Role.TEACHER)] = span


# Files -----------------------------------------------------------------------


def _natural(path: Path):
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.name)]


def read_directory(path, incremental=False) -> RegisterData:
    """Read saved responses: ``<endpoint>.json`` or ``<endpoint>-1.json``, ``-2`` ...
    (one response body per file) for each endpoint."""
    folder = Path(path)
    if not folder.is_dir():
        raise StructuralError(_("%(path)s: not a folder") % {"path": folder})
    reader = Reader(source=str(folder), incremental=incremental)
    served = set()
    for endpoint in ENDPOINTS:
        pattern = re.compile(rf"^{endpoint}([-_.]?\d+)?\.json$", re.IGNORECASE)
        files = sorted((p for p in folder.iterdir() if pattern.match(p.name)), key=_natural)
        if not files:
            if endpoint in REQUIRED:
                raise StructuralError(_("%(path)s: no %(file)s") % {"path": folder, "file": f"{endpoint}.json"})
            continue
        served.add(endpoint)
        for file in files:
            try:
                body = json.loads(file.read_text(encoding="utf-8-sig"))
            except (OSError, UnicodeDecodeError) as error:
                raise StructuralError(
                    _("%(file)s: cannot be read (%(error)s)") % {"file": file, "error": error}
                ) from None
            except json.JSONDecodeError as error:
                raise StructuralError(
                    _("%(file)s: broken JSON at line %(line)s, column %(column)s")
                    % {"file": file, "line": error.lineno, "column": error.colno}
                ) from None
            reader.page(endpoint, body, file.name)
    return reader.finish(activities_served="activities" in served)


# HTTP ------------------------------------------------------------------------


class NotServed(Exception):  # noqa: N818
    pass


TRANSIENT = {408, 425, 429, 500, 502, 503, 504}


class Client:
    """A small SS 12000 client on ``urllib``.

    OAuth2 client credentials, sent in the form body unless ``basic_auth``;
    a 401 from the API fetches a new token once. Transient failures (timeouts,
    refused connections, 408/429/5xx) are retried with exponential backoff.
    """

    def __init__(
        self,
        base_url,
        token_url,
        client_id,
        client_secret,
        *,
        basic_auth=False,
        retries=4,
        backoff=1.0,
        timeout=60,
        page_size=None,
        sleep=time.sleep,
    ):
        self.base_url = base_url.rstrip("/")
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.basic_auth = basic_auth
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self.page_size = page_size
        self.sleep = sleep
        self.token = None
        self.server_time = None
        self.requests = 0

    def _open(self, request, what):
        """Send with retries; return (status, headers, body bytes)."""
        for attempt in range(self.retries + 1):
            self.requests += 1
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310  (https/http URLs from settings)
                    return response.status, response.headers, response.read()
            except urllib.error.HTTPError as error:
                body = error.read()
                if error.code not in TRANSIENT or attempt == self.retries:
                    return error.code, error.headers, body
                delay = self._retry_after(error.headers) or self.backoff * 2**attempt
            except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
                if attempt == self.retries:
                    reason = getattr(error, "reason", error)
                    raise StructuralError(
                        ngettext(
                            "%(what)s: no answer after %(attempts)s attempt (%(reason)s)",
                            "%(what)s: no answer after %(attempts)s attempts (%(reason)s)",
                            attempt + 1,
                        )
                        % {"what": what, "attempts": attempt + 1, "reason": reason}
                    ) from None
                delay = self.backoff * 2**attempt
            self.sleep(delay)
        raise AssertionError("unreachable")

    @staticmethod
    def _retry_after(headers):
        value = headers.get("Retry-After") if headers else None
        if value and value.strip().isdigit():
            return min(int(value), 60)
        return None

    def authenticate(self):
        form = {"grant_type": "client_credentials"}
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
        if self.basic_auth:
            pair = f"{urllib.parse.quote(self.client_id)}:{urllib.parse.quote(self.client_secret)}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        else:
            form.update(client_id=self.client_id, client_secret=self.client_secret)
        request = urllib.request.Request(  # noqa: S310
            self.token_url, data=urllib.parse.urlencode(form).encode(), headers=headers, method="POST"
        )
        status, _headers, body = self._open(request, _("token endpoint %(url)s") % {"url": self.token_url})
        if status != 200:
            raise StructuralError(
                _("authentication failed at %(url)s: HTTP %(status)s %(answer)s")
                % {"url": self.token_url, "status": status, "answer": body[:200].decode(errors="replace")}
            )
        try:
            token = json.loads(body)["access_token"]
        except (ValueError, KeyError, TypeError):
            raise StructuralError(
                _("authentication failed at %(url)s: no access_token in the answer") % {"url": self.token_url}
            ) from None
        self.token = token

    def get(self, endpoint, params=None):
        """One page as parsed JSON."""
        url = f"{self.base_url}/{endpoint}"
        if params:
            url += "?" + urllib.parse.urlencode(params, doseq=True)
        if self.token is None:
            self.authenticate()
        for refreshed in (False, True):
            request = urllib.request.Request(  # noqa: S310
                url, headers={"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
            )
            status, headers, body = self._open(request, url)
            if status == 401 and not refreshed:
                self.authenticate()
                continue
            break
        if self.server_time is None and headers and headers.get("Date"):
            with contextlib.suppress(TypeError, ValueError):
                self.server_time = email.utils.parsedate_to_datetime(headers["Date"])
        if status == 404:
            raise NotServed(url)
        if status in (401, 403):
            raise StructuralError(_("access denied at %(url)s: HTTP %(status)s") % {"url": url, "status": status})
        if status != 200:
            raise StructuralError(f"{url}: HTTP {status} {body[:200].decode(errors='replace')}")
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError) as error:
            raise StructuralError(_("%(url)s: malformed JSON (%(error)s)") % {"url": url, "error": error}) from None

    def pages(self, endpoint, params):
        """Follow ``pageToken`` to the end. Filters go with the first request only."""
        page = 1
        body = self.get(endpoint, params)
        while True:
            yield page, body
            token = body.get("pageToken") if isinstance(body, dict) else None
            if not token:
                return
            page += 1
            query = {"pageToken": token}
            if self.page_size:
                query["limit"] = self.page_size
            body = self.get(endpoint, query)


def read_api(client: Client, since: datetime.datetime | None = None, progress=None) -> RegisterData:
    """Fetch a delivery. With ``since``, persons, groups and placements changed after it
    (``meta.modified.after``) and what was deleted after it (``/deletedEntities``)."""
    started = timezone.now()
    reader = Reader(source=client.base_url, incremental=since is not None)
    served = set()
    after = since.isoformat() if since else None
    fetched = 0
    on_page = _("/%(endpoint)s page %(page)s")
    for endpoint in ENDPOINTS:
        if endpoint == "deletedEntities" and since is None:
            continue
        params = {}
        if client.page_size:
            params["limit"] = client.page_size
        if endpoint == "deletedEntities":
            params["after"] = after
        elif since is not None and endpoint not in ALWAYS_FULL:
            params["meta.modified.after"] = after
        if endpoint == "duties":
            params["expand"] = "person"
        try:
            for page, body in client.pages(endpoint, params):
                reader.page(endpoint, body, on_page % {"endpoint": endpoint, "page": page})
                fetched += 1
                if progress:
                    progress(f"fetching /{endpoint}", fetched, 0)
        except NotServed:
            if endpoint in REQUIRED:
                raise StructuralError(
                    _("%(url)s: not found (HTTP 404)") % {"url": f"{client.base_url}/{endpoint}"}
                ) from None
            continue
        served.add(endpoint)
    data = reader.finish(activities_served="activities" in served)
    # The next incremental run asks for changes from a little before this one started.
    data.watermark = (client.server_time or started) - datetime.timedelta(minutes=5)
    return data
