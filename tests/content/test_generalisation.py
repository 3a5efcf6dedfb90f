"""Generalisation: hand-written cases beyond the dev corpus, written as the policy owner would.

Inflections and compounds of the value words, positive judgements, slurs, the many ways teachers
write about absence, grades, health, family, religion and origin -- each with look-alikes that must
pass (curriculum content, assessment wording, words said of a thing and not a person).
"""

import pytest

from unikum.content import check, plain_text
from unikum.content.checker import file_lexicon
from unikum.content.lexicon import _sentence

POSITIVE = {
    "value_judgement": [
        "Melker är slarvig och lämnar ofta in halvfärdiga uppgifter.",
        "Jesper är lättjefull och gör minsta möjliga.",
        "Vilgot är bortskämd och van att få som han vill.",
        "Elsa är gnällig på lektionerna.",
        "Hugo är väldigt pratig.",
        "Han verkar ointresserad som person.",
        "Kevin är den stökigaste eleven i gruppen.",
        "Det är en besvärlig elev.",
        "Mamman var besvärlig på mötet.",
        "Hon är en ljuspunkt i klassen.",
        "Nora är en härlig tjej.",
        "Sixten är en go kille.",
        "Alva är en underbar elev.",
        "Han är latare än de andra.",
        "Hon är slarvigare nu än i höstas.",
        "Eleven är trotsig och omogen för sin ålder.",
        "Wilmer är omotiverad och lat.",
        "Du är en sådan gullig tjej.",
        "Han är en charmig kille.",
        "Vårdnadshavaren är otrevlig och aggressiv.",
        "Omar är latast i klassen.",
        "Han är ofokuserad och rörig.",
        "Hon är så otroligt jobbig.",
        "Maja är snäll och omtänksam.",
        "Isak är en skötsam elev.",
        "Hon är en fantastisk människa.",
        "Noah är stökig och störande.",
        "Hon är envis och självisk.",
        "Hugo är provocerande mot vuxna.",
        "Han är respektlös mot personalen.",
        "Han är en jobbig unge.",
        "Elias är besvärligast i hela gruppen.",
        "Ellen är blyg och tystlåten.",
        "Han är en glad och go kille.",
        "Kasper är en latmask.",
        "Alexander är ouppmärksam och virrig.",
        "Hon är den snällaste tjejen i klassen.",
        "Peter verkar omotiverad.",
        "Han kan vara väldigt trotsig.",
        "Malte är en riktig pratkvarn.",
        "Eleven är en fröjd att undervisa.",
        "Selma är ett solsken.",
        "Hon är en mycket trevlig och ambitiös tjej.",
        "Han är en riktig clown.",
        "Pappan verkar oengagerad och likgiltig.",
        "Hampus är lat, slarvig och ointresserad.",
        "<p>Oliver är <em>stök</em>ig.</p>",
        "Han är OMOGEN för sin ålder.",
        "Eleven är en slarver.",
        "Du är en sån latmask.",
        "Han är lite av en besserwisser.",
        "Lo är en mycket ambitiös och duktig elev som alla tycker om.",
        "Hon är en go och glad tjej.",
        "Liv är en härlig person.",
    ],
    "offensive": [
        "Han är en jävla idiot.",
        "Hon är helt jävla värdelös.",
        "Eleven är ett pucko.",
        "Vilken idiоt.",
        "Han är en IDIOT.",
        "Han beter sig som en idiot.",
        "Pappan är en skitstövel.",
        "Ungen är helt efterbliven.",
        "Hon är en riktig bitch.",
        "Din jävel.",
        "Han kallade läraren för hora.",
        "Han är ett rövhål.",
        "Han är en fucking idiot.",
        "Hon är en slampa.",
        "Han är en knäppskalle.",
        "Han är en apjävel.",
        "Eleven är rent ut sagt efterbliven.",
        "Han kallade henne fitta.",
        "Han är en jäkla tönt.",
        "Ellen är ouppfostrad mot sina kamrater.",
        "Han är en mupp.",
        "Han kallade en kamrat för spasse.",
        "Pappan är en pundare.",
        "Han är en ＩＤＩＯＴ.",
        "Eleven är korkad som en dörr.",
        "Han är fan helt dum i huvudet.",
        "Vilket jävla pucko.",
        "Han betedde sig som ett djur på rasten.",
        "Han är en mongo.",
        "Hon är en idi\u200bot.",
        "De är ett gäng ouppfostrade ungar.",
        "Han är en hjärndöd tönt.",
        "Han kallade kamraten för blatte.",
    ],
    "attendance": [
        "Eleven har mycket ogiltig frånvaro.",
        "Hon var borta tre dagar förra veckan.",
        "Han är anmäld sjuk idag.",
        "Familjen tar ledigt för en resa till Thailand.",
        "Närvaron ligger på 80 procent.",
        "Han kommer ofta sent.",
        "Hon har skolkat från matten.",
        "Han kom en kvart för sent.",
        "Hon har varit hemma sjuk hela veckan.",
        "Han smet från lektionen.",
        "Eleven är ofta borta på måndagar.",
        "Han kommer sällan i tid.",
        "Hon var bortrest två veckor i mars.",
        "Han tog ledigt för att åka till Turkiet.",
        "Eleven har missat halva terminen.",
        "Han har missat mycket av undervisningen.",
        "Han har varit ledig för en utlandsresa.",
        "Närvarograden var 82 %.",
        "Hon uteblev från provet.",
        "Ledighet beviljad v. 12.",
        "Han har varit sjuk i tre veckor.",
        "Skolket har ökat under våren.",
        "Hon har många sena ankomster.",
        "Han kommer ofta för sent till första lektionen.",
        "Hon har ogiltigt frånvarat vid fyra tillfällen.",
        "Han var frånvarande vid provet.",
        "Eleven har varit borta mycket på grund av sjukdom.",
        "Han dyker sällan upp på lektionerna.",
        "Hon hade 15 % frånvaro under höstterminen.",
        "Eleven lämnade lektionen utan lov.",
        "Hon har varit borta 12 dagar.",
    ],
    "grade_setting": [
        "Hon landar på ett C.",
        "Betyget blir E.",
        "F i matte.",
        "Han kommer att få A i engelska.",
        "Betygsprognos: B",
        "Jag har satt betyg D.",
        "Satt betyg: D",
        "Hon är på väg mot ett C.",
        "Han är på väg mot betyget A.",
        "Eleven ligger nära ett B.",
        "Han har E i matematik.",
        "Prognosen är ett B.",
        "Hon har höjt sig till ett B.",
        "Han får ett svagt C.",
        "Slutbetyg: A",
        "Hon har fått godkänt i alla ämnen.",
        "Han höjer sig från D till B.",
        "Preliminärt betyg: C",
        "Vi sätter ett B den här terminen.",
        "Svenska = B",
        "Hon får ett starkt B i historia.",
        "Betyg i svenska: C",
        "Terminsbetyg: C",
        "Eleven får betyget F.",
        "Han har fått ett F i kemi.",
        "Hon kommer troligen att få ett C.",
        "Hon hamnar på ett D i år.",
        "Matematik: E",
        "Han fick IG i svenska.",
        "Eleven bedöms nå betyget C.",
        "Han har ett stabilt C i idrott.",
        "Betyget höjs till B.",
        "Hon står på ett A just nu.",
    ],
    "sensitive": [
        "Han har autism.",
        "Utredning pågår för ADHD.",
        "Hon medicinerar mot ångest.",
        "Eleven medicinerar.",
        "Han bor växelvis hos mamma och pappa.",
        "Föräldrarna skiljer sig.",
        "Föräldrarna har skilt sig.",
        "Socialtjänsten är inkopplad.",
        "Han är muslim.",
        "Hon fastar under ramadan.",
        "Eleven är adopterad.",
        "Han har en funktionsnedsättning.",
        "Hon är homosexuell.",
        "Familjen har LSS-insatser.",
        "Mamman kommer från Somalia.",
        "Familjen är från Syrien.",
        "Pappan är född i Irak.",
        "Eleven har diabetes typ 1.",
        "Han går på medicin för sin ADHD.",
        "Pappan är alkoholist.",
        "Eleven har psykisk ohälsa.",
        "Han är deprimerad.",
        "Hon har ätstörningar.",
        "Mamman är sjuk i cancer.",
        "Han identifierar sig som ickebinär.",
        "Mamman är irakisk.",
        "Eleven har skyddad identitet.",
        "Pappan har utvisats.",
        "Familjen har fått avslag på sin asylansökan.",
        "Familjen kommer ursprungligen från Afghanistan.",
        "Han bor hos sin mormor sedan i höstas.",
        "Han har en NPF-diagnos.",
        "Hon har fått diagnosen ADD.",
        "Eleven går på korttidsboende varannan helg.",
        "Han har personlig assistent.",
        "Familjen är kristen och eleven deltar inte i skolavslutningen.",
        "Eleven har flytt från Eritrea.",
        "Han är kurd från Irak.",
        "Pappan är polsk.",
        "Hon är född i Sverige men familjen kommer från Iran.",
        "Hon mår psykiskt dåligt.",
        "Han är diagnostiserad med dyslexi.",
        "Hon har en hörselnedsättning.",
        "Han har epilepsi.",
        "Eleven har en utvecklingsstörning.",
        "Mamman har cancer.",
    ],
}

