/*
 * Built-in recognizers: the vectorscan pattern table and, per pattern, the C code that turns a
 * match END into candidate spans. Patterns are compiled without start-of-match (SOM) tracking,
 * because SOM on class-heavy patterns costs up to 40x in scan speed (platform-facts.md section 5);
 * instead each pattern is built so that its start can be found cheaply in C: a literal prefix of
 * known length (keys, JWT, bech32), a back-scan over a character class (e-mail local parts, digit
 * clusters, IPv4/IPv6), or the span simply begins at the match end (context-prefixed patterns
 * such as "passport no:" or "password=", whose value follows). The C side then parses the
 * candidate fully and validates it (validators.c), so patterns only need to be loose supersets.
 * Because vectorscan reports every match end, each recognizer records how far it has already
 * parsed (skip_until) and ignores ends inside that region, which keeps digit runs O(n).
 *
 * This file holds the pattern table, the dispatch (pol__recognize_rec) and the recognizers of
 * e-mail addresses, IP addresses, IBANs, crypto wallets, URLs, secrets and context-prefixed IDs;
 * digit clusters (phones, cards, SSN, NHS, numeric dates) are in digits.c, locations in
 * address.c, dates after a date word in dates.c, names in person.c, national identifiers in
 * national.c.
 */
#include "policy/pii/pii_internal.h"

#include <hs/hs.h>
#include <string.h>
#include <strings.h>

