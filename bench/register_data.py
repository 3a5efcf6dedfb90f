"""Generate an SS 12000 register of any size as saved responses (for ``sync_ss12000 --from-dir``).

    python bench/register_data.py OUT_DIR [--pupils 70000 --guardians 120000 --staff 8000 --groups 4000]
                                          [--changes 0.01] [--seed 1]

Deterministic: the same arguments give the same files. ``--changes F`` writes
the same register with a fraction F of people changed: renamed pupils, pupils
who change class, pupils who leave, guardians who lose custody, new pupils.
Persons are written page by page, so generating 200,000 people needs little
memory.
"""

import argparse
import datetime
import json
import random
import uuid
from pathlib import Path

NAMESPACE = uuid.UUID("0b6c3f5e-8f1a-4a8e-9d7e-5d1b2c3a4f00")
PAGE = 1000
FIRST = ["Alva", "Elsa", "Maja", "Ella", "Wilma", "Noah", "Hugo", "William", "Liam", "Åke", "Örjan", "Lucas", "Saga"]
LAST = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Öberg", "Åström", "Lind", "Berg"]
STAMP = "2026-01-01T08:00:00+01:00"
CHANGED = "2026-11-01T08:00:00+01:00"


def uid(kind, n):
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{n}"))


def luhn(nine):
    total = 0
    for index, char in enumerate(nine):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def civic(kind_offset, n, first_year):
    day = datetime.date(first_year, 1, 1) + datetime.timedelta(days=n % 3650)
    serial = f"{(n // 3650 + kind_offset) % 1000:03d}"
    date = day.strftime("%Y%m%d")
    return f"{date}{serial}{luhn(date[2:] + serial)}"