# Second round: phrasings found missing after the first.
POSITIVE["value_judgement"] += [
    "Hon upplevs som slarvig av sina lärare.",
    "Han beter sig omoget i grupp.",
    "Eleven uppfattas som lat.",
    "Han har ett bråkigt beteende.",
    "Hon har en jobbig attityd.",
    "Han har dålig attityd.",
    "Vi upplever honom som stökig.",
    "Är ofta ofokuserad och pratig.",
    "Eleven är så duktig och gullig.",
    "Kalle är en toppenkille.",
    "Hon är en toppentjej.",
    "Han är en skitbra kille.",
    "Han är världens snällaste kille.",
    "Hon är en fin tjej.",
    "Vilken härlig unge!",
    "Föräldrarna är curlingföräldrar.",
    "Du är för slarvig.",
    "Hon är alldeles för pratsam.",
    "Han är inte särskilt smart.",
    "Hon är begåvad.",
    "Han är smart men lat.",
    "Eleven är intelligent.",
    "Hon är en dålig elev.",
    "Han är en svag elev.",
    "Han har kort stubin.",
    "Hon är en clown.",
]
POSITIVE["attendance"] += [
    "Eleven har många frånvarotimmar.",
    "Hon kommer för sent nästan varje dag.",
    "Han har skolkat från flera lektioner.",
    "Eleven har ej närvarat på lektionerna.",
    "Han har inte varit i skolan sedan jullovet.",
    "Hon var inte på plats vid provet.",
    "Han kom 20 min sent.",
    "Hon kommer sent varje morgon.",
    "Han har varit borta mycket.",
    "Eleven har varit ledig två veckor för en resa.",
    "Han har haft långa perioder av frånvaro.",
]
POSITIVE["grade_setting"] += [
    "Han får troligen ett E.",
    "Hon ligger på B-nivå.",
    "Eleven når betyget C.",
    "Hon kommer att få underkänt.",
    "Betyg: A",
    "Han kan få ett A om han kämpar.",
    "Hon bör få ett C i slutet av terminen.",
    "Han ligger mellan C och A.",
    "Jag tänker sätta ett D.",
    "Hon ligger just nu på E-nivå.",
    "Eleven har betyget B i idrott.",
    "Hans betyg blir troligen F.",
]
POSITIVE["sensitive"] += [
    "Eleven har en NPF-problematik.",
    "Pappan har cancer och ligger på sjukhus.",
    "Mamman har psykiska problem.",
    "Familjen är troende muslimer.",
    "Han firar inte jul.",
    "Familjen lever på försörjningsstöd.",
    "Han är placerad på HVB-hem.",
    "Föräldrarna är separerade.",
    "Han är utredd för autism.",
    "Hon har en trasig familjesituation.",
    "Eleven är nyanländ från Syrien.",
    "Mamman är ensamstående.",
    "Hon har fått en diagnos inom autismspektrumet.",
    "Han är transperson.",
    "Hon har anorexi.",
    "Familjen har ekonomiska problem.",
    "Eleven har celiaki och får specialkost.",
    "Han är allergisk mot nötter.",
]
POSITIVE["offensive"] += [
    "Han är en riktig idiot.",
    "Vilken jävla unge.",
    "Hon är sämst i klassen.",
    "Eleven beter sig som en vilde.",
    "Han är helt hopplös.",
    "Hon är ett skämt.",
    "Han är en parasit.",
    "Eleven är ett misslyckande.",
    "Han är en förlorare.",
    "Hon är korkad ibland.",
]