/* clang-format off */
static const pol__pattern_t patterns[] = {
    /* every '@': rec_email checks its neighbours, ASCII or not ("josé@ejemplo.es", RFC 6531). Not a
     * class with bytes >= 0x80: vectorscan 5.4.9 misses matches of "[a-z\\x80-\\xff]@" that end 64
     * bytes or more into the text (docs/internals/pii.md, "vectorscan") */
    {"@", 0, POL__REC_EMAIL, 0, POL__DB_TEXT},
    /* session 11: an address written against harvesters ("jane.doe(at)example.com", "h.tanaka[at]example.org", "jane (at)
       example (dot) com"): the bracketed "at" (rec_email_obfuscated) */
    {"[\\(\\[\\{<]at[\\)\\]\\}>]", HS_FLAG_CASELESS, POL__REC_EMAIL, 1, POL__DB_TEXT},
    {"\\d(?:[ \\-./()]{0,2}\\d){6}", 0, POL__REC_DIGITS, 0, POL__DB_C},
    {"\\d\\.\\d{1,3}\\.\\d{1,3}\\.\\d", 0, POL__REC_IPV4, 0, POL__DB_C},
    {"[0-9A-Fa-f]:[0-9A-Fa-f]{0,4}:", 0, POL__REC_IPV6, 0, POL__DB_C},
    {"::[0-9A-Fa-f]", 0, POL__REC_IPV6, 0, POL__DB_C},
    {"::/\\d", 0, POL__REC_IPV6, 1, POL__DB_C}, /* the unspecified address as a network: ::/0, ::/128 */
    /* IBAN: an ISO 13616 country code (pol__iban_country), in either case ("iban de89 3704 ...") */
    {"(?:AD|AE|AL|AT|AZ|BA|BE|BG|BH|BI|BR|BY|CH|CR|CY|CZ|DE|DJ|DK|DO|EE|EG|ES|FI|FK|FO|FR|GB|GE|GI|GL|GR|GT|HR|HU|IE|IL|IQ|IS|IT|JO|KW|KZ|LB|LC|LI|LT|LU|LV|LY|MC|MD|ME|MK|MN|MR|MT|MU|NI|NL|NO|OM|PK|PL|PS|PT|QA|RO|RS|RU|SA|SC|SD|SE|SI|SK|SM|SO|ST|SV|TL|TN|TR|UA|VA|VG|XK|YE)\\d{2}(?:[ \\-]|[ \\t\\n\\r\\x0b\\x0c|]{2,4}|[\\t\\n\\r\\x0b\\x0c|]|\\\\[tnr]|\\\\[tnr]\\\\[tnr])?[A-Z0-9]{4}", HS_FLAG_CASELESS, POL__REC_IBAN, 0, POL__DB_WIN},
    {"[13][1-9A-HJ-NP-Za-km-z]{25}", 0, POL__REC_BTC58, 0, POL__DB_WIN},
    {"[bB][cC]1[02-9ac-hj-np-zAC-HJ-NP-Z]{11}", 0, POL__REC_BECH32, 0, POL__DB_TEXT},
    {"0x[0-9a-fA-F]{40}", 0, POL__REC_ETH, 0, POL__DB_TEXT},
    {"[A-Za-z0-9]://", 0, POL__REC_URL, 3, POL__DB_TEXT},
    {"www\\.", HS_FLAG_CASELESS, POL__REC_URL, 4, POL__DB_TEXT},
    {"sk-[A-Za-z0-9_\\-]{20}", 0, POL__REC_KEY, 0, POL__DB_TEXT},
    {"A[KS]IA[0-9A-Z]{16}", 0, POL__REC_KEY, 0, POL__DB_TEXT},
    {"gh[pousr]_[A-Za-z0-9]{30}", 0, POL__REC_KEY, 0, POL__DB_TEXT},
    {"github_pat_[A-Za-z0-9_]{30}", 0, POL__REC_KEY, 0, POL__DB_TEXT},
    {"glpat-[A-Za-z0-9_\\-]{20}", 0, POL__REC_KEY, 0, POL__DB_TEXT},
    {"xox[abposr]-[A-Za-z0-9\\-]{10}", 0, POL__REC_KEY, 0, POL__DB_TEXT},
    {"AIza[0-9A-Za-z_\\-]{30}", 0, POL__REC_KEY, 0, POL__DB_TEXT},
    {"[sr]k_(?:live|test)_[0-9A-Za-z]{16}", 0, POL__REC_KEY, 0, POL__DB_TEXT},
    {"npm_[A-Za-z0-9]{36}", 0, POL__REC_KEY, 0, POL__DB_TEXT},
    {"hf_[A-Za-z0-9]{30}", 0, POL__REC_KEY, 0, POL__DB_TEXT},
    {"SG\\.[A-Za-z0-9_\\-]{22}\\.", 0, POL__REC_KEY, 0, POL__DB_TEXT},
    {"eyJ[A-Za-z0-9_\\-]{10}", 0, POL__REC_JWT, 0, POL__DB_TEXT},
    {"-----BEGIN [A-Z ]{0,30}PRIVATE KEY-----", 0, POL__REC_PEM, 0, POL__DB_TEXT},
    {"(?:passw(?:or)?d|pwd|passphrase|secret|api[_\\-]?key|access[_\\-]?token|auth[_\\-]?token|client[_\\-]?secret|"
     "secret[_\\-]?key|private[_\\-]?key|token)[\"']?\\s{0,3}[:=]\\s{0,3}", HS_FLAG_CASELESS, POL__REC_PASSWORD, 0, POL__DB_TEXT},
    {"(?:password|passcode|passwort|mot de passe|contrase\xc3\xb1\x61)\\s+(?:is|was|ist|est|es)\\s+", HS_FLAG_CASELESS,
     POL__REC_PASSWORD, 1, POL__DB_TEXT},
    {"passport(?:\\s*(?:no\\.?|number|num|nr\\.?|#))?\\s*[:#]?\\s*", HS_FLAG_CASELESS, POL__REC_PASSPORT, 0, POL__DB_TEXT},
    {"(?:driver'?s?|driving)\\s+licen[cs]e(?:\\s*(?:no\\.?|number|num|nr\\.?|#))?\\s*[:#]?\\s*", HS_FLAG_CASELESS,
     POL__REC_DL, 0, POL__DB_TEXT},
    {"\\bDL\\s*(?:No\\.?|#)?\\s*[:#]\\s*", 0, POL__REC_DL, 0, POL__DB_TEXT},
    {"[A-Z]\\d[A-Z0-9]? ?\\d[ABD-HJLNP-UW-Z]{2}", 0, POL__REC_POSTCODE_UK, 0, POL__DB_WIN},
    {" (?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Terrace|Parkway|Pkwy|Highway|Hwy|Place|Pl|Way|"
     "Circle|Square|Close|Crescent)\\b", 0, POL__REC_STREET, 0, POL__DB_C},
    /* session 11: and the Danish, Swedish, Norwegian and Finnish suffixes ("Nørrebrogade 44", "Mannerheimintie 12") */
    {"(?:stra\xc3\x9f\x65|strasse|str\\.|weg|allee|platz|gasse|ring|damm|straat|gracht|laan|plein|kade|singel|dijk|gade|vej|"
     "gatan|v\xc3\xa4gen|veien|tie|katu|kuja|"
     /* session 15: the Danish definite "-gaden" ("Hovedgaden 3"), Swedish "-gata", Icelandic "-gata" in the dative
        "-götu" and "-vegur" ("Hverfisgötu 41", "Laugavegur 28") */
     "gaden|gata|g\xc3\xb6tu|vegur)\\s\\d{1,4}", 0,
     POL__REC_STREET, 1, POL__DB_WIN},
    /* Spanish, Catalan, Italian, Portuguese: the street type comes first ("Via Roma 10", "Rua Augusta, 1500") */
    {"\\b(?:Calle|Avenida|Avda\\.|Plaza|Paseo|Carrer|Camino|Ronda|Via|Viale|Piazza|Piazzale|Corso|Largo|Vicolo|Rua|Travessa|"
     "Alameda|Pra\xc3\xa7\x61|Estrada|Rodovia|"
     /* pl, id/ms ("ul. Marszałkowska 10", "Jl. Sudirman No. 5"; not "al.": "et al.") */
     "ul\\.|ulica|aleja|Jl\\.|Jln\\.|Jalan|"
     /* session 13: ro (street, boulevard, "way", road, lane, embankment), pt "Av.", pl "Al." / "Aleje" (capitalised:
        "et al." is a citation) */
     "Str\\.|Strada|Bd\\.|Bdul\\.|Bulevardul|Calea|\xc8\x98oseaua|\xc5\x9eoseaua|Aleea|Splaiul|Av\\.|Al\\.|Aleje|"
     /* sw: "Mtaa wa Uhuru 12", "Barabara ya Moi 5" (street of, road of) */
     "Mtaa|Barabara|"
     /* session 15: hr/bs/sr/sl "Ulica", "Bulevar", "Trg", sq "Rruga", es-MX "Privada", "Cerrada", "Callejón", and the
        type words written in capitals on labels ("CALLE", "AV.", "RUA", "UL.", "VIA") */
     "Ulica|Rruga|Bulevar|Bulevardi|Trg|Privada|Cerrada|Callej\xc3\xb3n|CALLE|AVENIDA|AV\\.|RUA|UL\\.|RRUGA|VIA) ", 0,
     POL__REC_STREET, 3, POL__DB_TEXT},
    /* session 15: the type word after the street's name, lower-case, the number after it: lv "Brīvības iela 55", lt
       "Gedimino pr. 9", "Vilniaus g. 31", et "Narva mnt 7", "Rüütli tee 3", sl/hr/bs "Slovenska cesta 15", "Prešernova
       ulica 7", nb "Olav Tryggvasons gate 24", "Kirkeveien" written apart ("Kirke vei 5"), sv "gata" (address.c, kind 8) */
    {" (?:iela|iel\xc4\x81|gatve|pr\\.|g\\.|mnt|maantee|tee|cesta|ulica|gate|gata|vei|veg|vegen|bulevar|trg)[ ,]", 0,
     POL__REC_STREET, 8, POL__DB_TEXT},
    /* session 16: the label of an address written in lower case in a chat ("my address is 12 baker st, leeds ls1 4ap",
       "i live at 44 harbour view road, cork", "address: 3/45 george street, ..."): address.c lower_address, kind 9 */
    {"\\b(?:address is|address ?:|addr:|live at|living at|ship to:?|deliver (?:to|at)|send it to|pick me up from) ",
     HS_FLAG_CASELESS, POL__REC_STREET, 9, POL__DB_TEXT},
    /* Turkish: the street type after the name, the number after it ("Atatürk Cad. No: 15", "Bağdat Caddesi 120") */
    /* session 13: and the Hungarian ones ("Váci utca 47/B", "Andrássy út 12", "Szent István körút 3", "Kossuth tér 1") */
    {" (?:Cad\\.|Cd\\.|Caddesi|Sok\\.|Sk\\.|Soka\xc4\x9f\xc4\xb1|Sokak|Bulvar\xc4\xb1|Blv\\.|utca|\xc3\xbat|\xc3\xbatja|k\xc3\xb6r\xc3\xbat|t\xc3\xa9r|k\xc3\xb6z|s\xc3\xa9t\xc3\xa1ny)[ ,]", 0, POL__REC_STREET, 4,
     POL__DB_TEXT},
    /* Vietnamese: a ward or district word ("phường", "quận", "huyện", "xã", "thị trấn", "P.", "Q."): address.c vn_address */
    {"(?:^|[\\s,(])(?:[Pp]h\xc6\xb0\xe1\xbb\x9dng|[Qq]u\xe1\xba\xadn|[Hh]uy\xe1\xbb\x87n|[Xx]\xc3\xa3|[Tt]h\xe1\xbb\x8b (?:tr\xe1\xba\xa5n|x\xc3\xa3)|"
     "P\\.|Q\\.)", 0, POL__REC_STREET, 5, POL__DB_TEXT},
    /* Greek "οδός Ερμού 25", "Λεωφόρος Κηφισίας 120", "Πλατεία ..." (address.c el_street) */
    {"(?:^|[\\s,(])(?:\xce\xbf\xce\xb4\xcf\x8c\xcf\x82|\xce\x9f\xce\xb4\xcf\x8c\xcf\x82|\xce\xbf\xce\xb4\xcf\x8c|\xce\x9f\xce\xb4\xcf\x8c|\xce\xbf\xce\xb4\xce\xbf\xcf\x8d|\xce\x9f\xce\xb4\xce\xbf\xcf\x8d|\xce\x9b\xce\xb5\xcf\x89\xcf\x86\xcf\x8c\xcf\x81\xce\xbf\xcf\x82|\xce\xbb\xce\xb5\xcf\x89\xcf\x86\xcf\x8c\xcf\x81\xce\xbf\xcf\x82|\xce\x9b\xce\xb5\xcf\x89\xcf\x86\xcf\x8c\xcf\x81\xce\xbf|\xce\xbb\xce\xb5\xcf\x89\xcf\x86\xcf\x8c\xcf\x81\xce\xbf|\xce\x9b\xce\xb5\xcf\x89\xcf\x86\xcf\x8c\xcf\x81\xce\xbf\xcf\x85|\xce\xbb\xce\xb5\xcf\x89\xcf\x86\xcf\x8c\xcf\x81\xce\xbf\xcf\x85|\xce\x9b\xce\xb5\xcf\x89\xcf\x86\\.|\xce\xa0\xce\xbb\xce\xb1\xcf\x84\xce\xb5\xce\xaf\xce\xb1|\xcf\x80\xce\xbb\xce\xb1\xcf\x84\xce\xb5\xce\xaf\xce\xb1|\xce\x9f\xce\xb4\\.) ", 0, POL__REC_STREET, 6, POL__DB_TEXT},
    /* Arabic "شارع" (street), "طريق" (road), Persian "خیابان" (street), "کوچه" (alley), "بلوار", Hebrew "רחוב" (street),
     * "שדרות" (boulevard) (address.c ar_address) */
    {"\xd8\xb4\xd8\xa7\xd8\xb1\xd8\xb9|\xd8\xb7\xd8\xb1\xd9\x8a\xd9\x82|\xd8\xae\xdb\x8c\xd8\xa7\xd8\xa8\xd8\xa7\xd9\x86|\xda\xa9\xd9\x88\xda\x86\xd9\x87|\xd8\xa8\xd9\x84\xd9\x88\xd8\xa7\xd8\xb1|\xd7\xa8\xd7\x97\xd7\x95\xd7\x91|\xd7\xa9\xd7\x93\xd7\xa8\xd7\x95\xd7\xaa", 0, POL__REC_STREET, 7, POL__DB_TEXT},
    /* Russian "ул. Тверская, д. 7", "улица Ленина 5" (\\b sees no word boundary before a non-ASCII byte); session 10:
       Ukrainian "вул. Хрещатик, 22", "вулиця", and the avenue, lane, boulevard and highway words of both (просп., проспект,
       пр-т, пер., переулок, провулок, бульв., бульвар, шоссе, шосе); session 11: a comma may follow the type word, which
       then stands after the street name ("Лиговский проспект, д. 30", "Тверская улица, 7": address.c) */
    {"(?:^|[\\s(,])(?:\xd1\x83\xd0\xbb\\.|\xd1\x83\xd0\xbb\xd0\xb8\xd1\x86\xd0\xb0|\xd0\xb2\xd1\x83\xd0\xbb\\.|\xd0\xb2\xd1\x83\xd0\xbb\xd0\xb8\xd1\x86\xd1\x8f|\xd0\xbf\xd1\x80\xd0\xbe\xd1\x81\xd0\xbf\\.|\xd0\xbf\xd1\x80\xd0\xbe\xd1\x81\xd0\xbf\xd0\xb5\xd0\xba\xd1\x82|\xd0\xbf\xd1\x80-\xd1\x82|\xd0\xbf\xd0\xb5\xd1\x80\\.|\xd0\xbf\xd0\xb5\xd1\x80\xd0\xb5\xd1\x83\xd0\xbb\xd0\xbe\xd0\xba|\xd0\xbf\xd1\x80\xd0\xbe\xd0\xb2\xd1\x83\xd0\xbb\xd0\xbe\xd0\xba|\xd0\xb1\xd1\x83\xd0\xbb\xd1\x8c\xd0\xb2\\.|\xd0\xb1\xd1\x83\xd0\xbb\xd1\x8c\xd0\xb2\xd0\xb0\xd1\x80|\xd1\x88\xd0\xbe\xd1\x81\xd1\x81\xd0\xb5|\xd1\x88\xd0\xbe\xd1\x81\xd0\xb5)[ ,]", 0, POL__REC_STREET, 3, POL__DB_TEXT},
    /* session 15: Québec's "boul." and the type words in capitals ("1010, RUE SHERBROOKE OUEST") */
    {"\\d{1,4}(?:bis|ter)?,?\\s(?:rue|avenue|boulevard|bd|place|chemin|impasse|all\xc3\xa9\x65|quai|boul\\.|RUE|AVENUE|"
     "BOULEVARD|BOUL\\.|CHEMIN)\\s", 0,
     POL__REC_STREET, 2, POL__DB_WIN},
    {"(?:zip(?:\\s*code)?|postal\\s*code|post\\s*code|plz|postleitzahl|code postal)\\s*[:#]?\\s*", HS_FLAG_CASELESS,
     POL__REC_ZIP, 0, POL__DB_TEXT},
    {", [A-Z]{2} \\d{5}", 0, POL__REC_ZIP, 1, POL__DB_WIN},
    {"(?:\\bborn|(?:\\b|_)birth|(?:\\b|_)dob|d\\.o\\.b\\.?|birthday|birthdate|geboren|geburtsdatum|\\bgeb\\.|\\bn\xc3\xa9\x65?|naissance|nacid[oa]|"
     "nacimiento|\\bnat[oa]\\b|nascita|nascimento|geboortedatum|urodzon[ya]|data urodzenia|f\xc3\xb8" "dt|f\xc3\xb6" "dd|"
     "syntynyt|do\xc4\x9fum|ng\xc3\xa0y sinh|tanggal lahir|\\blahir|"
     /* ru, ja, zh, ko, ar, fa, hi: date of birth, born, birthday */
     "\xd0\x94\xd0\xb0\xd1\x82\xd0\xb0 \xd1\x80\xd0\xbe\xd0\xb6\xd0\xb4\xd0\xb5\xd0\xbd\xd0\xb8\xd1\x8f|"
     "\xd0\xb4\xd0\xb0\xd1\x82\xd0\xb0 \xd1\x80\xd0\xbe\xd0\xb6\xd0\xb4\xd0\xb5\xd0\xbd\xd0\xb8\xd1\x8f|"
     "\xd1\x80\xd0\xbe\xd0\xb4\xd0\xb8\xd0\xbb(?:\xd1\x81\xd1\x8f|\xd0\xb0\xd1\x81\xd1\x8c)|"
     "\xe7\x94\x9f\xe5\xb9\xb4\xe6\x9c\x88\xe6\x97\xa5|\xe5\x87\xba\xe7\x94\x9f|\xe7\x94\x9f\xe6\x97\xa5|"
     "\xec\x83\x9d\xeb\x85\x84\xec\x9b\x94\xec\x9d\xbc|"
     "\xd8\xaa\xd8\xa7\xd8\xb1\xd9\x8a\xd8\xae \xd8\xa7\xd9\x84\xd9\x85\xd9\x8a\xd9\x84\xd8\xa7\xd8\xaf|"
     "\xd8\xaa\xd8\xa7\xd8\xb1\xdb\x8c\xd8\xae \xd8\xaa\xd9\x88\xd9\x84\xd8\xaf|\xe0\xa4\x9c\xe0\xa4\xa8\xe0\xa5\x8d\xe0\xa4\xae|"
     /* th birthday, born on; bn birth; el I was born, date of birth; he date of birth, I was born; ur date of birth */
     "\xe0\xb8\xa7\xe0\xb8\xb1\xe0\xb8\x99\xe0\xb9\x80\xe0\xb8\x81\xe0\xb8\xb4\xe0\xb8\x94|\xe0\xb9\x80\xe0\xb8\x81\xe0\xb8\xb4\xe0\xb8\x94\xe0\xb8\xa7\xe0\xb8\xb1\xe0\xb8\x99\xe0\xb8\x97\xe0\xb8\xb5\xe0\xb9\x88|\xe0\xb9\x80\xe0\xb8\x81\xe0\xb8\xb4\xe0\xb8\x94\xe0\xb9\x80\xe0\xb8\xa1\xe0\xb8\xb7\xe0\xb9\x88\xe0\xb8\xad|\xe0\xa6\x9c\xe0\xa6\xa8\xe0\xa7\x8d\xe0\xa6\xae|\xce\xb3\xce\xb5\xce\xbd\xce\xbd\xce\xae\xce\xb8\xce\xb7\xce\xba\xce\xb1|\xce\x93\xce\xb5\xce\xbd\xce\xbd\xce\xae\xce\xb8\xce\xb7\xce\xba\xce\xb1|\xce\xb7\xce\xbc\xce\xb5\xcf\x81\xce\xbf\xce\xbc\xce\xb7\xce\xbd\xce\xaf\xce\xb1\x20\xce\xb3\xce\xad\xce\xbd\xce\xbd\xce\xb7\xcf\x83\xce\xb7\xcf\x82|\xce\x97\xce\xbc\xce\xb5\xcf\x81\xce\xbf\xce\xbc\xce\xb7\xce\xbd\xce\xaf\xce\xb1\x20\xce\xb3\xce\xad\xce\xbd\xce\xbd\xce\xb7\xcf\x83\xce\xb7\xcf\x82|\xd7\xaa\xd7\x90\xd7\xa8\xd7\x99\xd7\x9a\x20\xd7\x9c\xd7\x99\xd7\x93\xd7\x94|\xd7\xa0\xd7\x95\xd7\x9c\xd7\x93\xd7\xaa\xd7\x99|\xd8\xaa\xd8\xa7\xd8\xb1\xdb\x8c\xd8\xae\x20\xd9\xbe\xdb\x8c\xd8\xaf\xd8\xa7\xd8\xa6\xd8\xb4|"
     /* vi born on (the other word order), sw date of birth, I was born */
     "sinh ng\xc3\xa0y|tarehe ya kuzaliwa|nilizaliwa|"
     /* session 10, "I was born": pt nasci, nascido/a; es nací; pl urodził(a/em); tr doğdum; uk народився / народилася, дата
        народження; ja 生まれ; ko 태어났; ar ولدت, مواليد; fa متولد */
     "\\bnasci\\b|\\bnascid[oa]|\\bnac\xc3\xad\\s|urodzi\xc5\x82|do\xc4\x9f" "du|"
     "\xd0\xbd\xd0\xb0\xd1\x80\xd0\xbe\xd0\xb4\xd0\xb8\xd0\xb2\xd1\x81\xd1\x8f|\xd0\xbd\xd0\xb0\xd1\x80\xd0\xbe\xd0\xb4\xd0\xb8\xd0\xbb\xd0\xb0\xd1\x81\xd1\x8f|"
     "\xd0\xbd\xd0\xb0\xd1\x80\xd0\xbe\xd0\xb4\xd0\xb6\xd0\xb5\xd0\xbd\xd0\xbd\xd1\x8f|\xe7\x94\x9f\xe3\x81\xbe\xe3\x82\x8c|\xed\x83\x9c\xec\x96\xb4\xeb\x82\xac|"
     "\xd9\x88\xd9\x84\xd8\xaf\xd8\xaa|\xd9\x85\xd9\x88\xd8\xa7\xd9\x84\xd9\x8a\xd8\xaf|\xd9\x85\xd8\xaa\xd9\x88\xd9\x84\xd8\xaf|"
     /* session 12: born / of birth in ta (பிறந்த), te (పుట్టిన), si (උපන්), am (የትውልድ), ka (დაბადების), hy (ծննդյան,
        Ծննդյան), km (កំណើត), my (မွေး), kk (туған, Туған), mn (төрсөн, Төрсөн), yo (ìbí), tl (kapanganakan), and the
        key of a record (`patient_dob`, `date_of_birth`: the underscore above) */
     "\xe0\xae\xaa\xe0\xae\xbf\xe0\xae\xb1\xe0\xae\xa8\xe0\xaf\x8d\xe0\xae\xa4|"
     "\xe0\xb0\xaa\xe0\xb1\x81\xe0\xb0\x9f\xe0\xb1\x8d\xe0\xb0\x9f\xe0\xb0\xbf\xe0\xb0\xa8|"
     "\xe0\xb6\x8b\xe0\xb6\xb4\xe0\xb6\xb1\xe0\xb7\x8a|"
     "\xe1\x8b\xa8\xe1\x89\xb5\xe1\x8b\x8d\xe1\x88\x8d\xe1\x8b\xb5|"
     "\xe1\x83\x93\xe1\x83\x90\xe1\x83\x91\xe1\x83\x90\xe1\x83\x93\xe1\x83\x94\xe1\x83\x91\xe1\x83\x98\xe1\x83\xa1|"
     "\xd5\xae\xd5\xb6\xd5\xb6\xd5\xa4\xd5\xb5\xd5\xa1\xd5\xb6|\xd4\xbe\xd5\xb6\xd5\xb6\xd5\xa4\xd5\xb5\xd5\xa1\xd5\xb6|"
     "\xe1\x9e\x80\xe1\x9f\x86\xe1\x9e\x8e\xe1\x9e\xbe\xe1\x9e\x8f|"
     "\xe1\x80\x99\xe1\x80\xbd\xe1\x80\xb1\xe1\x80\xb8|"
     "\xd1\x82\xd1\x83\xd2\x93\xd0\xb0\xd0\xbd|\xd0\xa2\xd1\x83\xd2\x93\xd0\xb0\xd0\xbd|"
     "\xd1\x82\xd3\xa9\xd1\x80\xd1\x81\xd3\xa9\xd0\xbd|\xd0\xa2\xd3\xa9\xd1\x80\xd1\x81\xd3\xa9\xd0\xbd|"
     "\xc3\xac\x62\xc3\xad|kapanganakan|"
     /* session 13: born / birth in pl (the abbreviation "ur."), cs (narozen/a, nar.), hu (született, születési), ro
        (născut/ă, nașterii with a comma or a cedilla), el (he / she was born), he (born: נולד, נולדה) */
     "\\bur\\.|narozen|\\bnar\\.|sz\xc3\xbclet|n\xc4\x83scut|na\xc8\x99terii|na\xc5\x9fterii|nasterii|"
     /* session 14: born / of birth in sk (narodený, narodenia), hr/bs/sr (rođen, rođena, rođenja; Cyrillic рођен), bg and mk
        (роден, родена; bg раждане), sl (rojen, rojstva), fi (synt.), lv (dzimis, dzimusi, dzimšanas), lt (gimęs, gimusi,
        gimimo), et (sündinud, sünniaeg), is (fæddur, fædd, fæðingardagur), sv (födelsedatum), da/no (fødselsdato), sq
        (lindur, lindjes, datëlindja), ha (ranar haihuwa), zu (usuku lokuzalwa) */
     "naroden|ro\xc4\x91" "en|rodjen|\xd1\x80\xd0\xbe\xd1\x92\xd0\xb5\xd0\xbd|\xd1\x80\xd0\xbe\xd0\xb4\xd0\xb5\xd0\xbd|"
     "\xd1\x80\xd0\xb0\xd0\xb6\xd0\xb4\xd0\xb0\xd0\xbd\xd0\xb5|rojen|rojstv|\\bsynt\\.|dzimis|dzimusi|dzim\xc5\xa1" "anas|"
     "gim\xc4\x99s|gimusi|gimimo|s\xc3\xbcnd|s\xc3\xbcnni|f\xc3\xa6\x64\x64|f\xc3\xa6\xc3\xb0ing|f\xc3\xb6" "delse|"
     "f\xc3\xb8" "dsels|lindur|lindjes|dat\xc3\xablindj|haihuwa|lokuzalwa|"
     "\xce\xb3\xce\xb5\xce\xbd\xce\xbd\xce\xae\xce\xb8\xce\xb7\xce\xba\xce\xb5|\xce\x93\xce\xb5\xce\xbd\xce\xbd\xce\xae\xce\xb8\xce\xb7\xce\xba\xce\xb5|\xd7\xa0\xd7\x95\xd7\x9c\xd7\x93)",
     HS_FLAG_CASELESS, POL__REC_DATE_WORD, 0, POL__DB_TEXT},
    /* session 10: verb-final languages write the date of birth before the word: ja 生まれ ("1985年6月12日生まれ"), ko 태어났
       / 출생 ("1990년 8월 15일에 태어났어요"), tr doğdu(m) ("12.05.1990'da doğdum"): dates.c pol__rec_date_before_word */
    {"\xe7\x94\x9f\xe3\x81\xbe\xe3\x82\x8c|\xed\x83\x9c\xec\x96\xb4\xeb\x82\xac|\xec\xb6\x9c\xec\x83\x9d|do\xc4\x9f" "du", HS_FLAG_CASELESS,
     POL__REC_DATE_WORD, 2, POL__DB_TEXT},
    /* words that announce a date (not of birth): reported at 0.6 */
    {"\\b(?:today is|date|dated|deadline|due (?:on|by|date)|appointment(?: on)?|scheduled (?:for|on)|expires? on|expiry|"
     "valid (?:until|thru)|heute ist|datum|termin|aujourd'hui|rendez-vous le|fecha|hoy es|cita el|oggi \xc3\xa8|scadenza|"
     "hoje \xc3\xa9|vandaag is|afspraak op)\\b\\s*[:,]?", HS_FLAG_CASELESS, POL__REC_DATE_WORD, 1, POL__DB_TEXT},
    {"\\b(?:Mr|Mrs|Ms|Mx|Dr|Prof|Herr|Frau|Mme|Mlle|Sra|Srta|Sr|Sig|Sgr)\\.?\\s", 0, POL__REC_PERSON_TRIGGER, 2, POL__DB_C},
    /* session 13: pt "Dona" (madam), and the Polish / Czech / Slovak forms of address in lower case, as written in a
       sentence ("Kontaktujte paní Novákovou", "proszę pana Kowalskiego"; capitalised "Pan" is also English) */
    {"\\b(?:Dona|pan|pana|panu|pani|pani\xc4\x85|pan\xc3\xad|pane)\\s", 0, POL__REC_PERSON_TRIGGER, 2, POL__DB_TEXT},
    {"\\b(?:my name is|my name's|name is|call me|je m'appelle|ich hei(?:\xc3\x9f|ss)e|mein name ist|me llamo|"
     "mi nombre es|mi chiamo|meu nome \xc3\xa9|mijn naam is|ik heet|"
     /* fr, it, pt, pl, cs, sk, sv, no, da, fi, hu, ro, tr, vi, id/ms, tl, sw */
     "mon nom est|il mio nome \xc3\xa8|me chamo|chamo-me|nazywam si\xc4\x99|mam na imi\xc4\x99|jmenuji se|vol\xc3\xa1m sa|"
     "jag heter|mitt namn \xc3\xa4r|jeg heter|jeg hedder|mit navn er|mitt navn er|nimeni on|a nevem|"
     "m\xc4\x83 numesc|numele meu este|benim ad\xc4\xb1m|ad\xc4\xb1m|t\xc3\xaan t\xc3\xb4i l\xc3\xa0|"
     "t\xc3\xb4i t\xc3\xaan l\xc3\xa0|nama saya|nama aku|nama lengkap saya|ang pangalan ko ay|ako si|jina langu ni|"
     /* sw: I am called, my full name is */
     "naitwa|jina langu kamili ni|"
     /* session 12: yo "my name is" (orúkọ mi ni, with or without its tone marks), tl the personal article "si" after the
        particles and pronouns that put it before a name ("Ako po si", "Tawagan mo si", "Kausapin ninyo si") */
     "or(?:\xc3\xba|u)k(?:\xe1\xbb\x8d|o) mi ni|(?:po|mo|ko|ninyo|nila|namin) si)\\s",
     HS_FLAG_CASELESS, POL__REC_PERSON_TRIGGER, 1, POL__DB_TEXT},
    /* sign-offs and greetings written in lower case or in other languages (weak: a gazetteer given name must follow) */
    {"\\b(?:best regards|kind regards|warm regards|best wishes|many thanks|mit freundlichen gr(?:\xc3\xbc|ue)(?:\xc3\x9f|ss)en|"
     /* de: greeting (informal sign-off) */
     "gru(?:\xc3\x9f|ss)|gr(?:\xc3\xbc|ue)(?:\xc3\x9f|ss)e|"
     "viele gr(?:\xc3\xbc|ue)(?:\xc3\x9f|ss)e|beste gr(?:\xc3\xbc|ue)(?:\xc3\x9f|ss)e|cordialement|bien (?:\xc3\xa0|a) vous|"
     "atenciosamente|abra(?:\xc3\xa7|c)os|saludos(?: cordiales)?|un saludo|cordiali saluti|distinti saluti|un saluto|"
     "met vriendelijke groet(?:en)?|vriendelijke groeten|hartelijke groet(?:en)?|ol(?:\xc3\xa1|a)|gentile|gentilissim[oa]|"
     "estimad[oa]|beste|hej|hei|salut)[,!]?\\s", HS_FLAG_CASELESS, POL__REC_PERSON_TRIGGER, 3, POL__DB_TEXT},
    {"\\b(?:Name|Full name|Patient|Customer|Client|Employee|Sender|Recipient|Nom|Vorname|Nachname|Nombre|Cognome|Nome|Naam|"
     /* vi: full name, name */
     "H\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan|H\xe1\xbb\x8d t\xc3\xaan|T\xc3\xaan|"
     /* id/ms: full name, name; sw: name, full name */
     "Nama lengkap|Nama|Jina kamili|Jina|"
     /* session 12: recipient (ms/id, sw, tl), name (tl), name in lower case (sw, id/ms, tl) */
     "Penerima|Mpokeaji|Tagatanggap|Pangalan|jina|nama|pangalan)\\s*:\\s*", 0,
     POL__REC_PERSON_TRIGGER, 1, POL__DB_TEXT},
    /* session 13: the person a form or a record is about, in the languages of probe13 (patient, student / pupil, guest,
       passenger, guardian, emergency contact, consignee; pl, cs/sk, hu, ro, tr, id, nl, pt, es, it, de, en: name, full
       name, surname, recipient, sender), and "neve" (hu "name of": "Beteg neve", "anyja neve"). In three patterns: one
       alternation of them all with the labels above took vectorscan's matcher from 258M to 465M instructions on
       bench_pii's mixed2k (callgrind), each part alone costs nothing measurable */
    {"\\b(?:Pacjent|Pacjentka|Pacient|Pacientka|Paciente|Paziente|Pasien|Hasta|Student|Pupil|Guest|Passenger|Guardian|"
     "Emergency contact|Contact person|Consignee|Uczennica|Imi\xc4\x99 i nazwisko|Nazwisko|Imi\xc4\x99|Odbiorca|Nadawca|"
     "Jm\xc3\xa9no a p\xc5\x99\xc3\xadjmen\xc3\xad|Jm\xc3\xa9no)\\s*:\\s*", 0, POL__REC_PERSON_TRIGGER, 1, POL__DB_TEXT},
    {"\\b(?:P\xc5\x99\xc3\xadjmen\xc3\xad|P\xc5\x99\xc3\xadjemce|Meno|"
     "N\xc3\xa9v|neve|Tanul\xc3\xb3|C\xc3\xadmzett|Nume \xc8\x99i prenume|Nume|Prenume|Elev|Destinatar|"
     "Ad Soyad|Ad\xc4\xb1 Soyad\xc4\xb1|Siswa|Murid|Leerling|Ontvanger|Aluno|Aluna|Alumno|Alumna|Alunno|Destinat\xc3\xa1rio|"
     "Destinatario|Nome completo|Sch\xc3\xbcler|Sch\xc3\xbclerin|Empf\xc3\xa4nger|Destinataire)\\s*:\\s*", 0,
     POL__REC_PERSON_TRIGGER, 1, POL__DB_TEXT},
    /* the same labels starting with a letter outside ASCII (\\b does not match before one) */
    {"(?:^|[\\s(])(?:Ucze\xc5\x84|\xc5\xbd\xc3\xa1k|\xc3\x96\xc4\x9frenci|Pati\xc3\xabnt|\xc3\x89l\xc3\xa8ve)\\s*:\\s*", 0,
     POL__REC_PERSON_TRIGGER, 1, POL__DB_TEXT},
    /* session 14: the same labels in the languages of probe14 (name, full name, surname; patient, pupil, employee,
       recipient, beneficiary, customer, next of kin; the parties of a filing and of a ticket) in sv, da, no, fi, is, et,
       lv, lt, sk, sl, hr/sr/bs, sq, es, fr, it, de, en, zu, ha and Marathi in Latin letters ("Nav:"); one pattern of
       their own (the matcher's cost grows with an alternation's size: session 13) */
    {"\\b(?:Namn|Vardas|Ime i prezime|Priimek|Reporter|Claimant|Respondent|Kl\xc3\xa4gerin|Antragstellerin|"
     "Arbeitnehmerin|Versicherte Person|Trabajador|Salari\xc3\xa9\x65|Lavoratrice|Ty\xc3\xb6ntekij\xc3\xa4|"
     "Darbuotojas|Zaposleni|Umsebenzi|Kunde|Pasient|Pacijent|Modtager|Saaja|Prejemnik|Beneficiario|"
     "Beg\xc3\xbcnstigte)\\s*:\\s*",
     0, POL__REC_PERSON_TRIGGER, 1, POL__DB_TEXT},
    {"\\b(?:Navn|Pavard\xc4\x97|Ime in priimek|Emri dhe mbiemri|Requester|Applicant|K\xc3\xa4rande|Kl\xc3\xa4ger|"
     "Antragsteller|Arbeitnehmer|Versicherter|Trabajadora|Salari\xc3\xa9|Medarbejder|T\xc3\xb6\xc3\xb6taja|"
     "Darbuotoja|Zaposlena|Anh\xc3\xb6rig|Nemandi|Patsient|Pacienti|Mottaker|Sa\xc5\x86\xc4\x93m\xc4\x93js|"
     "Primatelj|Beneficiaria|Nav)\\s*:\\s*",
     0, POL__REC_PERSON_TRIGGER, 1, POL__DB_TEXT},
    {"\\b(?:Nafn|V\xc4\x81rds|Ime|Emri|Requestor|Plaintiff|Svarande|Beklagter|Dienstnehmerin|Mitarbeiterin|"
     "Empleado|Employ\xc3\xa9\x65|Dipendente|Ansatt|Darbinieks|Zamestnanec|Zaposlenik|Asiakas|Oppilas|"
     "Pacients|Sj\xc3\xbaklingur|Vastaanottaja|Gav\xc4\x97jas|Primalac|B\xc3\xa9n\xc3\xa9\x66iciaire|Suna)\\s*:\\s*",
     0, POL__REC_PERSON_TRIGGER, 1, POL__DB_TEXT},
    {"\\b(?:Nimi|Uzv\xc4\x81rds|Prezime|Mbiemri|Assignee|Defendant|S\xc3\xb6kande|Beklagte|Dienstnehmer|"
     "Mitarbeiter|Empleada|Employ\xc3\xa9|Lavoratore|Anst\xc3\xa4lld|Darbiniece|Zam\xc4\x9bstnanec|"
     "Pun\xc3\xabnj\xc3\xabsi|Kund|Potilas|Pacientas|Mottagare|Vi\xc3\xb0takandi|Pr\xc3\xadjemca|"
     "Marr\xc3\xabsi|Beg\xc3\xbcnstigter|Igama)\\s*:\\s*",
     0, POL__REC_PERSON_TRIGGER, 1, POL__DB_TEXT},
    /* session 14: the person a record is about after the role word without a colon ("Pacient Juraj Baláž, RČ ...",
       "Potilas Eero Mäkinen", "Patienten Freja Mortensen", "Darbinieks Andris Kalniņš"): capitalised role words of the
       languages that write them so at the head of a line or a note (not English "Patient", which heads phrases such as
       "Patient Portal") */
    {"\\b(?:Pacient|Pacientka|Pacijent|Pacijentica|Pacientas|Pacient\xc4\x97|Pacients|Paciente|Pacienti|Potilas|Patienten|"
     "Pasienten|Pasient|Patsient|Paziente|Darbinieks|Darbuotojas|Dienstnehmer|Dienstnehmerin)\\s", 0,
     POL__REC_PERSON_TRIGGER, 1, POL__DB_TEXT},
    /* session 14: the payee, holder or recipient of an account, a card or a parcel, in lower case inside a sentence
       (et saaja, lv saņēmējs, lt gavėjas, sv/da/no, fi, is, sl, hr, sr, mk in Latin, sq, es, fr, it, de, lv/lt owner) */
    {"(?:\\b(?:saaja|gav\xc4\x97jas|mottagare|kontohavare|kontoinnehavare|modtager|mottaker|kontohaver|vastaanottaja|"
     "tilinomistaja|vi\xc3\xb0takandi|prejemnik|primatelj|primalac|vlasnik ra\xc4\x8duna|majite\xc4\xbe|majitel|marr\xc3\xabsi|"
     "beneficiario|beneficiaria|recibe|destinataire|destinatario|intestatario|intestataria|lautend auf|savininkas|"
     "omistaja|eigenaar)|(?:^|[\\s(,])(?:sa\xc5\x86\xc4\x93m\xc4\x93js|\xc4\xabpa\xc5\xa1nieks|p\xc3\xabrfituesi|"
     "b\xc3\xa9n\xc3\xa9\x66iciaire))\\s*:?\\s", HS_FLAG_CASELESS, POL__REC_PERSON_TRIGGER, 1, POL__DB_TEXT},
    /* session 14: introductions without a verb of naming in the languages of probe14 (sq "jam", lt "aš", lv "esmu", is
       "ég er") and the first person of a petition or a statement, "I, Name Surname, born ..." (sk/cs/pl/hr/sr/bs "ja,",
       sl "jaz,", lt "aš,", sq "unë,"): the intro rule (person.c pol__person_intro; after the comma form a comma must end
       the name). Not the shorter "es,", "i,", "eu,", "io,", "yo,", "esu": with them this pattern cost bench_pii's mixed2k
       +9 % instructions (their literals are everywhere: "cases, ") */
    {"\\b(?:jam|a\xc5\xa1|esmu|\xc3\xa9g er|ja,|jaz,|a\xc5\xa1,|un\xc3\xab,) ",
     HS_FLAG_CASELESS, POL__REC_PERSON_TRIGGER, 5, POL__DB_TEXT},
    /* session 15: the labels of shipping labels, forms, boarding passes and legal captions written in capitals ("SHIP TO:",
       "ATTN:", "PASSENGER:", "NAME OF INSURED:", "PLAINTIFF:", "DESTINATARIO:", "EMPFÄNGER:"): strong, and the name after
       them may be in capitals too (person.c caps_name) */
    {"\\b(?:SHIP TO|DELIVER TO|BILL TO|SOLD TO|SEND TO|ATTN|ATTENTION|RECIPIENT|CONSIGNEE|CONSIGNOR|SHIPPER|PASSENGER|"
     "PASSENGER NAME|NAME|FULL NAME|SURNAME|GIVEN NAMES|CARDHOLDER|CARDHOLDER NAME|CARD HOLDER|INSURED|NAME OF INSURED|"
     "POLICYHOLDER|REMITTER|BENEFICIARY|PAYEE|PLAINTIFF|DEFENDANT|APPLICANT|CLAIMANT|PETITIONER|RESPONDENT|PATIENT|EMPLOYEE|"
     "CUSTOMER|DESTINATARIO|REMITENTE|DESTINATAIRE|MOTTAGARE|MODTAGER|MOTTAKER|EMPF\xc3\x84NGER|ODBIORCA|TO) ?:\\s*",
     0, POL__REC_PERSON_TRIGGER, 1, POL__DB_TEXT},
    {"\\b(?:SHIP TO|DELIVER TO|BILL TO|SEND TO|ATTN|L'ATTENTION DE) ", 0, POL__REC_PERSON_TRIGGER, 1, POL__DB_TEXT},
    /* session 15: a table's header naming a column of people, followed by a cell separator ("first_name,last_name,phone",
       "employee,manager,start", "id;name;department", "| Name | Role |"; person.c pol__person_csv). Case-sensitive and
       without a class before the keys: the caseless form with a separator class before every key took bench_pii's
       mixed2k from 284M to 412M instructions (callgrind) */
    {"(?:full_name|first_name|last_name|fullname|firstname|lastname|given_name|family_name|surname|employee|employee_name|"
     "manager|customer_name|contact_name|patient|patient_name|account_holder|imi\xc4\x99 i nazwisko|imi\xc4\x99|nazwisko|"
     "cognome|nombre|apellidos?|pr\xc3\xa9nom|vorname|nachname|vardas|pavard\xc4\x97|etunimi|sukunimi|fornavn|efternavn|"
     "etternavn|f\xc3\xb6rnamn|efternamn|ime i prezime|nome completo|nombre completo|nom complet|Full name|First name|"
     "Last name|Surname|Name|Employee|Nome|Cognome|Namn|Navn|Nimi|Nombre|Vorname|Nachname)\"? ?[,;\\t|]|[,;\\t\\n]\"?(?:name|nome|nom|namn|navn|nimi)\"?[,;\\t\\r\\n]|^\"?name\"?[,;\\t]",
     0, POL__REC_PERSON_TRIGGER, 9, POL__DB_TEXT},
    /* session 12: the display name of a mail header ("From: \"Tanvir Hasan\" <tanvir@...>", RFC 5322 section 3.4): the
       capitalised words before the angle-bracketed address (person.c checks the "<" after them) */
    /* session 15: and the people of package metadata and commit trailers ("maintainer: Bogdan Ciobanu <bogdan@...>",
       "Signed-off-by: Name <address>") */
    {"(?:^|\\n)(?:From|To|Cc|Bcc|Reply-To|Sender|[Mm]aintainer|[Aa]uthor|Co-authored-by|Signed-off-by|Reviewed-by|"
     "Reported-by|Acked-by|Tested-by): {0,2}\"?",
     0, POL__REC_PERSON_TRIGGER, 6, POL__DB_TEXT},
    /* session 12: the value of a name key in a record (JSON, code, YAML, SQL-ish key = value, vCard FN): quoted after a key
       of a person's name ("full_name": "Ngozi Eze", holder: 'Emeka Nwosu', name = "Chidi Okonkwo"), or unquoted
       after "FN:" and a YAML "name: " at a line's start; the value must be the whole name (person.c checks the closing
       quote or the line's end after it) */
    /* session 15: the name keys of nl, es, pt/it, fr, sv, da/no, fi ("naam", "nombre", "nome", "nom", "namn", "navn",
       "nimi"), "surname", "forename", and XML elements ("<name>Ingeborg Haugland</name>", "<full_name>") */
    {"\\b(?:(?:full|first|last|given|family|display|customer|contact|patient|client|account|card|sender|recipient|holder|"
     "owner|employee)[_ -]?)?(?:name|holder|naam|nombre|nome|nom|namn|navn|nimi|surname|forename)[\"']? {0,2}[:=] {0,2}[\"']|"
     "<(?:(?:full|first|last|given|family|customer|contact)_?)?name>|"
     "(?:^|\\n) {0,8}(?:- )?(?:full_)?name: |(?:^|\\n)FN(?:;[A-Za-z=,-]{1,40})?:",
     HS_FLAG_CASELESS, POL__REC_PERSON_TRIGGER, 7, POL__DB_TEXT},
    /* introductions without a verb of naming ("Saya Siti Nurhaliza" id/ms, "Mimi ni Amina Hassan" sw: I am): a name of
     * two capitalised words only (arg 4), so "saya Indonesia" or "mimi ni Mkenya" are none */
    {"\\b(?:saya|aku|mimi ni)\\s", HS_FLAG_CASELESS, POL__REC_PERSON_TRIGGER, 4, POL__DB_TEXT},
    /* introductions without a verb of naming (fr, de, es, it, pt, nl, pl, cs, sv, no/da, fi, ro, ca, hr/sr/bs, sl: "it is",
     * "I am"; the telephone openings "hier ist", "hier spricht", nl "met", pt "aqui é", "aqui fala"): two or three capitalised words that start and end a clause (person.c pol__person_intro); Turkish "ben" only
     * in lower case ("Ben" is an English given name); a space after the phrase (a literal: "met " and "sou " are rarer than
     * "met", "sou" inside "method", "source") */
    {"\\b(?:c'est|c\xe2\x80\x99" "est|je suis|ich bin|hier ist|hier spricht|soy|sono|sou|aqui \xc3\xa9|aqui fala|ik ben|met|jestem|jsem|jag \xc3\xa4r|jeg er|olen|sunt|"
     "s\xc3\xb3\x63|ja sam|jaz sem) ", HS_FLAG_CASELESS, POL__REC_PERSON_TRIGGER, 5, POL__DB_TEXT},
    {"\\bben ", 0, POL__REC_PERSON_TRIGGER, 5, POL__DB_TEXT},
    /* session 11: the payee or holder of an account or card (en, fr, nl, es, pt, it, de, tr, id/ms), the person to ask for,
     * and a relative or colleague named after the relation ("my daughter Aaliyah", "our new hire Kwame Mensah-Bonsu"):
     * strong, a capitalised word follows (person.c) */
    {"\\b(?:account holder|card ?holder|holder|beneficiary|payee|ask for|au nom de|titulaire|t\\.n\\.v\\.|ten name van|"
     /* session 13: holder (ro, es, pt), beneficiary (hu), in the name of (pl, ro, cs), emergency contact, consignee */
     "titular|kedvezm\xc3\xa9nyezett|na nazwisko|pe numele|\xc3\xaen numele|na jm\xc3\xa9no|emergency contact|consignee|"
     "a nombre de|em nome de|favorecido|intestat[oa] a|kontoinhaber(?:in)?|al\xc4\xb1\x63\xc4\xb1|atas nama|a\\.n\\.|"
     "(?:my|our|his|her) (?:daughter|son|wife|husband|mother|father|mom|mum|dad|friend|colleague|boss|neighbou?r|sister|"
     "brother|grandma|grandpa|grandmother|grandfather|aunt|uncle|cousin|niece|nephew|partner|fianc\xc3\xa9\x65?|girlfriend|"
     "boyfriend|manager|new hire|coworker|co-worker))\\s*:?\\s", HS_FLAG_CASELESS, POL__REC_PERSON_TRIGGER, 1, POL__DB_TEXT},
    /* forms of address within the family, part of the name as an honorific is ("Grandma Rosa", "Aunt Mary") */
    {"\\b(?:Grandma|Grandpa|Granny|Nana|Aunt|Auntie|Uncle)\\s", 0, POL__REC_PERSON_TRIGGER, 2, POL__DB_TEXT},
    /* sign-offs of hu/da/no/sv/nl/pl/cs/tr/fi (weak: a gazetteer given name or a signature line follows; \\b does not
       match before a non-ASCII byte, so the Hungarian one stands first without it) */
    {"(?:\xc3\xbc|\xc3\x9c)\x64v\xc3\xb6zlettel[,!:]?\\s|"
     "\\b(?:med venlig hilsen|venlig hilsen|med vennlig hilsen|vennlig hilsen|hilsen|med v\xc3\xa4nliga h\xc3\xa4lsningar|"
     "h\xc3\xa4lsningar|groet(?:en)?|pozdrawiam|s pozdravem|sayg\xc4\xb1lar\xc4\xb1mla|"
     "terveisin|yst\xc3\xa4v\xc3\xa4llisin terveisin|"
     /* session 14: no/da "mvh" (med vennlig / venlig hilsen), sl/hr/sr/bs "lep pozdrav", "lijep pozdrav", "srdačan pozdrav",
        "s poštovanjem", et "lugupidamisega", lv "ar cieņu", lt "pagarbiai", sk "s pozdravom" */
     "mvh|lep pozdrav|lijep pozdrav|srda\xc4\x8d" "an pozdrav|s po\xc5\xa1tovanjem|lugupidamisega|ar cie\xc5\x86u|pagarbiai|"
     "s pozdravom)[,!:]?\\s", HS_FLAG_CASELESS, POL__REC_PERSON_TRIGGER, 3, POL__DB_TEXT},
    {"\\b(?:Dear|Hi|Hello|Hey|Thanks|Cheers|Regards|Sincerely|Bonjour|Hallo|Hola|Ciao|Liebe|Lieber|Cher|Querida|Querido|"
     "Cara|Caro|I am|I'm|This is|Ich bin|Je suis|Soy),?\\s", 0, POL__REC_PERSON_TRIGGER, 0, POL__DB_C},
};
/* clang-format on */

