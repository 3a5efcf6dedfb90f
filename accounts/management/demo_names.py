"""Invented name material for ``seed_demo``: common Swedish first and last names,
combined at random, so no demo person is a real one."""

FEMALE_NAMES = (
    "Agnes", "Alice", "Alma", "Anna", "Astrid", "Bodil", "Cecilia", "Ebba", "Elin", "Ella", "Ellen", "Elsa",
    "Emilia", "Emma", "Frida", "Greta", "Hanna", "Hedda", "Ida", "Ines", "Ingrid", "Johanna", "Julia", "Karin",
    "Klara", "Lena", "Lilly", "Linnea", "Lova", "Maja", "Malin", "Maria", "Matilda", "Meja", "Moa", "Nora",
    "Olivia", "Ronja", "Saga", "Sara", "Selma", "Signe", "Siri", "Sofia", "Stina", "Svea", "Tilda", "Tove",
    "Tyra", "Vera", "Vilma", "Wilma", "Åsa", "Yasmin", "Amira", "Leila", "Nadia", "Aisha", "Mira", "Noor",
)  # fmt: skip

MALE_NAMES = (
    "Adam", "Albin", "Alexander", "Alfred", "Anton", "Arvid", "August", "Axel", "Björn", "Carl", "Casper",
    "Daniel", "David", "Elias", "Emil", "Erik", "Filip", "Gustav", "Hampus", "Hugo", "Isak", "Jakob", "Joel",
    "Johan", "Jonas", "Kalle", "Leo", "Liam", "Linus", "Ludvig", "Lukas", "Magnus", "Malte", "Markus", "Mats",
    "Melvin", "Milo", "Måns", "Nils", "Noah", "Olle", "Oliver", "Oskar", "Per", "Rasmus", "Sigge", "Sixten",
    "Sven", "Theo", "Ture", "Valter", "Viggo", "Vincent", "William", "Ali", "Omar", "Yusuf", "Karim", "Amir",
)  # fmt: skip

LAST_NAMES = (
    "Andersson", "Axelsson", "Berg", "Berggren", "Berglund", "Björk", "Blom", "Dahl", "Ek", "Ekström",
    "Engström", "Eriksson", "Falk", "Forsberg", "Fransson", "Gustafsson", "Hansson", "Hedlund", "Holm",
    "Holmberg", "Håkansson", "Isaksson", "Jakobsson", "Johansson", "Jonsson", "Karlsson", "Lund", "Lindberg",
    "Lindgren", "Lindqvist", "Lindström", "Ljung", "Lundgren", "Lundin", "Magnusson", "Mattsson", "Nilsson",
    "Norberg", "Nordin", "Nyberg", "Nyström", "Olofsson", "Persson", "Pettersson", "Sandberg", "Sjöberg",
    "Strand", "Ström", "Sundberg", "Svensson", "Söderberg", "Wallin", "Wikström", "Åberg", "Öberg", "Hassan",
    "Ahmed", "Ali", "Mohammed", "Nguyen", "Kovač", "Novak", "Virtanen", "Korhonen", "Yilmaz", "Demir",
)  # fmt: skip