POSITIVE["value_judgement"] += [
    "Ellen: stökig och pratig.",
    "Eleven – omotiverad och trött.",
    "Bra jobbat, Hugo! Du är en stjärna.",
    "<p>Melker är <b>LÄTTJEFULL</b>.</p>",
    "Eleven är en riktig ljus\u200bpunkt.",
]
POSITIVE["sensitive"] += ["MAMMAN KOMMER FRÅN SOMALIA.", "Familjen kommer från Afgh\u00adanistan."]
POSITIVE["grade_setting"] += ["<p>Hon är på väg mot ett <em>C</em>.</p>"]

# Look-alikes: legitimate assessment and planning text, and the same words about a thing.
NEGATIVE = [
    "Texten är slarvig i slutet.",
    "Uppgiften var jobbig men lärorik.",
    "Lektionen var stökig eftersom brandlarmet gick.",
    "Resultatet blev besvärligt att tolka.",
    "Diagrammet är rörigt och saknar rubrik.",
    "Din inledning är lite tråkig; försök fånga läsaren direkt.",
    "Huvudpersonen i novellen är bortskämd och självisk.",
    "I romanen beskrivs pojken som lat och trotsig.",
    "Eleven kan resonera om vad som gör en text tråkig eller spännande.",
    "Vilken härlig dag det var på friluftsdagen!",
    "Matte är roligt, tycker eleverna.",
    "Svenska är ett roligt ämne.",
    "Jesper har skrivit en rolig och spännande berättelse.",
    "Du kan utveckla dina argument så att texten blir mindre rörig.",
    "Eleven gör en noggrann och strukturerad analys.",
    "Eleven visar goda kunskaper och resonerar utvecklat.",
    "Hon kan med viss säkerhet beskriva förloppet.",
    "Kaffe är gott men innehåller koffein.",
    "Fotboll är roligt, säger många elever.",
    "Programmering är roligt och utmanande.",
    "Vi läser om djur i Afrika, bland annat apor och elefanter.",
    "Biologi: apor, människoapor och evolution.",
    "Vi läste om Pippi och hennes apa Herr Nilsson.",
    "Eleven skriver en faktatext om grisar och svin.",
    "Matematik: mängden av alla negativa tal.",
    "Vi läser om förintelsen och hur språket användes för att förnedra människor.",
    "Kemi: reaktionen sker i närvaro av syre.",
    "Vi kommer sent i terminen att arbeta med poesi.",
    "Sen fortsätter vi med kapitel 4.",
    "Vi gick hem från museet efter lunch.",
    "Vi var borta på studiebesök på Tekniska museet.",
    "Pengarna var borta när vi kom tillbaka.",
    "Kom i tid till provet – vi börjar 8.15.",
    "Eleverna kommer att få mer tid till projektet.",
    "Kom ihåg att ta med idrottskläder.",
    "I programmering kan en frånvarande variabel ge ett felmeddelande.",
    "Betygskriterierna för C beskrivs i matrisen.",
    "För betyget A krävs välutvecklade resonemang.",
    "Eleven når kunskapskraven för E.",
    "Vitamin C och D är viktiga för kroppen.",
    "Vi spelar i C-dur.",
    "Läs avsnitt B i läroboken.",
    "Bilaga A: bedömningsmatris.",
    "Typ A och typ B av celler.",
    "Matrisen visar nivåerna E, C och A.",
    "Mål för betyg C i engelska.",
    "Grupp C redovisar först.",
    "Vad krävs för att nå ett A?",
    "Vid betygssättningen används skalan A–F.",
    "Läs om kriterierna för betyget C på lärplattformen.",
    "Vi läser om autism i biologin.",
    "Islam och ramadan i religionskunskap.",
    "Vi diskuterar sexualitet och relationer.",
    "Samhällskunskap: socialtjänstens uppdrag och barnkonventionen.",
    "Eleverna jämför hur muslimer och kristna firar högtider.",
    "Biologi: vi lär oss om diabetes typ 1 och typ 2.",
    "Vi läser om Somalia och Etiopien i geografin.",
    "Kartor över Syrien och Irak.",
    "Eleven jämför levnadsvillkor i Syrien och Sverige.",
    "Eleven kan beskriva varför många människor flydde från Syrien 2015.",
    "Religionskunskap: vad innebär det att vara troende?",
    "Fastan under ramadan är en av islams fem pelare.",
    "Muslimer fastar under ramadan.",
    "Eleven har skrivit om adoption och familjebildning.",
    "Samhällskunskap: LSS och rätten till personlig assistans.",
    "Temat är identitet, sexualitet och hbtq-frågor.",
    "Vi arbetar med sex och samlevnad.",
    "Vi läser om psykisk ohälsa bland unga.",
    "Fängelsestraff i medeltidens Sverige.",
    "Eleven beskriver hur socialtjänsten arbetar med barn.",
    "Eleven analyserar Somalias historia.",
    "Syrien ligger i Mellanöstern.",
    "Vi har läst en novell av en författare som kommer från Somalia.",
    "Kaffe kommer ursprungligen från Etiopien.",
    "Potatisen kommer från Sydamerika.",
    "Tomater kommer från Sydamerika.",
    "Eleverna skiljer sig åt i hur de löser uppgiften.",
    "Svaren skiljer sig från förra årets.",
    "Hur skiljer sig föräldrarnas roller i romanen?",
    "Geografi: vi läser om flyktingströmmar från Syrien till Europa.",
    "Vi läser t.ex. om ADHD och autism i biologin.",
    "Vi går igenom kap. 3, bl.a. om diabetes.",
    "Eleven kan resonera om hur samhället stöttar personer med funktionsnedsättning.",
    "I novellen möter vi en pojke som är adopterad från Korea.",
    "Vi läser om judendomen, t.ex. sabbaten och koshermat.",
    "Nästa steg är att utveckla dina resonemang med fler exempel.",
    "Eleven når kunskapskraven för E i samtliga delar.",
    "Du resonerar utvecklat och relativt väl underbyggt.",
    "Eleven kan med viss säkerhet använda begrepp.",
    "Betygskriterierna för C finns i bilagan.",
    "Du visar goda kunskaper om fotosyntesen.",
    "Hon är duktig på att använda källor.",
    "Han har utvecklat sin förmåga att skriva argumenterande text.",
    "Eleven har en god förmåga att lösa problem.",
    "Eleven beskriver hur människor i Syrien lever i dag.",
    "Vi läser en novell om en flicka från Somalia.",
    "Han läser arabiska på modersmålsundervisningen.",
    "Modersmål: arabiska.",
    "Hon pratar finska och svenska.",
    "Eleven kan förklara hur kroppen påverkas av diabetes.",
    "Religion: vi besöker moskén och kyrkan i närområdet.",
    "Vi firar lucia med sång i aulan kl. 8.",
    "Ta med ca. 30 kr till utflykten.",
    "Vi läser s.k. faktatexter och diskuterar dem.",
    "Vi läser noveller, dikter osv. Sen skriver vi egna texter.",
    "Eleven var duktig på att förklara sina lösningar.",
    "Vi har haft en härlig termin tillsammans.",
    "Det var en rolig lektion.",
    "Texten är välskriven men lite rörig mot slutet.",
    "Idrott: vi tränar kondition och styrka.",
    "Läs kapitel 5 och gör uppgifterna E1–E4.",
    "Vad betyder ordet ”lat” på latin?",
    "Grupp B: Alva, Hugo och Saga.",
    "Ellen beskriver tydligt hur vattnets kretslopp fungerar.",
    "Melker har gjort en utförlig analys av dikten.",
    "Jesper är duktig på att resonera om källor.",
    "Kasper kan förklara begreppen med egna ord.",
    "Peter använder ett rikt ordförråd.",
    "Eleven beskriver hur lss-reformen påverkade samhället.",
    "Eleven skriver om en resa till Spanien.",
    "Vi har fått ett brev från Finland.",
    "Importen kommer från Kina.",
    "Exemplet kommer från Danmark.",
    "Texten är från Norge.",
    "Sagan kommer från Indien.",
    "Han kommer från Stockholm.",
    "Musiken kommer från Brasilien.",
    "Eleverna läser om människor som kommer från Somalia.",
    "Vi lagar indisk mat.",
    "Hon läser kinesiska.",
    "Han är duktig på ryska.",
    "Ryska revolutionen började 1917.",
    "Turkiska är ett språk med många talare.",
    "Eleven översätter en polsk text.",
    "Han är ett stort fan av fotboll.",
    "Hon är ett fan av Harry Potter.",
    "Vi var borta en vecka på lägerskola.",
    "Vi tar ledigt under sportlovet.",
    "Sjung ett högt C.",
    "Ge ett exempel på en metafor.",
    "Rita en rektangel med sidan 5 cm.",
    "Eleven har skrivit om psykisk ohälsa.",
    "Huvudpersonen bor hos sin mormor.",
    "Eleven identifierar sig med huvudpersonen.",
    "Eleven identifierar sig som en del av gruppen.",
    "Kunskapskrav för betyget E: eleven kan föra enkla resonemang.",
    "Bussen till museet går kl. 9. Kom i tid!",
    "Vi tittar på t.ex. diagram och tabeller.",
    "Sirius är en stjärna.",
    "Valnöt är en nöt.",
    "Grisen är ett allätande djur.",
    "Eleven beskriver hur Sverige tog emot flyktingar från Syrien.",
    "Många barn i Syrien lever i fattigdom.",
    "Vi jämför Polen och Tyskland.",
    "Hon skriver om sin semester i Grekland.",
    "Eleverna har tillgång till datorer.",
    "Vatten är en tillgång för alla.",
    "Eleverna diskuterar vad som kännetecknar en bra kamrat.",
    "Mellanöstern: konflikter och fredsprocesser.",
    "Solen är en stjärna.",
    "Vi läser om lss-reformen och funktionsrätt.",
    "Skolan är stängd på fredag, då har alla lov.",
    "Föräldramöte kl. 18 i aulan.",
    "Eleven kan beskriva varför människor flyttar.",
    "Hundar har ett aggressivt beteende.",
    "Karaktären beter sig omoget i novellen.",
    "Det är smart att planera.",
    "Du gör smarta val.",
    "Eleven beskriver ekonomiska problem i samhället.",
    "Familjer som lever under ekonomiska svårigheter får stöd.",
    "Eleverna diskuterar hur familjer lever med ekonomiska problem.",
    "Eleven hamnade i en svår situation i rollspelet.",
    "Många är allergiska mot pollen.",
    "I Kina firar man inte jul.",
    "Uppgift 3 är på C-nivå.",
    "Eleverna har en negativ inställning till rökning.",
    "Vi ser eleven som en resurs i grupparbetet.",
    "Barn som lever i fattigdom har sämre hälsa.",
    "Uppgifterna på E-nivå finns i matrisen.",
    "Det var klokt gjort att börja med en disposition.",
    "Eleven kan förklara varför vissa djur är aggressiva.",
    "Vi läser om hur ensamstående föräldrar påverkades av reformen.",
    "Många elever tycker att matte är svårt.",
    "Alla är välkomna på föräldramötet.",
    "Vissa är duktiga på att rita.",
    "Huvudpersonen har en dålig attityd i början av boken.",
    "Sjung tonen C en oktav högre.",
    "Läs mer om E-nivån i bedömningsstödet.",
    "Zlatan beskriver tydligt hur kretsloppet fungerar.",
    "Ingemar har gjort en noggrann laborationsrapport.",
    "Melker är på god väg att nå målen i svenska.",
    "Jesper är säker på multiplikationstabellerna.",
    "Omar är aktiv i diskussionerna och ställer relevanta frågor.",
    "Eleven är intresserad av historia och läser gärna på egen hand.",
    "Du är på rätt väg med dina resonemang.",
    "Klassen är på studiebesök i riksdagen på onsdag.",
    "Gruppen var mycket engagerad i projektet.",
    "Utflykten är inställd på grund av regn.",
    "Musiken är från 1700-talet.",
    "Materialet kommer från Skolverket.",
    "Citatet kommer från Strindberg.",
    "Hon berättar om sin familj och sina intressen på spanska.",
    "Han har svårt att hinna klart på proven.",
    "Eleven har svårigheter med stavning.",
    "Hon har en personlig stil i sitt skrivande.",
    "Vi läser en bok om en pojke som flyr från kriget i Syrien.",
    "Vi pratar om vad det innebär att vara en god vän.",
    "Hon kom med många bra idéer i grupparbetet.",
    "Eleverna kom överens om en gemensam tolkning.",
    "Vi börjar sent på dagen på fredag, kl. 10.",
    "Du använder källor på ett kritiskt sätt, t.ex. när du jämför olika tidningsartiklar.",
    "Eleven har fått extra anpassningar i form av förlängd skrivtid.",
    "Hon har en stark förmåga att argumentera.",
    "Pappan till huvudpersonen är alkoholist i romanen.",
    "Syrien, Irak och Afghanistan är länder i Asien.",
    "Pojken i filmen är lat och omogen.",
    "Eleven är född 2012.",
    "Eleven kommer från klass 5B.",
    "Texten: slarvig i slutet, men med en tydlig tes.",
    "Solen är en stjärna i Vintergatan.",
    "Syfte: att utveckla förmågan att resonera.",
    "Hon kommer från en annan skola i kommunen.",
]