class Register:
    def __init__(self, pupils, guardians, staff, groups, changes=0.0, seed=1):
        self.pupils, self.guardians, self.staff, self.groups = pupils, guardians, staff, groups
        self.schools = max(1, groups // 100)
        self.classes = max(1, min(groups, pupils // 25) if pupils >= 25 else 1)
        self.teaching = max(0, groups - self.classes)
        self.rng = random.Random(seed)
        every = int(1 / changes) if changes else 0
        # Which pupils change, and how: a quarter each renamed, moved, gone; guardians lose custody.
        self.renamed, self.moved, self.gone, self.no_custody = set(), {}, set(), set()
        self.new_pupils = 0
        if every:
            for i in range(0, pupils, every):
                kind = (i // every) % 4
                if kind == 0:
                    self.renamed.add(i)
                elif kind == 1:
                    self.moved[i] = (self.class_of(i) + 1) % self.classes
                elif kind == 2:
                    self.gone.add(i)
                else:
                    self.no_custody.add(i)
            self.new_pupils = len(self.gone)

    def class_of(self, i):
        return self.moved.get(i, (i * self.classes) // self.pupils) if i < self.pupils else i % self.classes

    def all_pupils(self):
        yield from (i for i in range(self.pupils) if i not in self.gone)
        yield from range(self.pupils, self.pupils + self.new_pupils)

    def guardians_of(self, i):
        if i >= self.pupils:
            return []
        first = i % self.guardians
        second = self.pupils + i if self.pupils + i < self.guardians else None
        return [g for g in (first, second) if g is not None]

    # Entities ----------------------------------------------------------------

    def organisations(self):
        yield {
            "id": uid("org", 0),
            "meta": {"created": STAMP, "modified": STAMP},
            "displayName": "Benchmarks kommun",
            "organisationType": "Huvudman",
            "organisationNumber": "212000-9999",
        }
        for s in range(self.schools):
            yield {
                "id": uid("school", s),
                "meta": {"created": STAMP, "modified": STAMP},
                "displayName": f"Skola {s}",
                "organisationType": "Skolenhet",
                "schoolUnitCode": f"{10000000 + s}",
                "schoolTypes": ["FKLASS", "GR", "FTH"],
                "parentOrganisation": {"id": uid("org", 0)},
            }

    def _person(self, kind, n, pnr, responsibles=None, modified=STAMP):
        rng = random.Random(f"{kind}{n}")
        item = {
            "id": uid(kind, n),
            "meta": {"created": STAMP, "modified": modified},
            "givenName": rng.choice(FIRST),
            "familyName": rng.choice(LAST),
            "securityMarking": "Skyddad folkbokföring" if n % 500 == 7 else "Ingen",
            "emails": [{"value": f"{kind}{n}@example.se", "type": "Privat"}],
        }
        if n % 200 == 3:
            pnr = pnr[:10] + ("0" if pnr[-1] != "0" else "1") + pnr[-1]  # wrong check digit
        if n % 1000 == 11:
            pnr = pnr[:8] + "TF" + pnr[10:]  # temporary number
        item["civicNo"] = {"value": pnr, "nationality": "SE"}
        if responsibles is not None:
            item["responsibles"] = responsibles
        return item

    def persons(self):
        for i in self.all_pupils():
            responsibles = [
                {
                    "person": {"id": uid("guardian", g)},
                    "relationType": "Förälder" if i in self.no_custody and k == 0 else "Vårdnadshavare",
                }
                for k, g in enumerate(self.guardians_of(i))
            ]
            item = self._person("pupil", i, civic(0, i, 2010), responsibles)
            if i in self.renamed:
                item["familyName"] += "-Ny"
                item["meta"]["modified"] = CHANGED
            yield item
        for g in range(self.guardians):
            yield self._person("guardian", g, civic(300, g, 1970))
        for s in range(self.staff):
            yield self._person("staff", s, civic(600, s, 1960))

    def groups_items(self):
        members = [[] for _ in range(self.classes + self.teaching)]
        for i in self.all_pupils():
            members[self.class_of(i)].append(i)
            if self.teaching:
                members[self.classes + i % self.teaching].append(i)
        for g in range(self.classes + self.teaching):
            is_class = g < self.classes
            yield {
                "id": uid("group", g),
                "meta": {"created": STAMP, "modified": STAMP},
                "displayName": f"{7 + g % 3}{chr(65 + g % 26)}-{g}" if is_class else f"Grupp {g}",
                "startDate": "2026-08-10",
                "groupType": "Klass" if is_class else "Undervisning",
                "schoolType": "GR",
                "organisation": {"id": uid("school", g % self.schools)},
                "groupMemberships": [
                    {"person": {"id": uid("pupil", i)}, "startDate": "2026-08-10"} for i in members[g]
                ],
            }

    def duties(self):
        for s in range(self.staff):
            item = {
                "id": uid("duty", s),
                "meta": {"created": STAMP, "modified": STAMP},
                "person": {"id": uid("staff", s)},
                "dutyAt": {"id": uid("school", s % self.schools)},
                "dutyRole": "Rektor" if s < self.schools else "Lärare",
                "startDate": "2020-08-01",
            }
            if self.schools <= s < self.schools + self.classes:
                c = s - self.schools
                item["assignmentRole"] = [{"group": {"id": uid("group", c)}, "assignmentRoleType": "Mentor"}]
            yield item

    def activities(self):
        teachers = max(1, self.staff - self.schools)
        for g in range(self.classes + self.teaching):
            yield {
                "id": uid("activity", g),
                "displayName": f"Aktivitet {g}",
                "activityType": "Undervisning",
                "groups": [{"id": uid("group", g)}],
                "teachers": [{"duty": {"id": uid("duty", self.schools + (g * 7) % teachers)}}],
                "organisation": {"id": uid("school", g % self.schools)},
            }


def write_pages(folder: Path, endpoint, items):
    page, number = [], 0

    def flush(last):
        nonlocal page, number
        number += 1
        body = {"data": page, "pageToken": None if last else f"{endpoint}:{number + 1}"}
        (folder / f"{endpoint}-{number}.json").write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
        page = []

    for item in items:
        page.append(item)
        if len(page) == PAGE:
            flush(False)
    flush(True)
    return number


def generate(folder, pupils=70_000, guardians=120_000, staff=8_000, groups=4_000, changes=0.0, seed=1):
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.json"):
        old.unlink()
    register = Register(pupils, guardians, staff, groups, changes, seed)
    write_pages(folder, "organisations", register.organisations())
    write_pages(folder, "persons", register.persons())
    write_pages(folder, "groups", register.groups_items())
    write_pages(folder, "duties", register.duties())
    write_pages(folder, "activities", register.activities())
    return register


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--pupils", type=int, default=70_000)
    parser.add_argument("--guardians", type=int, default=120_000)
    parser.add_argument("--staff", type=int, default=8_000)
    parser.add_argument("--groups", type=int, default=4_000)
    parser.add_argument("--changes", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.pupils, args.guardians, args.staff, args.groups, args.changes, args.seed)


if __name__ == "__main__":
    main()