const pol__pattern_t *pol__patterns(size_t *n)
{
    *n = sizeof(patterns) / sizeof(patterns[0]);
    return patterns;
}

#define U(p) POL__U(p)

/* Whether the key before a record's value ending at `to` (after `: "`, `= '`, `name: `) is the bare word "name" (any
 * case), not "full_name", "holder", "FN" */
static int plain_name_key(const char *t, size_t to)
{
    /* session 15: and the bare name keys of other languages, and an XML element's name */
    static const char *const keys[] = {"name", "naam", "nombre", "nome", "nom", "namn", "navn", "nimi", NULL};
    size_t k = to, n = 0;
    while (k > 0 &&
           (t[k - 1] == ' ' || t[k - 1] == '"' || t[k - 1] == '\'' || t[k - 1] == ':' || t[k - 1] == '=' || t[k - 1] == '>'))
        k--;
    for (const char *const *w = keys; *w != NULL && n == 0; w++) {
        size_t l = strlen(*w);
        if (k >= l && strncasecmp(t + k - l, *w, l) == 0)
            n = l;
    }
    if (n == 0)
        return 0;
    if (k == n)
        return 1;
    unsigned char b = POL__U(t[k - n - 1]);
    if (pol__is_alnum(b) || b == '_' || b == '-')
        return 0;                                                            /* "full_name", "card-name" */
    return !(b == ' ' && k >= n + 2 && pol__is_alpha(POL__U(t[k - n - 2]))); /* "full name"; YAML indentation is no prefix */
}