def categories(text):
    return {finding.category for finding in check(text, lexicon=file_lexicon())}


@pytest.mark.parametrize(
    ("category", "text"), [(category, text) for category, texts in POSITIVE.items() for text in texts]
)
def test_it_flags_the_forbidden_text_in_its_category_only(category, text):
    assert categories(text) == {category}


@pytest.mark.parametrize("text", NEGATIVE)
def test_it_leaves_legitimate_text_alone(text):
    assert categories(text) == set()


def test_the_positives_are_not_negatives():
    assert not set(NEGATIVE) & {text for texts in POSITIVE.values() for text in texts}


# --- look-alike letters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Han är en idi\u043et.",  # Cyrillic o
        "Han är en \u0456diot.",  # Cyrillic i
        "Hon är en ID\u0399OT.",  # Greek capital iota
        "Han är \u0435fterbliven.",  # Cyrillic e
        "Han är en \uff49\uff44\uff49\uff4f\uff54.",  # fullwidth
        "Han är en id\u200bi\u043et.",  # zero-width space and Cyrillic o
    ],
)
def test_look_alike_letters_are_read_as_latin_and_the_offsets_hold(text):
    (finding,) = check(text, lexicon=file_lexicon())
    assert finding.category == "offensive"
    assert plain_text(text)[finding.start : finding.end] == finding.match
    assert finding.match.translate({0x200B: None}).isalpha()


