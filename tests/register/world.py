"""A small SS 12000 register, shaped like the v2 draft, and a fake server for it.

Ekbackens skola (under a rektorsområde under the huvudman) has class 7A with
pupils Pia and Olle, an empty class 7B and a teaching group Ma7 with Pia.
Pia's guardians are Gustav (Vårdnadshavare) and Greta (Förälder, no custody).
Tove teaches 7A (through an activity), Magnus mentors 7A, Rut is rektor of the
rektorsområde.
"""

import copy
import datetime
import json
import uuid

from werkzeug import Response

NAMESPACE = uuid.UUID("6f1d8a52-3c1e-4c55-9a0e-000000000000")
CLIENT_ID, CLIENT_SECRET, TOKEN = "unikum", "hemligt", "token-123"
EARLY = "2026-01-01T08:00:00+01:00"


def uid(name):
    return str(uuid.uuid5(NAMESPACE, name))


def luhn_digit(nine):
    total = 0
    for index, char in enumerate(nine):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def personnummer(date, serial):
    """A valid twelve-digit number for ``date`` (YYYYMMDD) and a three-digit serial."""
    return f"{date}{serial}{luhn_digit(date[2:] + serial)}"


def meta(modified=EARLY):
    return {"created": EARLY, "modified": modified}


def ref(name, display=None):
    value = {"id": uid(name)}
    if display:
        value["displayName"] = display
    return value


def person(name, given, family, civic=None, marking="Ingen", responsibles=None, email=None):
    item = {
        "id": uid(name),
        "meta": meta(),
        "givenName": given,
        "familyName": family,
        "securityMarking": marking,
        "emails": [{"value": email or f"{name}@example.se", "type": "Privat"}],
    }
    if civic:
        item["civicNo"] = {"value": civic, "nationality": "SE"}
    if responsibles is not None:
        item["responsibles"] = [
            {"person": ref(guardian), "relationType": relation} for guardian, relation in responsibles
        ]
    return item


def group(name, display, group_type, members, school="ekbacken", school_type="GR"):
    return {
        "id": uid(name),
        "meta": meta(),
        "displayName": display,
        "startDate": "2026-08-10",
        "endDate": "2027-06-12",
        "groupType": group_type,
        "schoolType": school_type,
        "organisation": ref(school),
        "groupMemberships": [
            {"id": uid(f"{name}:{member}"), "person": ref(member), "startDate": "2026-08-10"} for member in members
        ],
    }


def duty(name, who, at, role, mentor_of=()):
    return {
        "id": uid(name),
        "meta": meta(),
        "person": ref(who),
        "dutyAt": ref(at),
        "dutyRole": role,
        "startDate": "2020-08-01",
        "assignmentRole": [
            {"group": ref(g), "assignmentRoleType": "Mentor", "startDate": "2026-08-10"} for g in mentor_of
        ],
    }


def register():
    """The whole register as endpoint → list of items."""
    return {
        "organisations": [
            {
                "id": uid("kommun"),
                "meta": meta(),
                "displayName": "Exempels kommun",
                "organisationType": "Huvudman",
                "organisationNumber": "212000-0000",
            },
            {
                "id": uid("ro"),
                "meta": meta(),
                "displayName": "Rektorsområde Norr",
                "organisationType": "Rektorsområde",
                "parentOrganisation": ref("kommun"),
            },
            {
                "id": uid("ekbacken"),
                "meta": meta(),
                "displayName": "Ekbackens skola",
                "organisationType": "Skolenhet",
                "schoolUnitCode": "12345678",
                "schoolTypes": ["FKLASS", "GR", "FTH"],
                "parentOrganisation": ref("ro"),
            },
        ],
        "persons": [
            person(
                "pia",
                "Pia",
                "Elev",
                personnummer("20130415", "238"),
                responsibles=[("gustav", "Vårdnadshavare"), ("greta", "Förälder")],
            ),
            person("olle", "Olle", "Klasskamrat", personnummer("20130520", "123"), responsibles=[]),
            person("gustav", "Gustav", "Vårdnadshavare", personnummer("19800101", "123")),
            person("greta", "Greta", "Utanvårdnad", personnummer("19820202", "234")),
            person("tove", "Tove", "Lärare", personnummer("19750303", "345")),
            person("magnus", "Magnus", "Mentor", personnummer("19700404", "456")),
            person("rut", "Rut", "Rektor", personnummer("19650505", "567")),
        ],
        "groups": [
            group("7a", "7A", "Klass", ["pia", "olle"]),
            group("7b", "7B", "Klass", []),
            group("ma7", "Ma7", "Undervisning", ["pia"]),
        ],
        "duties": [
            duty("d-tove", "tove", "ekbacken", "Lärare"),
            duty("d-magnus", "magnus", "ekbacken", "Lärare", mentor_of=["7a"]),
            duty("d-rut", "rut", "ro", "Rektor"),
        ],
        "activities": [
            {
                "id": uid("act-ma7a"),
                "displayName": "Matematik 7A",
                "activityType": "Undervisning",
                "groups": [ref("7a"), ref("ma7")],
                "teachers": [{"duty": ref("d-tove")}],
                "organisation": ref("ekbacken"),
            }
        ],
    }