/* session 15: the key before a record's value at `to` names one part of a name ("firstName", "last_name", "surname",
 * "<first_name>"): one word is the whole value */
static int part_name_key(const char *t, size_t to)
{
    static const char *const keys[] = {"first", "last", "given", "family", "sur", "fore", NULL};
    size_t k = to;
    while (k > 0 &&
           (t[k - 1] == ' ' || t[k - 1] == '"' || t[k - 1] == '\'' || t[k - 1] == ':' || t[k - 1] == '=' || t[k - 1] == '>'))
        k--;
    if (k < 4 || strncasecmp(t + k - 4, "name", 4) != 0)
        return 0;
    k -= 4;
    if (k > 0 && (t[k - 1] == '_' || t[k - 1] == '-' || t[k - 1] == ' '))
        k--;
    for (const char *const *w = keys; *w != NULL; w++) {
        size_t l = strlen(*w);
        if (k >= l && strncasecmp(t + k - l, *w, l) == 0 && (k == l || !pol__is_alpha(POL__U(t[k - l - 1]))))
            return 1;
    }
    return 0;
}

/* session 15: a word of an organisation's name ("Acme Sales", "Main Office"): a record with a phone or an address is
 * a company's as often as a person's */
static int org_word_in(const char *t, size_t s, size_t e)
{
    static const char *const words[] = {
        "sales",      "team",   "office",  "support",  "service",    "services", "desk",   "shop",    "store",
        "bank",       "hotel",  "clinic",  "school",   "center",     "centre",   "group",  "company", "dept",
        "department", "inc",    "ltd",     "llc",      "gmbh",       "corp",     "agency", "studio",  "restaurant",
        "cafe",       "museum", "library", "hospital", "university", "club",     "team",   "info",    NULL};
    for (size_t a = s, b; a < e; a = b + 1) {
        const char *sp = memchr(t + a, ' ', e - a);
        b = sp != NULL ? (size_t)(sp - t) : e;
        for (const char *const *w = words; *w != NULL; w++)
            if (strlen(*w) == b - a && strncasecmp(t + a, *w, b - a) == 0)
                return 1;
    }
    return 0;
}