def test_look_alikes_make_grades_and_names_too():
    assert categories("Hon får betyget \u0421.") == {"grade_setting"}  # Cyrillic capital es
    assert categories("\u0415leven är lat.") == {"value_judgement"}  # Cyrillic capital ie


@pytest.mark.parametrize(
    "text",
    [
        "Ryska: eleverna läser texten \u201cЭто мой дом\u201d och översätter den.",
        "Grekiska bokstäver: \u03b1, \u03b2 och \u03c0 används i matematiken.",
        "Fysik: α-strålning och β-strålning.",
        "Vi läser ordet идиот på ryska och diskuterar hur det översätts.",
    ],
)
def test_words_in_other_scripts_stay_what_they_are(text):
    assert categories(text) == set()


# --- sentences ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Han har t.ex. ADHD.", "sensitive"),
        ("Hon har bl.a. diagnosen dyslexi.", "sensitive"),
        ("Eleven är t.ex. lat på lektionerna.", "value_judgement"),
        ("Hon har s.k. dyslexi.", "sensitive"),
        ("Han kommer s.k. för sent varje dag.", "attendance"),
        ("Eleven har ca. 20 % frånvaro.", "attendance"),
        ("Han är bl. a. lat.", "value_judgement"),
    ],
)
def test_an_abbreviation_does_not_end_the_sentence(text, category):
    assert categories(text) == {category}


