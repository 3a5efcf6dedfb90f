"""Write the demo class's first documents: plans, general information and assessments.

Why it exists: ``seed_demo`` builds people and groups but no documents, so the
printed teacher, pupil and guardian logins open empty planning and assessment
pages. This command fills class 7A at Ekängsskolan (the class every printed
login belongs to) with what a term's teaching leaves behind:

- three pedagogical plans: Svenska (argumenterande text) and Matematik
  (algebra) published, each with a rubric started from its linked criteria,
  and a Samhällskunskap plan still a draft;
- one piece of general information to 7A's pupils and guardians;
- rubric marks on both published plans for a handful of pupils, the Svenska
  ones on two dates so progression shows, shared with pupils and guardians;
- a shared learning log entry with feedback to the demo pupil ``elev``;
- published summative assessments for the current term: ``elev`` in Svenska,
  and one classmate whose status in Matematik is not sufficient, so the
  mentor's and rektor's "pupils needing support" list has someone on it.

Everything is written as the demo teacher ``larare`` through the same forms
and action functions the views use, so grants, audit entries (naming the
teacher) and the content checker all apply as in the browser.

Safety and repeatability:

- Runs only with DEBUG on, after ``load_curriculum`` and ``seed_demo``.
- Deterministic: the same pupils, texts and levels every time; dates are
  counted from today so the plans are running and the marks recent.
- Running it again changes nothing: if the demo Svenska plan exists, it says
  so and stops. One transaction: a failure leaves the database as it was.
"""

import datetime

from auditlog.context import set_actor
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.management.commands.seed_demo import ORGANISER_ID
from accounts.models import Enrolment, PupilGroup, User
from assessment import actions
from assessment.forms import SummativeForm
from assessment.models import AssessmentScale, StandardStep, current_term
from planning import actions as plan_actions
from planning.forms import AnnouncementForm, CurriculumLinksForm, PlanForm
from planning.models import CentralContent, GradingCriterion, Plan, Subject

TEACHER = "larare"
PUPIL = "elev"
CLASS = "7A"
OTHER_PUPILS = 4  # besides ``elev``, the first classmates by name (protected identities left out)

# Plans: curriculum links are the year 7-9 central content under ``headings``
# and the year 9 grading criteria; ``rows`` retitles the rubric's aspects (by
# criteria paragraph) and ``extra_row`` adds one aspect with its own descriptors.
SVENSKA = {
    "key": "svenska",
    "subject": "GRGRSVE01",
    "title": "Argumenterande text: debattartikel",
    "days": (-35, 21),
    "headings": ["Läsa och skriva"],
    "purpose": (
        "<p>I arbetsområdet utvecklar vi förmågan att formulera sig och kommunicera i skrift, att läsa och "
        "analysera argumenterande texter och att anpassa språket efter syfte och mottagare.</p>"
    ),
    "content": (
        "<ul><li>Vad som kännetecknar en argumenterande text: tes, argument, motargument och avslutning.</li>"
        "<li>Att läsa och jämföra debattartiklar och insändare.</li>"
        "<li>Sambandsord som binder ihop argumenten.</li>"
        "<li>Att ge och ta emot respons på texter.</li></ul>"
    ),
    "working_methods": (
        "<p>Vi läser och analyserar exempeltexter tillsammans och går igenom hur de är uppbyggda. Du skriver "
        "en egen debattartikel i flera steg: planering, första utkast, kamratrespons och bearbetning. "
        "Arbetsområdet avslutas med att du presenterar din tes muntligt för klassen.</p>"
    ),
    "assessment": (
        "<p>Du visar dina kunskaper i den färdiga debattartikeln, i hur du bearbetar texten efter respons och "
        "i samtalen om exempeltexterna. Bedömningen utgår från matrisen nedan, som bygger på kriterierna i "
        "svenska.</p>"
    ),
    "publish": True,
    "rows": {
        0: "Läsa och tolka argumenterande texter",
        1: "Skriva en argumenterande text",
        2: "Resonera i samtal och presentationer",
    },
    "extra_row": (
        "Ge och ta emot respons",
        {
            "E": "Eleven ger enkla kommentarer på en kamrats text och bearbetar den egna texten i någon mån "
            "utifrån respons.",
            "C": "Eleven ger utvecklade kommentarer på en kamrats text och bearbetar den egna texten relativt "
            "väl utifrån respons.",
            "A": "Eleven ger välutvecklade kommentarer på en kamrats text och bearbetar den egna texten väl "
            "utifrån respons.",
        },
    ),
}

