"""Swedish inflection, generated when the lexicon loads.

A lexicon word written as ``lemma/a`` (adjective), ``lemma/n`` (common-gender noun),
``lemma/nn`` (neuter noun) or ``lemma/v`` (verb, infinitive) stands for every form of it, so
nothing is stemmed or guessed while a text is checked: ``omogen/a`` is omogen, omoget, omogna,
omognare, omognast, omognaste; ``svartskalle/n`` is svartskalle, svartskallen, svartskallar,
svartskallarna and their genitives. The rules over-generate a little (a form that is not a
word never occurs in a text) but never produce a shorter, ordinary word.
"""

_VOWELS = "aeiouyåäö"


def _adjective(word: str) -> set[str]:
    forms = {word}
    if word.endswith(("ande", "ende")) or not word.isalpha():  # present participles, loans with a hyphen
        return forms | {word + "s"}
    if word.endswith("ad"):  # organiserad: participles compare with mer/mest
        return forms | {word[:-1] + "t", word + "e", word + "es"}
    if word.endswith("en") and len(word) > 4:  # omogen, tystlåten, mogen
        stem = word[:-2] + "n"
        return forms | {word[:-1] + "t", stem + "a", stem + "are", stem + "ast", stem + "aste"}
    if word.endswith(("el", "er")) and len(word) > 4 and word[-3] not in _VOWELS:  # enkel, mager
        stem = word[:-2] + word[-1]
        return forms | {word + "t", stem + "a", stem + "are", stem + "ast", stem + "aste"}
    if word[-1] in _VOWELS:  # slö, go
        return forms | {word + "tt", word + "a", word + "are", word + "ast", word + "aste"}
    if word.endswith("dd"):  # högljudd
        neuter = word[:-2] + "tt"
    elif word.endswith("d") and word[-2] not in _VOWELS:  # bortskämd
        neuter = word[:-1] + "t"
    elif word.endswith("t") and word[-2] in _VOWELS:  # lat, söt
        neuter = word + "t"
    elif word.endswith("t"):  # arrogant, smart
        neuter = word
    else:
        neuter = word + "t"
    stem = word
    if word[-1] in "mn" and word[-2] in _VOWELS and (len(word) <= 4 or word.endswith("sam")):  # dum, ensam
        stem = word + word[-1]
    return forms | {neuter, stem + "a", stem + "e", stem + "are", stem + "ast", stem + "aste"}


def _noun(word: str, neuter: bool) -> set[str]:
    if neuter:
        if word[-1] in _VOWELS:  # pucko: puckot, puckon, puckona
            forms = {word, word + "t", word + "n", word + "na"}
        else:  # kräk: kräket, kräken, kräkena
            forms = {word, word + "et", word + "en", word + "ena"}
    elif word.endswith("are"):  # drömmare: drömmaren, drömmarna
        forms = {word, word + "n", word[:-1] + "na"}
    elif word.endswith("e"):  # svartskalle: svartskallen, svartskallar, svartskallarna
        stem = word[:-1]
        forms = {word, word + "n", stem + "ar", stem + "arna", stem + "er", stem + "erna"}
    elif word.endswith("a"):  # kärring-like nouns in -a: slampa, slampan, slampor, slamporna
        stem = word[:-1]
        forms = {word, word + "n", stem + "or", stem + "orna"}
    elif word.endswith("el") and word[-3] not in _VOWELS:  # äckel-like common nouns: fågel, fåglar
        stem = word[:-2] + "l"
        forms = {word, word + "n", stem + "ar", stem + "arna"}
    else:  # idiot, tjockis, perfektionist: both plural declensions
        doubled = word + word[-1] if word[-1] in "mn" and word[-2] in _VOWELS and len(word) <= 4 else word
        forms = {word, doubled + "en", doubled + "ar", doubled + "arna", doubled + "er", doubled + "erna"}
    return forms | {form + "s" for form in forms if not form.endswith("s")}


def _verb(word: str) -> set[str]:
    """From the infinitive: both weak conjugations and the present participle (strong forms are listed)."""
    if word[-1] != "a":  # bo, tro: bor, bodde, bott
        return {word, word + "r", word + "dde", word + "tt", word + "ende", word + "s"}
    stem = word[:-1]
    forms = {word, word + "r", word + "de", word + "t", word + "nde", word + "s", stem + "ar", stem + "er"}
    forms |= {stem + "de", stem + "te", stem + "t", stem + "s", stem + "ande"}
    if stem.endswith(("r", "l")):  # gnälla: gnäller, gnällde; stör(a): stör, störde
        forms.add(stem)
    return forms


GENERATORS = {"a": _adjective, "n": lambda w: _noun(w, False), "nn": lambda w: _noun(w, True), "v": _verb}


def inflect(lemma: str, kind: str) -> tuple[str, ...]:
    """Every form of ``lemma`` (lowercase) as a word of ``kind`` (a, n, nn, v), the lemma first."""
    try:
        generate = GENERATORS[kind]
    except KeyError:
        raise ValueError(f"unknown word kind /{kind} (a, n, nn, v)") from None
    lemma = lemma.lower()
    return (lemma, *sorted(generate(lemma) - {lemma}))