def test_an_abbreviation_that_ends_a_sentence_before_a_capital_does():
    text = "Vi läser noveller, dikter osv. Eleven är lat."
    clean = text
    start = text.index("lat")
    lo, hi, _ = _sentence(clean, len(clean), start, start + 3)
    assert clean[lo:hi].strip() == "Eleven är lat"
    assert categories(text) == {"value_judgement"}
    assert categories("Vi läser noveller, dikter osv. och sedan skriver vi.") == set()


def test_a_full_stop_after_a_grade_letter_still_ends_the_sentence():
    assert categories("Hon får betyget C. Han får sedan en ny uppgift.") == {"grade_setting"}
    assert categories("Läs sidan 4 i kapitel C. Eleven är duktig på att resonera.") == set()


# --- who is it about ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Melker är slarvig.",  # a name that looks like a plural noun (-er)
        "Omar är latast i gruppen.",
        "Zlatan är lat.",  # not in names.txt, but no noun ending
        "Ingemar verkar omotiverad.",
        "Viktor kan vara väldigt stökig.",
    ],
)
def test_a_capitalised_first_word_before_a_verb_is_a_person(text):
    assert categories(text) == {"value_judgement"}


@pytest.mark.parametrize(
    "text",
    [
        "Kaffe är gott.",  # a neuter form: said of a thing
        "Fotboll är roligt.",
        "Uppgifter är roliga när de är utmanande.",  # a plural noun, and a plural form
        "Lektionerna var stökiga i början av terminen.",
        "Importen kommer från Kina.",  # origin rules want a known person
        "Bananer kommer ursprungligen från Asien.",
        "Kakao kommer från Sydamerika.",
    ],
)
def test_a_capitalised_first_word_that_is_a_thing_is_not_a_person(text):
    assert categories(text) == set()


def test_people_in_general_are_not_the_pupil():
    assert categories("Många människor flydde från Syrien.") == set()
    assert categories("Människor som kommer från Somalia talar ofta somaliska.") == set()
    assert categories("Familjen flydde från Syrien.") == {"sensitive"}


def test_an_insult_containing_a_value_word_is_reported_as_offensive_only():
    findings = check("Han är dum i huvudet.", lexicon=file_lexicon())
    assert [(f.category, f.match) for f in findings] == [("offensive", "dum i huvudet")]


def test_the_equals_sign_is_punctuation_in_a_rule():
    assert categories("Svenska = B") == {"grade_setting"}
    assert categories("Matematik = C") == {"grade_setting"}
    assert categories("x = C + 2") == set()


# --- the same sentence again --------------------------------------------------------------------


def test_a_repeated_sentence_is_found_at_each_place():
    sentence = "Han är lat. "
    text = "Du beskriver orsakerna tydligt. " + sentence + "Bra jobbat! " + sentence + "Hej då."
    lexicon = file_lexicon()
    lexicon.forget_sentences()
    first = check(text, lexicon=lexicon)
    again = check(text, lexicon=lexicon)  # now from the remembered sentences
    assert first == again
    assert [f.start for f in first] == [i + 7 for i in range(len(text)) if text.startswith(sentence, i)]
    assert all(text[f.start : f.end] == "lat" for f in first)


def test_a_long_sentence_is_not_remembered_but_still_checked():
    long_sentence = "Eleven är lat och " + "beskriver orsaker och " * 40 + "gör inget mer"
    lexicon = file_lexicon()
    lexicon.forget_sentences()
    for _ in range(2):
        assert [f.match for f in check(long_sentence + ".", lexicon=lexicon)] == ["lat"]
    assert long_sentence not in lexicon._sentences


# --- speed, without a clock ---------------------------------------------------------------------

FREQUENT_WORDS = [
    "eleven", "elev", "elever", "eleverna", "klassen", "gruppen", "du", "vi", "hon", "han", "har", "är", "kan",
    "och", "att", "som", "med", "för", "på", "i", "texten", "uppgiften", "arbetet", "kunskaper", "förmåga",
]  # fmt: skip


def test_no_rule_starts_at_a_word_that_every_text_has():
    lexicon = file_lexicon()
    assert [word for word in FREQUENT_WORDS if lexicon.classify(word)] == []