def find(items, name):
    return next(item for item in items if item["id"] == uid(name))


def touch(item, modified):
    item["meta"] = meta(modified)
    return item


def write_directory(folder, world, page_size=2):
    """Save the register as paged response files, as a server would have sent them."""
    folder.mkdir(parents=True, exist_ok=True)
    for endpoint, items in world.items():
        if endpoint == "deletedEntities":
            (folder / "deletedEntities.json").write_text(json.dumps({"data": items}), encoding="utf-8")
            continue
        pages = [items[i : i + page_size] for i in range(0, len(items), page_size)] or [[]]
        for number, page in enumerate(pages, 1):
            body = {"data": page, "pageToken": f"t{number + 1}" if number < len(pages) else None}
            (folder / f"{endpoint}-{number}.json").write_text(json.dumps(body), encoding="utf-8")
    return folder


class FakeRegister:
    """Serves a register over HTTP like an SS 12000 server: token auth, paging, filters."""

    def __init__(self, httpserver, world=None, page_size=2):
        self.server = httpserver
        self.world = world if world is not None else register()
        self.deleted = {}
        self.page_size = page_size
        self.failures = {}  # (endpoint, page) → (status, body, times)
        self.requests = []
        self.tokens_issued = 0
        httpserver.expect_request("/oauth/token", method="POST").respond_with_handler(self._token)
        for endpoint in ("organisations", "persons", "groups", "duties", "placements", "activities", "deletedEntities"):
            httpserver.expect_request(f"/v2/{endpoint}").respond_with_handler(self._handler(endpoint))

    @property
    def base_url(self):
        return self.server.url_for("/v2")

    @property
    def token_url(self):
        return self.server.url_for("/oauth/token")

    def options(self, **extra):
        return {
            "url": self.base_url,
            "token_url": self.token_url,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "backoff": 0,
            **extra,
        }

    def _token(self, request):
        form = request.form
        basic = request.authorization
        ok = (form.get("client_id"), form.get("client_secret")) == (CLIENT_ID, CLIENT_SECRET) or (
            basic is not None and (basic.username, basic.password) == (CLIENT_ID, CLIENT_SECRET)
        )
        if form.get("grant_type") != "client_credentials" or not ok:
            return Response(json.dumps({"error": "invalid_client"}), status=401, content_type="application/json")
        self.tokens_issued += 1
        body = {"access_token": TOKEN, "token_type": "Bearer", "expires_in": 3600}
        return Response(json.dumps(body), content_type="application/json")

    def _handler(self, endpoint):
        def handle(request):
            self.requests.append((endpoint, dict(request.args)))
            if request.headers.get("Authorization") != f"Bearer {TOKEN}":
                return Response(json.dumps({"code": "auth", "message": "no"}), status=401)
            token = request.args.get("pageToken")
            page = int(token.split(":")[1]) if token else 1
            failure = self.failures.get((endpoint, page))
            if failure and failure[2] > 0:
                self.failures[(endpoint, page)] = (failure[0], failure[1], failure[2] - 1)
                return Response(failure[1], status=failure[0], content_type="application/json")
            if endpoint == "deletedEntities":
                return Response(json.dumps({"data": self.deleted, "pageToken": None}), content_type="application/json")
            if endpoint not in self.world:
                return Response("", status=404)
            after = request.args.get("meta.modified.after") or (token.split(":", 2)[2] if token else None)
            items = copy.deepcopy(self.world[endpoint])
            if after:
                cutoff = datetime.datetime.fromisoformat(after)
                items = [i for i in items if datetime.datetime.fromisoformat(i["meta"]["modified"]) > cutoff]
            start = (page - 1) * self.page_size
            chunk = items[start : start + self.page_size]
            more = start + self.page_size < len(items)
            next_token = f"{endpoint}:{page + 1}:{after or ''}" if more else None
            return Response(json.dumps({"data": chunk, "pageToken": next_token}), content_type="application/json")

        return handle

    def fail(self, endpoint, page, status=500, body='{"code": "x", "message": "boom"}', times=100):
        self.failures[(endpoint, page)] = (status, body, times)