MATEMATIK = {
    "key": "matematik",
    "subject": "GRGRMAT01",
    "title": "Algebra: uttryck och ekvationer",
    "days": (-21, 28),
    "headings": ["Algebra"],
    "purpose": (
        "<p>Arbetsområdet ger dig möjlighet att utveckla förmågan att använda och beskriva matematiska "
        "begrepp, att välja och använda lämpliga metoder och att föra och följa matematiska resonemang.</p>"
    ),
    "content": (
        "<ul><li>Variabler och algebraiska uttryck.</li>"
        "<li>Att teckna och förenkla uttryck utifrån vardagliga situationer.</li>"
        "<li>Ekvationer och metoder för att lösa dem.</li>"
        "<li>Mönster och formler.</li></ul>"
    ),
    "working_methods": (
        "<p>Genomgångar varvas med arbete i par och enskilt. Vi arbetar med rika problem där flera "
        "lösningsvägar är möjliga och jämför lösningarna tillsammans. Varje vecka avslutas med en kort "
        "avstämning så att du ser vad du behöver öva mer på.</p>"
    ),
    "assessment": (
        "<p>Du visar dina kunskaper i det skriftliga arbetet under lektionerna, när vi resonerar om lösningar "
        "och i en avslutande skriftlig uppgift med frågor på olika nivåer. Matrisen visar vad som bedöms.</p>"
    ),
    "publish": True,
    "rows": {
        0: "Begrepp och metoder",
        1: "Problemlösning och resonemang",
    },
    "extra_row": (
        "Algebraiska uttryck och ekvationer",
        {
            "E": "Eleven tecknar och förenklar enkla algebraiska uttryck och löser enkla ekvationer med i "
            "huvudsak fungerande metoder.",
            "C": "Eleven tecknar och förenklar algebraiska uttryck och löser ekvationer med relativt väl "
            "fungerande metoder.",
            "A": "Eleven tecknar och förenklar algebraiska uttryck och löser ekvationer i flera steg med väl "
            "fungerande och effektiva metoder.",
        },
    ),
}

SAMHALLSKUNSKAP = {
    "key": "samhällskunskap",
    "subject": "GRGRSAM01",
    "title": "Källkritik och nyhetsvärdering",
    "days": (28, 63),
    "headings": ["Information och kommunikation"],
    "purpose": (
        "<p>Arbetsområdet utvecklar förmågan att söka information om samhället och att granska och värdera "
        "källor och nyhetsförmedling.</p>"
    ),
    "content": (
        "<ul><li>Hur en nyhet väljs ut och presenteras i olika medier.</li>"
        "<li>Frågor att ställa till en källa: vem, varför, när och hur.</li>"
        "<li>Skillnaden mellan nyhet, reklam och opinionsmaterial.</li></ul>"
    ),
    "working_methods": (
        "<p>Vi jämför hur samma händelse beskrivs i tidningar, sociala medier och tv. I grupper granskar ni "
        "var sin nyhet och redovisar för klassen hur ni har värderat källorna.</p>"
    ),
    "assessment": (
        "<p>Du visar dina kunskaper i gruppens granskning, i den muntliga redovisningen och i en skriftlig "
        "reflektion där du motiverar dina källkritiska bedömningar.</p>"
    ),
    "publish": False,
}