def test_ordinary_text_has_few_places_to_look_at():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from checker_bench import build_text

    from unikum.content.text import Normalised

    text = Normalised(plain_text(build_text(200_000)))
    lexicon = file_lexicon()
    positions = lexicon.anchor_positions(text.clean, text.low, lexicon.anchor_words(text.low))
    assert len(positions) < 600  # about 400 today: a rule anchored on a common word would add thousands


# --- phenomena (issue 14): one or more cases each, written for the phenomenon, not from a corpus ----
# Written before the rules for them were tuned: 62 of the 70 positives and 16 of the 20 look-alikes
# passed then; the rest were fixed by general rules (a prepositional phrase after the subject,
# compounds in every form, inverted order, a quotation closed after the sentence's "!").

PHENOMENA = [
    ("offensive", "contempt", "Du är så patetisk."),
    ("offensive", "hatred", "Alla hatar dig här."),
    ("offensive", "telling someone to go", "Stick härifrån och kom aldrig tillbaka."),
    ("sensitive", "social circumstances", "Familjen är hemlös sedan i somras."),
    ("attendance", "coming in late", "Hon kom in mitt i lektionen utan förklaring."),
    ("value_judgement", "superlative partitive", "Hanna är en av de latare eleverna i gruppen."),
    ("value_judgement", "superlative partitive", "Han är en av de mest omogna i årskursen."),
    ("value_judgement", "superlative", "Tilde är den slarvigaste i hela klassen."),
    ("value_judgement", "comparative chain", "Hon blir bara latare och latare för varje vecka."),
    ("value_judgement", "degree adverbs between", "Arvid är faktiskt ganska ofta rätt så oengagerad."),
    ("value_judgement", "degree adverbs between", "Du är tyvärr alldeles för ofta väldigt lat."),
    ("value_judgement", "attributive manner", "Han svarar på ett respektlöst sätt."),
    ("value_judgement", "attributive behaviour", "Elins provocerande beteende stör undervisningen."),
    ("value_judgement", "group noun", "Killgänget i 9C är stökigt och omoget."),
    ("value_judgement", "plural definite drop e", "Bråkstakarna i klassen får sitta längst fram."),
    ("value_judgement", "participle adjective", "Hon är uppmärksamhetssökande och lättdistraherad."),
    ("value_judgement", "participle adjective", "Nils är ouppfostrad och bortskämd."),
    ("value_judgement", "colloquial noun", "Hugo är en riktig slöfock."),
    ("value_judgement", "colloquial noun", "Hon är klassens drama queen."),
    ("value_judgement", "english loan", "Han är så lazy och annoying."),
    ("value_judgement", "english loan", "Du är lite för chill med skolarbetet och ganska lazy."),
    ("value_judgement", "verbs and idioms", "Han har myror i brallorna och kan inte sitta still."),
    ("value_judgement", "verbs and idioms", "Hon lever i sin egen värld."),
    ("value_judgement", "inverted order", "På lektionerna är Vilgot ofta stökig."),
    ("value_judgement", "inverted order", "Under hösten har Sigrid varit väldigt slarvig."),
    ("value_judgement", "positive person label", "Aron är en naturlig ledare och alla gillar honom."),
    ("value_judgement", "quality noun", "Hans omognad märks i allt han gör."),
    ("offensive", "threat first person", "Jag ska se till att du får sitta kvar varje dag."),
    ("offensive", "threat conditional", "Om du gör det där en gång till så åker du ut."),
    ("offensive", "threat", "Det här kommer du att ångra."),
    ("offensive", "worthless", "Du är ett slöseri med tid."),
    ("offensive", "unwanted", "Ingen vill ha dig i gruppen."),
    ("offensive", "does not belong", "Du hör inte hemma på den här skolan."),
    ("offensive", "dehumanising comparison", "Han äter som en gris."),
    ("offensive", "mocking looks", "Hon ser ut som en clown i de där kläderna."),
    ("offensive", "smell", "Han stinker som en gammal soptunna."),
    ("offensive", "silencing", "Håll truten och lyssna."),
    (
        "offensive",
        "vocative in long html",
        "<div><p>" + "Vi har arbetat med bråk och procent. " * 30 + "</p><p>Sluta nu, din idiot.</p></div>",
    ),
    ("offensive", "slur compound inflected", "Svartskallar som han borde inte vara här."),
    ("offensive", "slur inflected", "De där blattarna stör hela tiden."),
    ("offensive", "insult behind intensifier", "Han är en sån jävla tönt."),
    ("offensive", "insult behind adjectives", "Hon är en stor, fet och lat kossa."),
    ("offensive", "worth comparison", "Han har lika mycket hjärna som en sten."),
    ("attendance", "count in phrase", "Hon har varit borta från tre av fem idrottslektioner."),
    ("attendance", "n av m", "Han har missat åtta av tjugo lektioner."),
    ("attendance", "late count plural noun", "Leo har haft sju förseningar den här månaden."),
    ("attendance", "subject instead of lesson", "Hon skolkade från matten i tisdags."),
    ("attendance", "activity", "Han kom inte till simningen."),
    ("attendance", "lateness anywhere", "Till första lektionen kommer Ebbe nästan alltid sent."),
    ("attendance", "english loan verb", "Han skippade engelskan igen."),
    ("attendance", "leaving early", "Hon gick hem mitt under dagen utan att säga till."),
    ("attendance", "not turning up", "Vincent dök inte upp på förmiddagen."),
    ("attendance", "picked up early", "Hon hämtades tidigt av pappa tre gånger."),
    ("attendance", "absence verb", "Han har varit hemma från skolan hela veckan."),
    ("attendance", "percentage", "Han har bara varit på plats vid hälften av lektionerna."),
    ("grade_setting", "long gap", "Betyget som Sara får i engelska efter den här terminen blir ett C."),
    ("grade_setting", "parentheses", "Hon har fått ett bra betyg (B) i historia."),
    ("grade_setting", "apposition", "Terminsbetyget, ett D, diskuterades på mötet."),
    ("grade_setting", "subject list", "Betyg: Svenska B, Engelska C, Matematik A."),
    ("grade_setting", "highest grade", "Han fick högsta betyget på provet."),
    ("grade_setting", "lowest grade", "Hon har fått lägsta godkända betyget i kemi."),
    ("grade_setting", "verbless fragment", "Matte: C. Svenska: A."),
    ("grade_setting", "old scale", "Han fick VG på uppsatsen."),
    ("grade_setting", "pass/fail course", "Underkänd i kursen Engelska 6."),
    ("grade_setting", "inverted", "I musik landar Alma på ett B."),
    ("sensitive", "diagnosis compound", "Hon tar sin adhd-medicin varje morgon."),
    ("sensitive", "illness compound", "Han har nötallergi och måste ha specialkost."),
    ("sensitive", "diagnosis compound", "Vi väntar på svar från dyslexiutredningen för Max."),
    ("sensitive", "origin adjective", "Familjen är somalisk och talar somaliska hemma."),
    ("sensitive", "home language", "Hemma pratar Liam bara arabiska."),
    ("sensitive", "minority", "Hon är samisk och familjen har renar."),
    ("sensitive", "inverted", "Sedan i somras har Ida diabetes."),
    ("sensitive", "inverted", "Enligt pappan har Emil autism."),
    ("sensitive", "death in family", "Hans morfar dog i våras."),
    ("sensitive", "religion practice", "Han ber i moskén varje fredag och fastar."),
]

