"""A small ProCapita-style export: the same school as world.py, as four CSV files."""

from .world import personnummer

PUPILS = [
    ["ElevID", "Personnummer", "Förnamn", "Efternamn", "E-post", "Skyddad identitet"],
    ["E1", personnummer("20130415", "238"), "Pia", "Elev", "pia@example.se", "Nej"],
    ["E2", personnummer("20130520", "123"), "Olle", "Klasskamrat", "", "Nej"],
    ["E3", "20130101TF01", "Åsa", "Öberg", "", "Ja"],
]
GUARDIANS = [
    ["VhID", "Personnummer", "Förnamn", "Efternamn", "E-post", "ElevID", "Vårdnad"],
    ["V1", personnummer("19800101", "123"), "Gustav", "Vårdnadshavare", "gustav@example.se", "E1", "Ja"],
    ["V2", personnummer("19820202", "234"), "Greta", "Utanvårdnad", "", "E1", "Nej"],
    ["V1", personnummer("19800101", "123"), "Gustav", "Vårdnadshavare", "gustav@example.se", "E3", "Ja"],
    ["V3", "", "Ulla", "Okänd", "", "E99", "Ja"],
]
GROUPS = [
    ["GruppID", "Gruppnamn", "Grupptyp", "Skolenhetskod", "Skolenhet", "Skolform", "Årskurs", "Läsår", "ElevID"],
    ["G7A", "7A", "Klass", "12345678", "Ekbackens skola", "GR", "7", "2026/27", "E1"],
    ["G7A", "7A", "Klass", "12345678", "Ekbackens skola", "GR", "7", "2026/27", "E2"],
    ["G7B", "7B", "Klass", "12345678", "Ekbackens skola", "GR", "7", "2026/27", ""],
    ["GFH", "Fritids Ekan", "Fritids", "12345678", "Ekbackens skola", "FH", "", "2026/27", "E3"],
]
STAFF = [
    ["PersonalID", "Personnummer", "Förnamn", "Efternamn", "E-post"]
    + ["Skolenhetskod", "Befattning", "GruppID", "Grupproll"],
    ["P1", personnummer("19750303", "345"), "Tove", "Lärare", "tove@example.se", "12345678", "Lärare", "G7A", "Lärare"],
    ["P2", personnummer("19700404", "456"), "Magnus", "Mentor", "", "12345678", "Lärare", "G7A", "Mentor"],
    ["P3", personnummer("19650505", "567"), "Rut", "Rektor", "", "12345678", "Rektor", "", ""],
]


def render(rows, separator=";", encoding="utf-8"):
    def cell(value):
        return f'"{value}"' if separator in value or '"' in value else value

    text = "\r\n".join(separator.join(cell(value) for value in row) for row in rows) + "\r\n"
    return text.encode(encoding)


def write(folder, separator=";", encoding="utf-8", tables=None):
    folder.mkdir(parents=True, exist_ok=True)
    tables = tables or {"elever": PUPILS, "vardnadshavare": GUARDIANS, "grupper": GROUPS, "personal": STAFF}
    paths = []
    for name, rows in tables.items():
        path = folder / f"{name}.csv"
        path.write_bytes(render(rows, separator, encoding))
        paths.append(str(path))
    return paths
