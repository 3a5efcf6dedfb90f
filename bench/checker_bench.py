"""Throughput and latency of the content checker.

    python bench/checker_bench.py

Builds a 1 MB text of typical teacher sentences (80 % generated ordinary
feedback, 20 % look-alikes such as "frånvaro av ljus", "betyget E" in criteria,
"sjukdomar som diabetes", plus a few forbidden sentences and HTML) and reports
throughput in MB/s on the whole text (target >= 5 MB/s); then the same for a
worst case made only of look-alike and forbidden sentences and the median and 95th percentile latency of one
check of a typical 2 KB text. Word lists only, no database.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unikum.settings")

SENTENCES = [
    "Du har en tydlig inledning och använder sambandsord på ett bra sätt.",
    "Nästa steg är att utveckla dina argument med fler exempel ur källorna.",
    "Eleven kan föra välutvecklade resonemang om religioners betydelse för individ och samhälle.",
    "Vi arbetar med ekvationer, funktioner och sannolikhet under veckorna 10–14.",
    "Biologi: människans organsystem, sjukdomar som diabetes och astma samt hur levnadsvanor påverkar hälsan.",
    "Kemi: eleverna undersöker hur reaktionshastigheten förändras i närvaro av en katalysator.",
    "Bedömningen utgår från betygskriterierna i svenska för åk 7–9.",
    "Hugo använder ett varierat ordförråd i sina engelska texter.",
    "Saga kan redogöra för vattnets kretslopp med korrekta begrepp.",
    "Geografi: vi arbetar med latitud och longitud och lär oss läsa kartor över Latinamerika.",
    "Matematik: diagnostiskt prov i bråk vecka 38. Resultatet används för att planera undervisningen.",
    "Vid utvecklingssamtalet kom vi överens om att Molly ska träna multiplikationstabellerna.",
    "Kunskapskraven för betyget E, C och A beskrivs i bilagan.",
    "Läs sidorna 112–145 i fysikboken till nästa vecka.",
    "<p>Vecka 45–48: <strong>Argumenterande tal</strong>. Eleverna skriver och framför ett tal.</p>",
    "<ul><li>Styrka: tydlig disposition</li><li>Utveckla: fler exempel</li></ul>",
    "Olivia läser skönlitteratur och sakprosa med flyt och kan sammanfatta innehållet.",
    "Ring 070-123 45 67 om du har frågor om planeringen.",
    # a few that the checker must stop
    "Eleven är lat.",
    "Han har hög frånvaro.",
    "Hon får betyget C.",
    "Johan har ADHD.",
]
VOCABULARY = [
    "analys",
    "argument",
    "begrepp",
    "bedömning",
    "beskriver",
    "centralt",
    "diskussion",
    "exempel",
    "faktatext",
    "förmåga",
    "genomför",
    "historia",
    "hypotes",
    "innehåll",
    "jämförelse",
    "kartor",
    "källor",
    "laboration",
    "metod",
    "modell",
    "naturen",
    "observation",
    "perspektiv",
    "problemlösning",
    "resonemang",
    "samband",
    "slutsats",
    "struktur",
    "tolkning",
    "undersökning",
    "utvecklar",
]


NAMES = ["Alva", "Hugo", "Saga", "Liam", "Maja", "Noah", "Elsa", "Oscar", "Wilma", "Nils", "Ebba", "Leo"]
OPENERS = ["Du", "Eleven", "{name}", "Vi", "Klassen", "Gruppen"]
VERBS = [
    "beskriver",
    "förklarar",
    "jämför",
    "analyserar",
    "redovisar",
    "diskuterar",
    "tolkar",
    "undersöker",
    "sammanfattar",
    "värderar",
]
QUALITIES = [
    "tydligt",
    "utförligt",
    "med",
    "god",
    "säkerhet",
    "på",
    "ett",
    "nyanserat",
    "sätt",
    "med",
    "relevanta",
    "exempel",
    "översiktligt",
]


def ordinary_sentence(rng) -> str:
    """A generated, ordinary feedback or planning sentence."""
    opener = rng.choice(OPENERS).format(name=rng.choice(NAMES))
    words = rng.choices(VOCABULARY, k=rng.randint(3, 8))
    return f"{opener} {rng.choice(VERBS)} {' '.join(words)} {rng.choice(QUALITIES)}."


def build_text(size: int, seed: int = 7, dense: bool = False) -> str:
    """Typical text: mostly ordinary sentences, some look-alikes, a few forbidden ones.

    dense=True: only the look-alike and forbidden sentences (a worst case).
    """
    rng = random.Random(seed)
    parts, length = [], 0
    while length < size:
        sentence = ordinary_sentence(rng) if not dense and rng.random() < 0.8 else rng.choice(SENTENCES)
        parts.append(sentence)
        length += len(sentence.encode("utf-8")) + 1
    return " ".join(parts)


def main():
    import django

    django.setup()
    from unikum.content.checker import check, file_lexicon

    lexicon = file_lexicon()
    check("Uppvärmning av lexikonet.", lexicon=lexicon)

    for label, dense in (("typical", False), ("dense look-alikes", True)):
        big = build_text(1_000_000, dense=dense)
        megabytes = len(big.encode("utf-8")) / 1_000_000
        runs = []
        for _ in range(3):
            lexicon.forget_sentences()  # each run as if the text were new (no sentence seen before)
            started = time.perf_counter()
            findings = check(big, lexicon=lexicon)
            runs.append(time.perf_counter() - started)
        best, median = min(runs), statistics.median(runs)
        print(
            f"1 MB {label} text ({megabytes:.2f} MB, {len(findings)} findings): "
            f"best {best * 1000:.0f} ms, {megabytes / best:.1f} MB/s; median {megabytes / median:.1f} MB/s"
        )

    samples = [build_text(2_000, seed=seed) for seed in range(200)]
    lexicon.forget_sentences()  # then as in a server: sentences seen in earlier texts are remembered
    latencies = []
    for sample in samples:
        started = time.perf_counter()
        check(sample, lexicon=lexicon)
        latencies.append(time.perf_counter() - started)
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95)]
    print(f"2 KB text: median {statistics.median(latencies) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms")

    cold = build_text(2_000, seed=999)
    started = time.perf_counter()
    check(cold + " Ett helt nytt ord: fotosyntesreaktion.", lexicon=lexicon)
    print(f"2 KB text with unseen words: {(time.perf_counter() - started) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