PLANS = [SVENSKA, MATEMATIK, SAMHALLSKUNSKAP]

ANNOUNCEMENT = {
    "title": "Läsvecka och besök på stadsbiblioteket",
    "body": (
        "<p>Nästa vecka har 7A läsvecka. Varje lektion i svenska börjar med tjugo minuters läsning i en "
        "valfri bok, och på torsdagen besöker klassen stadsbiblioteket. Där visar bibliotekarien ny "
        "skönlitteratur och hur man söker och granskar information i bibliotekets databaser.</p>"
        "<p>Ta gärna med lånekort. Frågor om läsveckan besvarar Lena Berglund här i Unikum.</p>"
    ),
}

# Marks per pupil (``elev`` first, then the classmates in order) and plan: one
# level per aspect (in rubric order) or None for not assessed yet, per date.
MARKS = {
    "svenska": {
        -21: [
            ["E", "E", "E", None],
            ["E", None, None, "E"],
            ["C", "E", "C", "C"],
            ["E", "E", "E", "E"],
            ["A", "C", "C", "C"],
        ],
        -5: [
            ["C", "C", "E", "C"],
            ["E", "E", None, "E"],
            ["C", "C", "A", "C"],
            ["E", "C", "E", "C"],
            ["A", "A", "C", "A"],
        ],
    },
    "matematik": {
        -3: [
            ["C", "E", "C"],
            [None, None, "E"],
            ["C", "C", "C"],
            ["E", "E", "E"],
            ["A", "C", "A"],
        ],
    },
}

# A comment on some of the latest marks: (plan, pupil index, aspect index) → text.
MARK_COMMENTS = {
    ("svenska", 0, 1): "Tesen är tydlig och argumenten hänger ihop med hjälp av sambandsord.",
    ("svenska", 0, 3): "Texten är bearbetad utifrån kamratresponsen: inledningen är omskriven.",
    ("svenska", 1, 1): "Texten har en tes och ett argument; nästa steg är fler argument med exempel.",
    ("matematik", 1, 2): "Löser ekvationer i ett steg; ekvationer i flera steg övar vi vidare på.",
}

ENTRY = {
    "title": "Debattartikel: första utkastet",
    "current": (
        "<p>Din debattartikel har en tydlig tes i inledningen och tre argument som hör ihop med tesen. Du "
        "använder sambandsord som <em>därför</em> och <em>dessutom</em> för att binda ihop texten.</p>"
    ),
    "goal": (
        "<p>Målet är en argumenterande text där du också bemöter ett motargument och där varje argument "
        "underbyggs med ett exempel eller en källa.</p>"
    ),
    "next_step": (
        "Skriv ett stycke där du tar upp ett motargument och förklarar varför din tes ändå håller. Använd "
        "en av källorna från lektionen."
    ),
}

# Summative assessments for the current term: (pupil index, plan, step, comment).
SUMMATIVES = [
    (
        0,
        "svenska",
        StandardStep.SUFFICIENT,
        "<p>Du tolkar argumenterande texter och för utvecklade resonemang om innehållet. I din debattartikel "
        "är tesen tydlig och argumenten hänger ihop. Nästa steg är att bemöta motargument och att underbygga "
        "argumenten med källor.</p>",
    ),
    (
        1,
        "matematik",
        StandardStep.NOT_SUFFICIENT,
        "<p>Du tecknar enkla algebraiska uttryck och löser ekvationer i ett steg. För att nå kriterierna "
        "behöver du utveckla hur du väljer metod för ekvationer i flera steg och hur du beskriver dina "
        "lösningar. Vi övar på det med konkreta exempel under de kommande veckorna.</p>",
    ),
]


def _valid(form, what):
    if not form.is_valid():
        raise CommandError(f"The demo {what} was refused: {form.errors.as_text()}")
    return form