/* session 15: a key of a person's contact or identity data ("email", "phone", "dob", "iban", "address"...) within 160
 * bytes of `at`: the record whose bare "name" is at `at` is about a person ("- name: Oskar Lindahl\n  phone: ...";
 * not "name: Build and Test\non: [push]") */
static int personal_key_near(const char *t, size_t len, size_t at)
{
    static const char *const keys[] = {"email", "e-mail",  "mail",     "phone",   "mobile",    "tel",     "dob",   "birth",
                                       "iban",  "ssn",     "passport", "address", "bsn",       "dni",     "pesel", "cpf",
                                       "nhs",   "telefon", "telefoon", "correo",  "domicilio", "adresse", NULL};
    size_t s = at > 160 ? at - 160 : 0, e = at + 160 < len ? at + 160 : len;
    for (size_t i = s; i < e; i++) {
        if (i > 0 && pol__is_alpha(POL__U(t[i - 1])))
            continue;
        for (const char *const *w = keys; *w != NULL; w++) {
            size_t l = strlen(*w), q = i + l;
            if (q > e || strncasecmp(t + i, *w, l) != 0)
                continue;
            if (q < e && (t[q] == '"' || t[q] == '\''))
                q++;
            while (q < e && t[q] == ' ')
                q++;
            if (q < e && (t[q] == ':' || t[q] == '=' || t[q] == '>'))
                return 1;
        }
    }
    return 0;
}

/* ---- e-mail ---- */

/* the script of a letter in an address: 1 Latin (ASCII or extended), 2 Greek, 3 Cyrillic, 4 Han
 * ideographs, 5 kana, 6 Hangul syllables, 0 not a letter. Han, kana and Hangul addresses are
 * RFC 6531 ones ("홍길동@example.com", "张伟@例子.中国"); a script change ends a local part, so
 * "メールは田中@example.jp" starts at 田中, while Chinese prose glued to the address ("联系张伟@...")
 * is masked with it. */
static int mail_script(uint32_t cp)
{
    if ((cp < 0x80 && pol__is_alpha((unsigned char)cp)) || (cp >= 0xC0 && cp <= 0x2AF) || (cp >= 0x1E00 && cp <= 0x1EFF))
        return 1;
    if (cp >= 0x370 && cp <= 0x3FF)
        return 2;
    if (cp >= 0x400 && cp <= 0x52F)
        return 3;
    if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF))
        return 4;
    if ((cp >= 0x3041 && cp <= 0x3096) || (cp >= 0x30A1 && cp <= 0x30FA))
        return 5;
    if (cp >= 0xAC00 && cp <= 0xD7A3)
        return 6;
    return 0;
}

/* a letter an address may hold beyond ASCII: the alphabetic scripts' and Han, kana, Hangul */
static int mail_letter(uint32_t cp)
{
    return pol__cp_alpha_letter(cp) || mail_script(cp) >= 4;
}

