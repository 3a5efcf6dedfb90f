"""Throughput and latency of the content checker.

    python bench/checker_bench.py [--runs 5]

Throughput in MB/s (median of several runs, each as if the text were new) on

* the ``ok`` rows of both development corpora, repeated to 1 MB (realistic teacher
  text, dense with look-alikes: "frånvaro av ljus", "betyget E" in criteria, "Latin"),
* long running prose: 1 MB of paragraphs of narrative and descriptive sentences,
* a generated 1 MB text of typical feedback (80 % ordinary, 20 % look-alikes and a few
  forbidden sentences) and a worst case of look-alike and forbidden sentences only;

then the median and 95th percentile latency of one check of a 2 KB text (each text's
best of five). Times are this process's CPU time (one core), so that other processes on a
shared machine do not count. Target:
>= 10 MB/s, 2 KB under 1 ms p95. Word lists only, no database.
"""

import argparse
import csv
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


PROSE = [
    "Det hade regnat hela natten, och när morgonen kom låg dimman tät över sjön.",
    "Familjen bodde i ett gult hus vid vägen, där bussen stannade två gånger om dagen.",
    "Mormor brukade berätta om vintrarna då snön räckte ända upp till fönstren.",
    "På lördagarna cyklade vi till torget för att köpa bröd, ost och färska jordgubbar.",
    "Skogen bakom skolan var full av stigar som ingen riktigt visste vart de ledde.",
    "Han stod länge vid fönstret och såg hur ljuset långsamt försvann bakom bergen.",
    "I köket luktade det kanel, och radion spelade en gammal visa som alla kunde.",
    "Hon packade ryggsäcken med en karta, en ficklampa och en termos med varm choklad.",
    "Vägen slingrade sig genom byn, förbi kyrkan, affären och den gamla smedjan.",
    "När vi kom fram till stugan var elden redan tänd och bordet dukat för sex personer.",
    "Floden steg varje vår, och då fick båtarna dras upp på land långt från stranden.",
    "De gick tyst genom den stora salen, där taket var målat med stjärnor och moln.",
    "Varje sommar kom fåglarna tillbaka och byggde bo under takfoten på ladan.",
    "Staden vaknade sakta; en spårvagn gnisslade i kurvan och kaféerna öppnade.",
    "Brevet hade legat i lådan i många år innan någon öppnade det och läste.",
    "Vinden ven kring knuten, och i fjärran hördes ett tåg som närmade sig stationen.",
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


CORPORA = [Path(__file__).resolve().parents[2] / "shared" / "checker", Path("/work/shared/checker")]


def ok_rows() -> list[str]:
    """The ok rows of the development corpora that are on this machine."""
    rows = []
    for name in ("dev_corpus.tsv", "dev_corpus_2.tsv"):
        path = next((folder / name for folder in CORPORA if (folder / name).exists()), None)
        if path is None:
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            rows += [row[1] for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE) if row[0] == "ok"]
    return rows


def repeated(parts: list[str], size: int, separator: str) -> str:
    block = separator.join(parts) + separator
    return block * (size // len(block.encode("utf-8")) + 1)


def prose(size: int, seed: int = 3) -> str:
    """Paragraphs of narrative sentences, as in a long story or a pupil's essay."""
    rng = random.Random(seed)
    paragraphs, length = [], 0
    while length < size:
        paragraph = " ".join(rng.sample(PROSE, rng.randint(4, 9)))
        paragraphs.append(paragraph)
        length += len(paragraph.encode("utf-8")) + 2
    return "\n\n".join(paragraphs)


def throughput(label, text, lexicon, check, runs):
    megabytes = len(text.encode("utf-8")) / 1_000_000
    times = []
    for _ in range(runs):
        lexicon.forget_sentences()  # each run as if the text were new (no sentence seen before)
        started = time.process_time()
        findings = check(text, lexicon=lexicon)
        times.append(time.process_time() - started)
    print(
        f"{label:28} {megabytes:5.2f} MB {len(findings):5} findings: "
        f"median {megabytes / statistics.median(times):5.1f} MB/s, best {megabytes / min(times):5.1f} MB/s"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import django

    django.setup()
    from unikum.content.checker import check, file_lexicon

    lexicon = file_lexicon()
    check("Uppvärmning av lexikonet.", lexicon=lexicon)

    texts = []
    oks = ok_rows()
    if oks:
        texts.append(("corpus ok rows, repeated", repeated(oks, 1_000_000, "\n")))
    texts.append(("long running prose", prose(1_000_000)))
    texts.append(("generated typical", build_text(1_000_000)))
    texts.append(("generated dense look-alikes", build_text(1_000_000, dense=True)))
    for label, text in texts:
        throughput(label, text, lexicon, check, args.runs)

    samples = [build_text(2_000, seed=seed) for seed in range(200)]
    lexicon.forget_sentences()  # then as in a server: sentences seen in earlier texts are remembered
    latencies = []
    for sample in samples:
        best = None
        for _ in range(5):
            started = time.process_time()
            check(sample, lexicon=lexicon)
            elapsed = time.process_time() - started
            best = elapsed if best is None else min(best, elapsed)
            lexicon.forget_sentences()
        latencies.append(best)
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95)]
    print(f"2 KB text: median {statistics.median(latencies) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms")

    cold = build_text(2_000, seed=999)
    started = time.process_time()
    check(cold + " Ett helt nytt ord: fotosyntesreaktion.", lexicon=lexicon)
    print(f"2 KB text with unseen words: {(time.process_time() - started) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