class Seeder:
    def __init__(self, teacher, group, stdout, verbosity):
        self.teacher = teacher
        self.group = group
        self.school = group.school
        self.stdout = stdout
        self.verbosity = verbosity
        self.today = timezone.localdate()
        self.counts = {"plans": 0, "published": 0, "marks": 0, "entries": 0, "summatives": 0, "announcements": 0}

    def say(self, text):
        if self.verbosity >= 2:
            self.stdout.write(text)

    def day(self, offset):
        return self.today + datetime.timedelta(days=offset)

    def build(self):
        plans = {spec["key"]: self.plan(spec) for spec in PLANS}
        self.announcement()
        pupils = self.pupils()
        for key, by_date in MARKS.items():
            self.marks(plans[key], pupils, key, by_date)
        self.entry(plans["svenska"], pupils[0])
        for index, key, standard, comment in SUMMATIVES:
            self.summative(pupils[index], plans[key].subject, standard, comment)

    # Plans ---------------------------------------------------------------------

    def plan(self, spec):
        subject = Subject.objects.filter(code=spec["subject"]).first()
        if subject is None:
            raise CommandError(f"Subject {spec['subject']} is missing: run load_curriculum first.")
        start, end = (self.day(offset) for offset in spec["days"])
        data = {
            "title": spec["title"],
            "school": self.school.pk,
            "subject": subject.pk,
            "groups": [self.group.pk],
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
            **{name: spec[name] for name in ("purpose", "content", "working_methods", "assessment")},
        }
        plan = plan_actions.save_plan(_valid(PlanForm(data, user=self.teacher), "plan"), self.teacher)

        central_content = CentralContent.objects.filter(
            subject=subject, course__isnull=True, years="7-9", heading__in=spec["headings"]
        ).order_by("position")
        criteria = GradingCriterion.objects.filter(
            subject=subject, course__isnull=True, year=9, kind=GradingCriterion.Kind.GRADING_CRITERIA
        )
        if not central_content or not criteria:
            raise CommandError(f"The curriculum has no year 7-9 content or criteria for {subject}.")
        links = {
            "central_content": [item.pk for item in central_content],
            "criteria": [item.pk for item in criteria],
        }
        _valid(CurriculumLinksForm(links, instance=plan), "curriculum links").save()
        self.counts["plans"] += 1

        if "rows" in spec:
            self.rubric(plan, spec)
        if spec["publish"]:
            plan_actions.set_state(plan, Plan.State.PUBLISHED, self.teacher)
            self.counts["published"] += 1
        self.say(f"Plan {plan.title} ({subject}, {plan.get_state_display()})")
        return plan

    def rubric(self, plan, spec):
        """Started from the criteria, as the button in the rubric editor does; then shorter aspect titles
        and one aspect of the teacher's own."""
        rubric = plan_actions.rubric_from_criteria(plan)
        for row in rubric.rows.select_related("criterion"):
            title = spec["rows"].get(row.criterion.position) if row.criterion else None
            if title:
                row.title = title
                row.save(update_fields=["title"])
        title, descriptors = spec["extra_row"]
        row = plan_actions.add_row(rubric, title)
        for cell in row.cells.select_related("level"):
            cell.descriptor = descriptors.get(cell.level.name, "")
            cell.save(update_fields=["descriptor"])

    # General information -------------------------------------------------------

    def announcement(self):
        publish_at = timezone.make_aware(datetime.datetime.combine(self.day(-1), datetime.time(15, 0)))
        data = {
            "school": self.school.pk,
            "groups": [self.group.pk],
            "title": ANNOUNCEMENT["title"],
            "body": ANNOUNCEMENT["body"],
            "publish_at": timezone.localtime(publish_at).strftime("%Y-%m-%dT%H:%M"),
        }
        form = _valid(AnnouncementForm(data, user=self.teacher), "general information")
        item = plan_actions.save_announcement(form, self.teacher)
        self.counts["announcements"] += 1
        self.say(f"General information {item.title}")

    # Assessment ----------------------------------------------------------------

    def pupils(self):
        """``elev`` and the first classmates by name."""
        enrolled = (
            User.objects.filter(
                enrolments__in=Enrolment.objects.current().filter(group=self.group),
                is_active=True,
                protected_identity=False,
            )
            .distinct()
            .order_by("last_name", "first_name", "pk")
        )
        elev = enrolled.filter(username=PUPIL).first()
        if elev is None:
            raise CommandError(f"The demo pupil {PUPIL} is not in {CLASS}.")
        return [elev, *enrolled.exclude(pk=elev.pk)[:OTHER_PUPILS]]

    def marks(self, plan, pupils, key, by_date):
        rows = list(plan.rubric.rows.all())
        levels = {level.name: level for level in plan.rubric.levels.all()}
        latest = max(by_date)
        marks = []
        for offset, table in sorted(by_date.items()):
            for index, (pupil, names) in enumerate(zip(pupils, table, strict=True)):
                for position, (row, name) in enumerate(zip(rows, names, strict=True)):
                    if name is None:
                        continue
                    comment = MARK_COMMENTS.get((key, index, position), "") if offset == latest else ""
                    marks.append((pupil, row, levels[name], comment, self.day(offset)))
        actions.record_marks(self.teacher, plan, marks)
        actions.share_rubric_assessments(self.teacher, plan, pupils)
        self.counts["marks"] += len(marks)
        self.say(f"{len(marks)} rubric marks on {plan.title} for {len(pupils)} pupils, shared")

    def entry(self, plan, pupil):
        entry = actions.create_entry(self.teacher, plan, pupil=pupil, data=ENTRY)
        actions.share_entry(entry, self.teacher)
        self.counts["entries"] += 1
        self.say(f"Learning log entry {entry.title} to {pupil.username}, shared")

    def summative(self, pupil, subject, standard, comment):
        scale = AssessmentScale.for_organiser(self.school.organiser)
        step = scale.steps.filter(standard=standard).first()
        if step is None:
            raise CommandError(f"The organiser's assessment scale has no step {standard}.")
        year, term = current_term(self.today)
        data = {"subject": subject.pk, "year": year, "term": term, "step": step.pk, "comment": comment}
        form = _valid(SummativeForm(data, scale=scale, pupil=pupil), "summative assessment")
        assessment = actions.create_summative(self.teacher, pupil, self.school, form.cleaned_data)
        actions.publish_summative(assessment, self.teacher)
        self.counts["summatives"] += 1
        self.say(f"Summative assessment {assessment} for {pupil.username}: {step}, published")