/* The domain of an address from at + 1: labels of [A-Za-z0-9-] (and, if idn, letters of the
 * alphabetic scripts, Han, kana and Hangul: internationalised labels such as "bücher", "例子") separated by single dots. A
 * label is in one script, so "example.comпривет" ends after "com". *last_dot receives the last
 * dot (0 if none). @return the end */
static size_t email_domain(const char *t, size_t len, size_t at, int idn, size_t *last_dot)
{
    size_t e = at + 1;
    int script = 0;
    *last_dot = 0;
    while (e < len && e - at < 255) {
        unsigned char ch = U(t[e]);
        uint32_t cp = ch;
        size_t n = 1;
        if (ch == '.' && e + 1 < len && (pol__is_alnum(U(t[e + 1])) || (idn && U(t[e + 1]) >= 0x80)) && t[e - 1] != '.') {
            *last_dot = e++;
            script = 0;
            continue;
        }
        if (ch >= 0x80 && (!idn || (n = pol__cp_at(t, len, e, &cp)) < 2 || !mail_letter(cp)))
            break;
        if (ch < 0x80 && !pol__is_alnum(ch) && ch != '-')
            break;
        int sc = mail_script(cp);
        if (sc != 0 && script != 0 && sc != script)
            break;
        if (sc != 0)
            script = sc;
        e += n;
    }
    return e;
}

static int tld_ok(const char *t, size_t last_dot, size_t e)
{
    size_t tld = e - last_dot - 1;
    int alpha = tld >= 2;
    for (size_t i = last_dot + 1; i < e && alpha; i++)
        alpha = pol__is_alpha(U(t[i])) || U(t[i]) >= 0x80;
    return alpha || (tld > 4 && memcmp(t + last_dot + 1, "xn--", 4) == 0);
}

static int rec_email(pol__scanctx_t *c, size_t to)
{
    const char *t = c->text;
    size_t at = to - 1; /* the match is the '@' */
    if (at == 0 || at + 1 >= c->len)
        return 0;
    /* the characters beside it: atext that can end a local part, a letter or digit that can start
     * a domain, or a byte of a non-ASCII character (checked as a letter below) */
    unsigned char l = U(t[at - 1]), r = U(t[at + 1]);
    if (!(pol__is_alnum(l) || l == '_' || l == '%' || l == '+' || l == '-' || l >= 0x80) || !(pol__is_alnum(r) || r >= 0x80))
        return 0;
    /* local part: ASCII atext, and letters (RFC 6531 addresses such as "josé@", "홍길동@"); any
     * other code point (punctuation, a symbol) or a change of script ("пишитеivan@", "は田中@") is
     * where it starts */
    size_t s = at;
    int script = 0;
    while (s > 0 && at - s < 64) {
        unsigned char ch = U(t[s - 1]);
        uint32_t cp = ch;
        size_t n = 1;
        if (ch < 0x80 && !(pol__is_alnum(ch) || ch == '.' || ch == '_' || ch == '%' || ch == '+' || ch == '-' || ch == '\''))
            break;
        if (ch >= 0x80 && ((n = pol__cp_before(t, s, &cp)) < 2 || !mail_letter(cp)))
            break;
        int sc = mail_script(cp);
        if (sc != 0 && script != 0 && sc != script)
            break;
        if (sc != 0)
            script = sc;
        s -= n;
    }
    while (s < at && (t[s] == '.' || t[s] == '\''))
        s++;
    if (s == at || (s > 0 && t[s - 1] == '@'))
        return 0;
    /* domain: labels separated by '.', last label alphabetic >= 2 or an xn-- label; an
     * internationalised domain first, then the ASCII one */
    size_t last_dot, e = email_domain(t, c->len, at, 1, &last_dot);
    if (last_dot == 0 || !tld_ok(t, last_dot, e))
        e = email_domain(t, c->len, at, 0, &last_dot);
    c->skip_until[POL__REC_EMAIL] = e;
    if (last_dot == 0 || !tld_ok(t, last_dot, e))
        return 0;
    return pol__cands_push(c->cands, POL_PII_EMAIL_ADDRESS, s, e, 1.0);
}

/* A separator of an obfuscated domain at p: '.', or "(dot)" / "[dot]" / "{dot}" / " dot " with optional spaces around the
 * bracketed forms; @return its length or 0 */
static size_t obf_dot(const char *t, size_t len, size_t p)
{
    if (p < len && t[p] == '.')
        return 1;
    size_t q = p + (p < len && t[p] == ' ');
    if (q + 5 <= len && strchr("([{", t[q]) != NULL && strncasecmp(t + q + 1, "dot", 3) == 0 && strchr(")]}", t[q + 4]) != NULL)
        return q + 5 - p + (q + 5 < len && t[q + 5] == ' ' && q > p);
    if (q > p && q + 4 < len && strncasecmp(t + q, "dot ", 4) == 0)
        return q + 4 - p;
    return 0;
}

/* An address whose '@' is written "(at)", "[at]", "{at}" or "<at>", maybe with spaces around ("jane.doe(at)example.com",
 * "jane (at) example (dot) com"; session 11). The match ends after the closing bracket at `to`; the local part is ASCII
 * atext or letters of the alphabetic scripts before it, the domain two or more labels of letters, digits and '-' joined by
 * obf_dot separators, the last one alphabetic (>= 2 letters). */
static int rec_email_obfuscated(pol__scanctx_t *c, size_t to)
{
    const char *t = c->text;
    size_t len = c->len;
    if (to < 5)
        return 0;
    size_t a = to - 4, le = a, s, e = to;
    if (le > 0 && t[le - 1] == ' ')
        le--;
    for (s = le; s > 0 && le - s < 64;) {
        unsigned char ch = U(t[s - 1]);
        uint32_t cp;
        size_t n = 1;
        if (ch < 0x80 && !(pol__is_alnum(ch) || ch == '.' || ch == '_' || ch == '+' || ch == '-'))
            break;
        if (ch >= 0x80 && ((n = pol__cp_before(t, s, &cp)) < 2 || !pol__cp_alpha_letter(cp)))
            break;
        s -= n;
    }
    while (s < le && t[s] == '.')
        s++;
    if (s == le)
        return 0;
    if (e < len && t[e] == ' ')
        e++;
    int labels = 0;
    size_t last_start = e, end = e;
    for (size_t p = e; p < len && labels < 8;) {
        size_t q = p;
        while (q < len && (pol__is_alnum(U(t[q])) || t[q] == '-'))
            q++;
        if (q == p)
            break;
        labels++, last_start = p, end = q;
        size_t d = obf_dot(t, len, q);
        if (d == 0 || q + d >= len || !pol__is_alnum(U(t[q + d])))
            break;
        p = q + d;
    }
    if (labels < 2 || end - last_start < 2 || pol__glue_after(t, len, end))
        return 0;
    for (size_t q = last_start; q < end; q++)
        if (!pol__is_alpha(U(t[q])))
            return 0;
    return pol__cands_push(c->cands, POL_PII_EMAIL_ADDRESS, s, end, 0.9);
}

/* ---- IPv4 / IPv6 ---- */

/* includes a CIDR prefix length ("/24", "/128") that follows an address */
static size_t cidr_end(const char *t, size_t len, size_t e)
{
    size_t p = e + 1;
    if (e >= len || t[e] != '/')
        return e;
    while (p < len && p - e <= 3 && pol__is_digit(U(t[p])))
        p++;
    return p > e + 1 && !pol__glue_after(t, len, p) ? p : e;
}

static int rec_ipv4(pol__scanctx_t *c, size_t to)
{
    const char *t = c->text;
    size_t s = to, e = to;
    while (s > 0 && (pol__is_digit(U(t[s - 1])) || t[s - 1] == '.'))
        s--;
    while (e < c->len && (pol__is_digit(U(t[e])) || t[e] == '.'))
        e++;
    c->skip_until[POL__REC_IPV4] = e;
    while (e > s && t[e - 1] == '.')
        e--;
    if (s > 0 && (pol__glue_before(t, s) || t[s - 1] == '-'))
        return 0;
    if (pol__glue_after(t, c->len, e))
        return 0;
    if (!pol__ipv4_ok(t + s, e - s))
        return 0;
    double sc = 0.6;
    if (pol__has_word(t, s > 32 ? s - 32 : 0, s,
                      (const char *const[]){"version", "versions", "ver", "v", "release", "build", "sdk", NULL}))
        sc = 0.2;
    pol__cand_t *last;
    if (pol__cands_push(c->cands, POL_PII_IP_ADDRESS, s, cidr_end(t, c->len, e), sc) != 0)
        return -1;
    last = &c->cands->v[c->cands->n - 1];
    last->ctx_done = sc < 0.5;
    return 0;
}

static int rec_ipv6(pol__scanctx_t *c, size_t to, int net)
{
    const char *t = c->text;
    if (net) {
        /* "::/N" ends at to: the address "::" is a route or a network only with its prefix length
         * (alone, "::" is C++ or Haskell syntax) */
        size_t s = to - 4, e = cidr_end(t, c->len, to - 2);
        if (e == to - 2 || (s > 0 && (pol__glue_before(t, s) || t[s - 1] == ':' || t[s - 1] == '.')))
            return 0;
        return pol__cands_push(c->cands, POL_PII_IP_ADDRESS, s, e, 0.6);
    }
    size_t s = to, e = to;
    while (s > 0 && to - s < 45 && (pol__is_hex(U(t[s - 1])) || t[s - 1] == ':' || t[s - 1] == '.'))
        s--;
    while (e < c->len && e - s < 45 && (pol__is_hex(U(t[e])) || t[e] == ':' || t[e] == '.'))
        e++;
    c->skip_until[POL__REC_IPV6] = e;
    while (e > s && (t[e - 1] == '.' || (t[e - 1] == ':' && !(e - s >= 2 && t[e - 2] == ':'))))
        e--;
    while (s < e && t[s] == '.')
        s++;
    if (s > 0 && (pol__glue_before(t, s) || t[s - 1] == ':'))
        return 0;
    if (pol__glue_after(t, c->len, e) || (e < c->len && t[e] == ':'))
        return 0;
    size_t colons = 0;
    for (size_t i = s; i < e; i++)
        colons += t[i] == ':';
    if (colons < 2 || e - s < 3 || !pol__ipv6_ok(t + s, e - s))
        return 0;
    /* a zone id after a link-local address (RFC 4007 section 11: "fe80::1%eth0", unreserved
     * characters as RFC 6874 allows them in URIs) belongs to the address */
    size_t z = e + 1;
    if (e < c->len && t[e] == '%' && e - s >= 4 && (t[s] | 0x20) == 'f' && (t[s + 1] | 0x20) == 'e' && t[s + 2] == '8') {
        while (z < c->len && z - e <= 32 && (pol__is_alnum(U(t[z])) || t[z] == '_' || t[z] == '.' || t[z] == '~' || t[z] == '-'))
            z++;
        while (z > e + 1 && t[z - 1] == '.')
            z--;
        if (z > e + 1 && !pol__glue_after(t, c->len, z))
            e = z, c->skip_until[POL__REC_IPV6] = z;
    }
    return pol__cands_push(c->cands, POL_PII_IP_ADDRESS, s, cidr_end(t, c->len, e), 0.6);
}

/* ---- IBAN ---- */

/* The IBAN's groups may be split by tabs, line breaks, '|' or written-out escapes as well as by spaces or hyphens
 * ("DE89\t3704\t0044...", "DE89 3704 0044\n0532 0130 00" wrapped in a pasted letter; pol__split_sep): ISO 7064
 * mod 97-10 and the country's length decide, as for the other layouts. */