PHENOMENA_LOOK_ALIKES = [
    ("character", "I boken är Pippi lat och stökig men också modig."),
    ("title", "Vi har sett filmen Idioterna och diskuterat den."),
    ("quoted dialogue", "I elevens berättelse ropar draken: ”Du är en idiot!” och flyger iväg."),
    ("word origin", "Ordet skolka kommer från lågtyskan."),
    ("homonym", "Vi mäter latitud och longitud på kartan."),
    ("curriculum health", "Biologi: vi läser om allergier och hur nötallergi påverkar kroppen."),
    ("curriculum religion", "Religion: eleverna jämför hur man ber i moskén och i kyrkan."),
    ("grade criteria", "För högsta betyget krävs välutvecklade resonemang."),
    ("grade scale", "Skalan går från F till A."),
    ("work not person", "Rapporten är slarvigt skriven och behöver struktureras om."),
    ("skill praise", "Du är stark i muntlig framställning."),
    ("count not lessons", "Hon löste åtta av tio uppgifter rätt."),
    ("lesson plan", "Vi har simning på torsdagar under vecka 10–14."),
    ("story smell", "I sagan luktar trollet som en gammal ost."),
    ("language subject", "Modersmål arabiska: eleven läser en saga och återberättar."),
    ("history topic", "Historia: samer och romer som nationella minoriteter."),
    ("film character attendance", "I filmen skolkar huvudpersonen för att träffa sin bror."),
    ("scores", "Resultat på provet: 34 av 40 poäng."),
    ("teacher plan", "Vi går hem tidigare på fredag eftersom det är studiedag."),
]


@pytest.mark.parametrize(("category", "phenomenon", "text"), PHENOMENA, ids=[f"{c}-{p}" for c, p, _ in PHENOMENA])
def test_each_phenomenon_is_flagged_in_its_category(category, phenomenon, text):
    assert category in categories(text)


@pytest.mark.parametrize(("phenomenon", "text"), PHENOMENA_LOOK_ALIKES, ids=[p for p, _ in PHENOMENA_LOOK_ALIKES])
def test_a_word_mentioned_rather_than_used_passes(phenomenon, text):
    assert categories(text) == set()


@pytest.mark.parametrize(
    ("lemma", "kind", "forms"),
    [
        ("omogen", "a", {"omoget", "omogna", "omognare", "omognaste"}),
        ("lat", "a", {"latt", "lata", "latare", "lataste"}),
        ("dum", "a", {"dumt", "dumma", "dummaste"}),
        ("bortskämd", "a", {"bortskämt", "bortskämda"}),
        ("svartskalle", "n", {"svartskallen", "svartskallar", "svartskallarna"}),
        ("drömmare", "n", {"drömmaren", "drömmarna"}),
        ("pucko", "nn", {"puckot", "puckon"}),
        ("gnälla", "v", {"gnäller", "gnällde", "gnällt", "gnällande"}),
    ],
)
def test_every_form_of_a_lexicon_word_is_generated_when_it_loads(lemma, kind, forms):
    from unikum.content.morphology import inflect

    assert forms <= set(inflect(lemma, kind))


def test_a_compound_only_rule_does_not_match_the_word_alone():
    assert categories("Hon har nötallergi.") == {"sensitive"}
    assert categories("Biologi: allergi och immunförsvar.") == set()


def test_a_table_row_reads_as_one_line_with_its_cells_separated():
    html = "<table><tr><td>Svenska</td><td>B</td></tr></table>"
    assert "Svenska | B" in plain_text(html)
    assert categories(html) == {"grade_setting"}