class Command(BaseCommand):
    help = "Give the demo class 7A plans, general information and assessments, written by the demo teacher."

    def handle(self, *args, verbosity=1, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo_documents only runs with DEBUG on: it writes invented demo documents.")
        group = (
            PupilGroup.objects.filter(school__organiser__external_id=ORGANISER_ID, name=CLASS)
            .select_related("school__organiser")
            .first()
        )
        teacher = User.objects.filter(username=TEACHER).first()
        if group is None or teacher is None:
            raise CommandError("The demo municipality is missing: run seed_demo first.")
        if Plan.objects.filter(created_by=teacher, groups=group, title=SVENSKA["title"]).exists():
            if verbosity:
                self.stdout.write(f"The demo documents for {CLASS} already exist; nothing changed.")
            return
        seeder = Seeder(teacher, group, self.stdout, verbosity)
        with transaction.atomic(), set_actor(teacher):
            seeder.build()
        if verbosity:
            counts = seeder.counts
            self.stdout.write(
                f"Created {counts['plans']} plans for {CLASS} ({counts['published']} published with rubrics), "
                f"{counts['announcements']} piece of general information, {counts['marks']} rubric marks, "
                f"{counts['entries']} learning log entry and {counts['summatives']} published summative "
                f"assessments, written by {TEACHER}."
            )