static int rec_iban(pol__scanctx_t *c, size_t to)
{
    const char *t = c->text;
    /* back from the first group of four over the separator to the check digits */
    size_t k = to - 4;
    while (k > 4) {
        unsigned char ch = U(t[k - 1]);
        if (ch == ' ' || ch == '-' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f' || ch == '|')
            k--;
        else if ((ch == 't' || ch == 'n' || ch == 'r') && t[k - 2] == '\\')
            k -= 2;
        else
            break;
    }
    if (k < 4)
        return 0;
    size_t s = k - 4;
    if (pol__glue_before(t, s))
        return 0;
    char comp[40];
    size_t n = 0, i = s;
    char sep = 0;
    int weak;
    size_t ends[40]; /* ends[m]: the byte after the m-th character of comp */
    while (i < c->len && n < 34) {
        unsigned char ch = U(t[i]);
        if (pol__is_digit(ch) || pol__is_alpha(ch)) {
            comp[n++] = (char)(ch >= 'a' && ch <= 'z' ? ch - 32 : ch); /* ISO 13616 is upper case; people write it both ways */
            ends[n] = ++i;
        } else if ((ch == ' ' || ch == '-') && n % 4 == 0 && n > 0 && i + 1 < c->len && pol__is_alnum(U(t[i + 1])) &&
                   (sep == 0 || sep == (char)ch)) {
            sep = (char)ch;
            i++;
        } else if (n % 4 == 0 && n > 0 && sep != '-' && (k = pol__split_sep(t, c->len, i, &weak)) > 0 && weak && i + k < c->len &&
                   pol__is_alnum(U(t[i + k]))) {
            i += k; /* a tab, line break, '|' or escape between two groups */
        } else {
            break;
        }
    }
    /* the IBAN may be shorter than the alnum run only if the country length says so */
    size_t best = 0;
    for (size_t m = 15; m <= n; m++) {
        if (pol__iban_ok(comp, m)) {
            best = m;
            break;
        }
    }
    if (best == 0)
        return 0;
    size_t e = ends[best];
    if (pol__glue_after(t, c->len, e))
        return 0;
    c->skip_until[POL__REC_IBAN] = e;
    return pol__cands_push(c->cands, POL_PII_IBAN_CODE, s, e, 0.95);
}

/* ---- crypto ---- */

static int b58(unsigned char ch)
{
    return pol__is_alnum(ch) && ch != '0' && ch != 'O' && ch != 'I' && ch != 'l';
}

static int rec_btc58(pol__scanctx_t *c, size_t to)
{
    const char *t = c->text;
    size_t s = to - 26, e = to;
    if (pol__glue_before(t, s))
        return 0;
    while (e < c->len && b58(U(t[e])) && e - s < 36)
        e++;
    c->skip_until[POL__REC_BTC58] = e;
    if (pol__glue_after(t, c->len, e))
        return 0;
    if (!pol__btc_base58_ok(t + s, e - s))
        return 0;
    return pol__cands_push(c->cands, POL_PII_CRYPTO, s, e, 0.9);
}

static int rec_bech32(pol__scanctx_t *c, size_t to)
{
    const char *t = c->text;
    size_t s = to - 14, e = to;
    if (pol__glue_before(t, s))
        return 0;
    while (e < c->len && pol__is_alnum(U(t[e])) && e - s < 91)
        e++;
    c->skip_until[POL__REC_BECH32] = e;
    if (pol__glue_after(t, c->len, e))
        return 0;
    if (!pol__btc_bech32_ok(t + s, e - s))
        return 0;
    return pol__cands_push(c->cands, POL_PII_CRYPTO, s, e, 0.9);
}

static int rec_eth(pol__scanctx_t *c, size_t to)
{
    const char *t = c->text;
    size_t s = to - 42;
    if (pol__glue_before(t, s) || (pol__glue_after(t, c->len, to)))
        return 0;
    return pol__cands_push(c->cands, POL_PII_CRYPTO, s, to, 0.6);
}

/* ---- URL ---- */

static int rec_url(pol__scanctx_t *c, size_t to, int litlen)
{
    const char *t = c->text;
    size_t s = to - (size_t)litlen;
    if (litlen == 3) { /* "://": back-scan the scheme (RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )) */
        while (s > 0 && (pol__is_alnum(U(t[s - 1])) || t[s - 1] == '+' || t[s - 1] == '-' || t[s - 1] == '.') && to - s < 24)
            s--;
        while (s < to - 3 && !pol__is_alpha(U(t[s])))
            s++;
        if (s >= to - 3)
            return 0;
    }
    if (s < c->skip_until[POL__REC_URL])
        return 0;
    if (s > 0 && (pol__glue_before(t, s) || t[s - 1] == '/' || t[s - 1] == '.' || t[s - 1] == '@'))
        return 0;
    size_t e = to;
    int depth = 0;
    while (e < c->len) {
        unsigned char ch = U(t[e]);
        if (pol__is_space(ch) || ch == '"' || ch == '<' || ch == '>' || ch == '`' || ch == '\'' || ch < 0x20 || ch == '\\')
            break;
        if (ch == '(')
            depth++;
        if (ch == ')' && depth-- == 0)
            break;
        if ((ch == ']' || ch == '}') && depth == 0)
            break;
        e++;
    }
    while (e > to &&
           (t[e - 1] == '.' || t[e - 1] == ',' || t[e - 1] == ';' || t[e - 1] == ':' || t[e - 1] == '!' || t[e - 1] == '?'))
        e--;
    c->skip_until[POL__REC_URL] = e;
    /* authority: userinfo@host */
    size_t hs = to, he = to;
    while (he < e && t[he] != '/' && t[he] != '?' && t[he] != '#')
        he++;
    const char *at = memchr(t + hs, '@', he - hs);
    int creds = 0;
    if (at != NULL) {
        creds = memchr(t + hs, ':', (size_t)(at - (t + hs))) != NULL;
        hs = (size_t)(at - t) + 1;
    }
    const char *dot = memchr(t + hs, '.', he - hs);
    int localhost = he - hs >= 9 && memcmp(t + hs, "localhost", 9) == 0;
    if ((dot == NULL || dot + 1 >= t + he) && !localhost)
        return 0;
    /* how personal is it? */
    double sc = 0.35;
    if (creds)
        sc = 1.0;
    else if (at != NULL)
        sc = 0.5;
    else {
        static const char *const qkeys[] = {"token",   "access_token", "api_key", "apikey", "key",       "password",
                                            "passwd",  "pwd",          "secret",  "sig",    "signature", "x-amz-signature",
                                            "session", "sessionid",    "auth",    "code",   "email",     "mail",
                                            "user",    "username",     "phone",   "ssn",    NULL};
        static const char *const pkeys[] = {"users",   "user",     "u",        "profile", "profiles", "people",   "person", "home",
                                            "account", "accounts", "patients", "patient", "members",  "customer", NULL};
        const char *q = memchr(t + he, '?', e - he);
        size_t qs = q ? (size_t)(q - t) : e;
        if (q != NULL && pol__has_word(t, qs, e, qkeys))
            sc = 0.8;
        else if (memchr(t + he, '@', e - he) != NULL || memchr(t + he, '~', qs - he) != NULL)
            sc = 0.6;
        else if (pol__has_word(t, he, qs, pkeys))
            sc = 0.55;
    }
    return pol__cands_push(c->cands, POL_PII_URL, s, e, sc);
}

/* ---- secrets ---- */

static int key_ch(unsigned char ch)
{
    return pol__is_alnum(ch) || ch == '_' || ch == '-';
}

static int rec_key(pol__scanctx_t *c, size_t to)
{
    const char *t = c->text;
    size_t s = to;
    while (s > 0 && (key_ch(U(t[s - 1])) || t[s - 1] == '.') && to - s < 40)
        s--;
    /* the token starts at the known prefix: re-find it within the run */
    static const char *const prefixes[] = {"sk-",   "AKIA",        "ASIA",   "ghp_",     "gho_",     "ghu_",     "ghs_",
                                           "ghr_",  "github_pat_", "glpat-", "xoxa-",    "xoxb-",    "xoxp-",    "xoxo-",
                                           "xoxs-", "xoxr-",       "AIza",   "sk_live_", "rk_live_", "sk_test_", "rk_test_",
                                           "npm_",  "hf_",         "SG.",    NULL};
    size_t ks = (size_t)-1;
    for (size_t p = s; p < to && ks == (size_t)-1; p++) {
        if (p > 0 && pol__is_alnum(U(t[p - 1])) && !pol__escape_before(t, p))
            continue;
        for (int k = 0; prefixes[k] != NULL; k++) {
            size_t pl = strlen(prefixes[k]);
            if (p + pl <= to && memcmp(t + p, prefixes[k], pl) == 0) {
                ks = p;
                break;
            }
        }
    }
    if (ks == (size_t)-1 || ks < c->skip_until[POL__REC_KEY])
        return 0;
    size_t e = to;
    while (e < c->len && (key_ch(U(t[e])) || (t[e] == '.' && e + 1 < c->len && key_ch(U(t[e + 1])))))
        e++;
    c->skip_until[POL__REC_KEY] = e;
    /* placeholders such as sk-xxxxxxxxxxxxxxxxxxxxxxxx have low entropy */
    if (pol__entropy(t + ks, e - ks) < 3.0)
        return 0;
    return pol__cands_push(c->cands, POL_PII_SECRET, ks, e, 0.95);
}

static int rec_jwt(pol__scanctx_t *c, size_t to)
{
    const char *t = c->text;
    size_t s = to - 13;
    if (s < c->skip_until[POL__REC_JWT] || (s > 0 && (key_ch(U(t[s - 1])) || t[s - 1] == '.') && !pol__escape_before(t, s)))
        return 0;
    size_t e = to, dots = 0;
    while (e < c->len && (key_ch(U(t[e])) || (t[e] == '.' && dots < 2)))
        dots += t[e++] == '.';
    c->skip_until[POL__REC_JWT] = e;
    if (dots != 2 || !pol__jwt_ok(t + s, e - s))
        return 0;
    return pol__cands_push(c->cands, POL_PII_SECRET, s, e, 0.95);
}

static int rec_pem(pol__scanctx_t *c, size_t to)
{
    const char *t = c->text;
    size_t s = to > 60 ? to - 60 : 0;
    const char *b = NULL;
    for (const char *p = t + s; (p = memmem(p, (size_t)(t + to - p), "-----BEGIN", 10)) != NULL; p++)
        b = p;
    if (b == NULL)
        return 0;
    const char *end = memmem(t + to, c->len - to, "-----END", 8);
    size_t e = c->len;
    if (end != NULL) {
        const char *close = memmem(end + 8, (size_t)(t + c->len - (end + 8)), "-----", 5);
        e = close ? (size_t)(close - t) + 5 : c->len;
    }
    c->skip_until[POL__REC_PEM] = e;
    return pol__cands_push(c->cands, POL_PII_SECRET, (size_t)(b - t), e, 1.0);
}

static int rec_password(pol__scanctx_t *c, size_t to, int prose)
{
    const char *t = c->text;
    size_t s = to;
    if (s < c->skip_until[POL__REC_PASSWORD])
        return 0;
    char quote = 0;
    if (s < c->len && (t[s] == '"' || t[s] == '\'')) {
        quote = t[s];
        s++;
    }
    size_t e = s;
    while (e < c->len && e - s < 256) {
        unsigned char ch = U(t[e]);
        if (quote ? ch == (unsigned char)quote || ch == '\n'
                  : (pol__is_space(ch) || ch == '"' || ch == '\'' || ch == ',' || ch == ';' || ch == ')' || ch == '}' ||
                     ch == ']' || ch == '<' || ch == '>'))
            break;
        if (ch == '&' && !quote) {
            /* URL query: "&next_key=" ends the value; a lone '&' is part of a password */
            size_t q = e + 1;
            while (q < c->len && (pol__is_alnum(U(t[q])) || t[q] == '_'))
                q++;
            if (q > e + 1 && q < c->len && t[q] == '=')
                break;
        }
        if (ch == '\\' && quote)
            e++;
        e++;
    }
    if (e > c->len)
        e = c->len;
    if (prose)
        while (e > s && (t[e - 1] == '.' || t[e - 1] == '!' || t[e - 1] == '?'))
            e--;
    c->skip_until[POL__REC_PASSWORD] = e;
    size_t n = e - s;
    if (n < 4)
        return 0;
    /* placeholders and references are not secrets: ${VAR}, <password>, {{x}}, %s, ***, os.environ[...] */
    unsigned char f = U(t[s]);
    if (f == '$' || f == '<' || f == '{' || f == '%' || f == '*' || f == '[' || f == '(' || f == '@')
        return 0;
    if (memchr(t + s, '(', n) != NULL || (n >= 3 && memcmp(t + s, "...", 3) == 0))
        return 0;
    static const char *const placeholders[] = {
        "null",    "none",     "true",     "false",     "xxx",  "xxxx",    "xxxxxx",   "xxxxxxxx", "password", "changeme", "secret",
        "string",  "required", "optional", "undefined", "your", "example", "redacted", "hidden",   "masked",   "env",      "os",
        "process", "self",     "this",     "str",       "int",  "bool",    "input",    "getpass",  NULL};
    char low[24];
    size_t wl = 0;
    while (wl < n && wl < sizeof(low) - 1 && pol__is_alnum(U(t[s + wl])))
        low[wl] = (char)(t[s + wl] | 0x20), wl++;
    low[wl] = '\0';
    for (int k = 0; placeholders[k] != NULL; k++)
        if (strcmp(low, placeholders[k]) == 0)
            return 0;
    int has_digit_or_sym = 0, all_digits = 1;
    for (size_t i = s; i < e; i++) {
        has_digit_or_sym |= !pol__is_alpha(U(t[i]));
        all_digits &= pol__is_digit(U(t[i]));
    }
    /* "token: 100" or "secret: true" style configs: require something password-like */
    if (all_digits && n < 6)
        return 0;
    if (prose && !has_digit_or_sym && n < 6)
        return 0;
    if (!quote && !has_digit_or_sym && wl == n && !prose) {
        /* a bare identifier such as `password = user_input`: only a secret if it has enough entropy */
        if (pol__entropy(t + s, n) < 3.0)
            return 0;
    }
    return pol__cands_push(c->cands, POL_PII_SECRET, s, e, 0.85);
}

/* ---- context-prefixed IDs ---- */

static int rec_prefixed_id(pol__scanctx_t *c, size_t to, int type, size_t minlen, size_t maxlen, int passport)
{
    const char *t = c->text;
    size_t s = to, e = to, digits = 0;
    /* the value after a verb: "my passport number is 123456789", "driver's license was D1234567",
     * "passport no. is: 123456789" (the patterns end at the label; a copula was read as the value) */
    static const char *const verbs[] = {"is", "was", NULL};
    for (const char *const *v = verbs; *v != NULL; v++) {
        size_t vl = strlen(*v), p = s + vl;
        if (p < c->len && strncasecmp(t + s, *v, vl) == 0 && (t[p] == ' ' || t[p] == ':')) {
            while (p < c->len && (t[p] == ' ' || t[p] == ':'))
                p++;
            s = e = p;
            break;
        }
    }
    while (e < c->len && (pol__is_alnum(U(t[e])) || (t[e] == '-' && !passport)) && e - s <= maxlen)
        digits += pol__is_digit(U(t[e++]));
    if (e - s < minlen || e - s > maxlen || (pol__glue_after(t, c->len, e)))
        return 0;
    if (passport) {
        /* US passport book: 9 digits; next generation: 1 letter + 8 digits (travel.state.gov) */
        if (!((e - s == 9 && digits == 9) || (e - s == 9 && digits == 8 && pol__is_alpha(U(t[s])))))
            return 0;
    } else if (digits < 4) {
        return 0;
    }
    pol__cand_t *cd;
    if (pol__cands_push(c->cands, type, s, e, 0.85) != 0)
        return -1;
    cd = &c->cands->v[c->cands->n - 1];
    cd->ctx_done = 1;
    return 0;
}

int pol__recognize(pol__scanctx_t *c, unsigned pat, size_t to)
{
    return pol__recognize_rec(c, patterns[pat].rec, patterns[pat].arg, to);
}

/* After "saya" / "mimi ni" (I am): Title Case prose ("Saya Suka Makan Nasi Goreng") or a verb, adjective or noun of
 * the language capitalised ("Saya Senang Sekali") is no name: the first word is one of them, or a capitalised word
 * follows the two */
static int intro_not_name(const char *t, size_t len, size_t s, size_t e)
{
    static const char *const words[] = {
        /* id/ms */
        "suka", "senang", "ingin", "mau", "sedang", "akan", "bisa", "sudah", "tidak", "sangat", "juga", "baru", "masih", "punya",
        "adalah", "dari", "tinggal", "bekerja", "lahir", "pernah", "perlu", "butuh", "minta", "mohon", "harap", "ada", "orang",
        "seorang", "anak", "guru", "mahasiswa", "pelajar", "siswa", "dokter", "karyawan", "sendiri", "hanya", "belum", "lagi",
        "cinta", "sayang", "rindu", "pikir", "rasa", "kira", "tahu", "lihat", "dengar", "mencari", "membeli", "makan", "minum",
        /* sw */
        "mwalimu", "mwanafunzi", "daktari", "mgonjwa", "mkenya", "mtanzania", "mganda", "mfanyakazi", NULL};
    size_t w = s;
    while (w < e && pol__is_alpha(U(t[w])))
        w++;
    for (const char *const *x = words; *x != NULL; x++)
        if (strlen(*x) == w - s && strncasecmp(t + s, *x, w - s) == 0)
            return 1;
    return e + 1 < len && t[e] == ' ' && pol__is_upper(U(t[e + 1]));
}

int pol__recognize_rec(pol__scanctx_t *c, int rec, int arg, size_t to)
{
    if (to <= c->skip_until[rec])
        return 0;
    switch (rec) {
    case POL__REC_EMAIL:
        return !c->enabled[POL_PII_EMAIL_ADDRESS] ? 0 : arg == 1 ? rec_email_obfuscated(c, to) : rec_email(c, to);
    case POL__REC_DIGITS:
        return pol__rec_digits(c, to);
    case POL__REC_IPV4:
        return c->enabled[POL_PII_IP_ADDRESS] ? rec_ipv4(c, to) : 0;
    case POL__REC_IPV6:
        return c->enabled[POL_PII_IP_ADDRESS] ? rec_ipv6(c, to, arg) : 0;
    case POL__REC_IBAN:
        return c->enabled[POL_PII_IBAN_CODE] ? rec_iban(c, to) : 0;
    case POL__REC_BTC58:
        return c->enabled[POL_PII_CRYPTO] ? rec_btc58(c, to) : 0;
    case POL__REC_BECH32:
        return c->enabled[POL_PII_CRYPTO] ? rec_bech32(c, to) : 0;
    case POL__REC_ETH:
        return c->enabled[POL_PII_CRYPTO] ? rec_eth(c, to) : 0;
    case POL__REC_URL:
        return c->enabled[POL_PII_URL] ? rec_url(c, to, arg) : 0;
    case POL__REC_KEY:
        return c->enabled[POL_PII_SECRET] ? rec_key(c, to) : 0;
    case POL__REC_JWT:
        return c->enabled[POL_PII_SECRET] ? rec_jwt(c, to) : 0;
    case POL__REC_PEM:
        return c->enabled[POL_PII_SECRET] ? rec_pem(c, to) : 0;
    case POL__REC_PASSWORD:
        return c->enabled[POL_PII_SECRET] ? rec_password(c, to, arg) : 0;
    case POL__REC_PASSPORT:
        return c->enabled[POL_PII_US_PASSPORT] ? rec_prefixed_id(c, to, POL_PII_US_PASSPORT, 9, 9, 1) : 0;
    case POL__REC_DL:
        return c->enabled[POL_PII_US_DRIVER_LICENSE] ? rec_prefixed_id(c, to, POL_PII_US_DRIVER_LICENSE, 5, 16, 0) : 0;
    case POL__REC_POSTCODE_UK:
        return c->enabled[POL_PII_LOCATION] && to >= 5 ? pol__rec_postcode_uk(c, to) : 0;
    case POL__REC_STREET:
        return c->enabled[POL_PII_LOCATION] ? pol__rec_street(c, to, arg) : 0;
    case POL__REC_ZIP:
        return c->enabled[POL_PII_LOCATION] ? pol__rec_zip(c, to, arg) : 0;
    case POL__REC_DATE_WORD:
        if (arg == 2)
            return c->enabled[POL_PII_DATE_TIME] ? pol__rec_date_before_word(c, to) : 0;
        return c->enabled[POL_PII_DATE_TIME] ? pol__rec_date_word(c, to, arg == 0) : 0;
    case POL__REC_PERSON_TRIGGER: {
        if (!c->enabled[POL_PII_PERSON])
            return 0;
        size_t before = c->cands->n;
        if (arg == 3)
            return pol__person_signature(c->text, c->len, to, c->cands);
        if (arg == 9) {
            return pol__person_csv(c->text, c->len, to, c->cands);
        }
        if (arg == 6 || arg == 7) {
            /* a display name before "<address>", a record's name value before its closing quote or the line's end:
               strong, and the value holds nothing after the name */
            if (pol__person_after_trigger(c->text, c->len, to, 1, c->cands) != 0)
                return -1;
            if (c->cands->n > before) {
                size_t e = c->cands->v[before].end;
                const char *t = c->text;
                int ok;
                if (arg == 6) {
                    if (e < c->len && t[e] == '"')
                        e++;
                    while (e < c->len && t[e] == ' ')
                        e++;
                    ok = e < c->len && t[e] == '<';
                } else {
                    char q = to > 0 ? t[to - 1] : 0;
                    ok = (q == '"' || q == '\'') ? e < c->len && t[e] == q
                         : q == '>'              ? e < c->len && t[e] == '<' /* "<name>X</name>" (session 15) */
                                                 : e >= c->len || t[e] == '\n' || t[e] == '\r' || t[e] == ';';
                }
                /* two words or more, none a common word of the gazetteer ("name": "Tokyo Tower", From: Google Alerts
                   <...> name no person) */
                const pol__cand_t *cd = &c->cands->v[before];
                int words = 0;
                for (size_t a = cd->start, b; ok && a < cd->end; a = b + 1) {
                    const char *sp = memchr(t + a, ' ', cd->end - a);
                    b = sp != NULL ? (size_t)(sp - t) : cd->end;
                    words++;
                    ok = !(pol__name_flags_of(t + a, b - a) & POL__NAME_COMMON);
                }
                /* the bare key "name" names products, jobs and places as often as people: one word of the value must be
                   a given name or a surname of the gazetteer there ("name": "Maria Okafor"; not "Tokyo Tower") */
                if (ok && arg == 7 && plain_name_key(t, to)) {
                    int known = 0;
                    for (size_t a = cd->start, b; a < cd->end; a = b + 1) {
                        const char *sp = memchr(t + a, ' ', cd->end - a);
                        b = sp != NULL ? (size_t)(sp - t) : cd->end;
                        known |= (pol__name_flags_of(t + a, b - a) & (POL__NAME_GIVEN | POL__NAME_SURNAME)) != 0;
                    }
                    ok = known || (personal_key_near(t, c->len, to) && !org_word_in(t, cd->start, cd->end));
                }
                if (!ok || (words < 2 && !(arg == 7 && part_name_key(t, to))))
                    c->cands->n = before;
            }
            return 0;
        }
        if (arg == 5)
            return pol__person_intro(c->text, c->len, to, c->cands);
        if (arg == 4) {
            /* a name of two words or more, none of them a common word of the gazetteer */
            if (pol__person_after_trigger(c->text, c->len, to, 1, c->cands) != 0)
                return -1;
            if (c->cands->n > before) {
                const pol__cand_t *cd = &c->cands->v[before];
                const char *sp = memchr(c->text + cd->start, ' ', cd->end - cd->start);
                if (sp == NULL ||
                    (pol__name_flags_of(c->text + cd->start, (size_t)(sp - c->text) - cd->start) & POL__NAME_COMMON) ||
                    intro_not_name(c->text, c->len, cd->start, cd->end))
                    c->cands->n = before;
            }
            return 0;
        }
        if (pol__person_after_trigger(c->text, c->len, to, arg != 0, c->cands) != 0)
            return -1;
        if (arg == 2 && c->cands->n > before) {
            /* honorifics are part of the name (they reveal gender): span starts at "Mr." */
            size_t s = to - 1;
            if (s > 0 && c->text[s - 1] == '.')
                s--;
            /* the honorific's letters, Latin ones outside ASCII included ("paní", session 13) */
            for (;;) {
                uint32_t cp = 0;
                size_t n = s > 0 && U(c->text[s - 1]) >= 0x80 ? pol__cp_before(c->text, s, &cp) : 0;
                if (s > 0 && pol__is_alpha(U(c->text[s - 1])))
                    s--;
                else if (n > 0 && cp >= 0xC0 && cp < 0x250 && pol__cp_alpha_letter(cp))
                    s -= n;
                else
                    break;
            }
            c->cands->v[before].start = s;
        }
        return 0;
    }
    }
    return 0;
}
