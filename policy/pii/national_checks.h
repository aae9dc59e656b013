/*
 * The shape parser and the check-digit and plausibility validators of the national identifiers
 * (national_checks.c), used by the format rules in national.c. Each validator reads the fixed number of characters its identifier's
 * layout has (digits as ASCII, letters upper-cased, separators removed) from a buffer the caller
 * owns and returns 1 if the value passes, 0 if not (value helpers return the value); none
 * allocates. Each names the standard it implements.
 */
#ifndef POL_PII_NATIONAL_CHECKS_H
#define POL_PII_NATIONAL_CHECKS_H

#include <stddef.h>

/** upper-case of an ASCII letter, other bytes unchanged */
char pol__nat_upper(unsigned char c);
/** Parses the shape `sh` at t[p]: 'd' digit, 'L' letter (either case), 'U' capital, 'A' letter or digit, 'H' hex digit, 'K' digit
 * or X/x (CN check character), 'V' digit or K/k (CL RUT check character), 'C' '-', '+' or a letter (FI century sign), '_' an
 * optional separator from " -" that must be the same byte as the other '_' of the match, '.' '-' '/' ' ' ':' and any other byte
 * literally. The characters taken (upper-cased, without separators) go to out[] (<= 31). @return the end of the match, or 0 / */
size_t pol__nat_shape(const char *t, size_t len, size_t p, const char *sh, char *out, size_t *nout, char *sepused);
/** the match [s, e) stands alone: no letter or digit glued on either side; a number is also not continued by a separator and a
 * digit ("130 692 544 123", "1234567890-12") */
int pol__nat_standalone(const char *t, size_t len, size_t s, size_t e, char sep);
/** pol__nat_shape() for a letter-led word of wl alnum bytes: the shape's first word must be that long */
size_t pol__nat_wshape(const char *t, size_t len, size_t w, size_t wl, const char *sh, char *out, size_t *nout, char *sepused);
/** a MAC address can start at t[s]: its separators are where they must be */
int pol__nat_mac_maybe(const char *t, size_t len, size_t s);
/** no position (pol__nat_mac_dotted_from) */
#define POL__NAT_NONE ((size_t)-1)
/** Start s <= cs of a dotted (Cisco) MAC address "HHHH.HHHH.HHHH" at [s, s + 14) whose bytes before cs are hex letters and its
 * dots, i.e. whose first digit run starts at cs (digits after cs may be any hex). Reads t[cs - 13, cs + 14) within [0, len).
 * @return s, or POL__NAT_NONE */
size_t pol__nat_mac_dotted_from(const char *t, size_t len, size_t cs);
/** value of the ASCII digit c */
int pol__nat_dv(char c);
/** Luhn mod 10 over n digits, ISO/IEC 7812-1 annex B */
int pol__nat_luhn(const char *d, size_t n);
/** 1 if the n characters d[0, n) are all the same */
int pol__nat_all_same(const char *d, size_t n);
/** value of the two ASCII digits d[0], d[1] */
int pol__nat_num2(const char *d);
/** ISO 7064 MOD 11,10 check digit of n digits (DE Steuer-IdNr, DE USt-IdNr) */
int pol__nat_mod11_10(const char *d, size_t n);
/** Verhoeff (dihedral group D5), UIDAI Aadhaar */
int pol__nat_verhoeff(const char *d, size_t n);
/** UK NINO (HMRC National Insurance Manual NIM39110): no D F I Q U V first, no D F I O Q U V second, not BG GB NK KN TN NT ZZ,
 * suffix A-D */
int pol__nat_nino_ok(const char *v);
/** ES DNI/NIF letter: number mod 23 (Real Decreto 1553/2005, Ministerio del Interior table) */
int pol__nat_nif_letter_ok(const char *digits, size_t nd, char letter);
/** IT codice fiscale check character (DM 23/12/1976, art. 7): odd positions by the table, even by value */
int pol__nat_it_fiscal_ok(const char *v);
/** IT partita IVA: Luhn over 11 digits, office code 001-100, 120, 121, 888, 999 (DPR 633/1972 art. 35) */
int pol__nat_it_vat_ok(const char *d);
/** PL PESEL: date with the century in the month (+80 1800s, +0, +20, +40, +60), weights 1 3 7 9 (Ustawa o ewidencji ludności) */
int pol__nat_pesel_ok(const char *d);
/** TW national id (中華民國國民身分證, 內政部 rule; session 11): a capital whose value A=10 .. Z=33 (I=34, O=35) gives two digits
 * n1 n0, then 9 digits d1..d9 (d1 1/2 for men/women, 8/9 for the residence certificate numbers of 2021); n1 + 9*n0 +
 * 8*d1 + 7*d2 + ... + 1*d8 + d9 = 0 mod 10. `v`: the 10 characters, the letter upper case */
int pol__nat_tw_id_ok(const char *v);
/** SG NRIC/FIN: weights 2 7 6 5 4 3 2, +4 for T/G, +3 for M; S/T table JZIHGFEDCBA, F/G/M table XWUTRQPNMLK (ICA) */
int pol__nat_nric_ok(const char *v);
/** SG UEN for businesses (8 digits + letter) and local companies (yyyy + 5 digits + letter), ACRA weights */
int pol__nat_uen_ok(const char *v, size_t n);
/** SG UEN "others": T/S/R + year + entity type + 4 digits + letter (ACRA entity type codes) */
int pol__nat_uen_other_ok(const char *v);
/** AU TFN: weights 1 4 3 7 5 8 6 9 10, sum mod 11 == 0 (ATO) */
int pol__nat_tfn_ok(const char *d);
/** AU ABN: subtract 1 from the first digit, weights 10 1 3 5 7 9 11 13 15 17 19, mod 89 == 0 (ABR) */
int pol__nat_abn_ok(const char *d);
/** AU ACN: weights 8..1 on 8 digits, check = (10 - sum mod 10) mod 10 (ASIC) */
int pol__nat_acn_ok(const char *d);
/** AU Medicare card: first digit 2-6, weights 1 3 7 9 1 3 7 9, sum mod 10 is the 9th digit (Services Australia) */
int pol__nat_medicare_ok(const char *d);
/** IN GSTIN: state 01-38, PAN, entity, 'Z', check over base 36 with factors 1, 2 (GSTN) */
int pol__nat_gstin_ok(const char *v);
/** FI henkilötunnus: DDMMYY, century sign, 3 digits, check = "0123456789ABCDEFHJKLMNPRSTUVWXY"[n mod 31] (VRK) */
int pol__nat_hetu_ok(const char *v);
/** KR RRN / FRN: YYMMDD + gender/century digit; check weights 2..9,2..5: RRN (11 - s mod 11) mod 10, FRN (13 - s mod 11) mod 10 */
int pol__nat_kr_kind(const char *d, int *check_ok);
/** KR business registration number: weights 1 3 7 1 3 7 1 3 5 + floor(9th * 5 / 10) (National Tax Service) */
int pol__nat_kr_brn_ok(const char *d);
/** SE personnummer / samordningsnummer (day + 60): date, Luhn over the 10-digit form (Skatteverket SKV 704) */
int pol__nat_se_pnr_ok(const char *d10, int century);
/** TR T.C. kimlik no (Nüfus ve Vatandaşlık İşleri): d10 = (7 * odd - even) mod 10, d11 = sum of the first 10 mod 10 */
int pol__nat_tckn_ok(const char *d);
/** DE steuerliche Identifikationsnummer (§ 139b AO): first digit not 0, in the first 10 digits one digit twice or three times (or,
 * as Presidio's cases do, none repeated), ISO 7064 MOD 11,10 */
int pol__nat_de_taxid_ok(const char *d);
/** ICAO 9303 part 3 check digit (weights 7 3 1, A = 10 .. Z = 35): DE Personalausweis/Reisepass serial */
int pol__nat_icao_ok(const char *v, size_t n);
/** US ITIN (IRS): 9XX, group 50-65, 70-88, 90-92, 94-99 */
int pol__nat_itin_ok(const char *d);
/** US NPI (CMS, 45 CFR 162.406): 10 digits starting 1 or 2, Luhn over "80840" + the number */
int pol__nat_npi_ok(const char *d);
/** US MBI (CMS): C A AN N A AN N A A N N; letters exclude S L O I B Z */
int pol__nat_mbi_ok(const char *v);
/** ABA routing transit number (ABA / Federal Reserve): prefix 00-12, 21-32, 61-72, 80; 3 7 1 weights mod 10 */
int pol__nat_aba_ok(const char *d);
/** DEA registration number (21 CFR 1301): registrant type letter, name letter or 9, 7 digits, (d1 + d3 + d5) + 2 (d2 + d4 + d6)
 * ends in d7 */
int pol__nat_dea_ok(const char *v);
/** CN 居民身份证 (GB 11643-1999): region, YYYYMMDD, sequence, ISO 7064 MOD 11-2 check (0-9, X) */
int pol__nat_cn_id_ok(const char *v);
/** JP 個人番号 (My Number, 番号法施行令 第8条): weights q = n + 1 (n <= 6) or n - 5, remainder r, check 0 if r <= 1 else 11 - r */
int pol__nat_my_number_ok(const char *d);
/** BR CPF (Receita Federal): two mod-11 check digits, weights 10..2 and 11..2 */
int pol__nat_cpf_ok(const char *d);
/** BR CNPJ (Receita Federal): two mod-11 check digits, weights 5..2,9..2 and 6..2,9..2 */
int pol__nat_cnpj_ok(const char *d);
/** MX CURP (RENAPO, DOF 1996 instructivo): 4 letters, YYMMDD, H/M/X, state, 3 consonants, homoclave, check = (10 - sum(val * (18 -
 * i)) mod 10) mod 10 over "0-9A-NÑO-Z" */
int pol__nat_curp_ok(const char *v);
/** FR NIR (INSEE, numéro de sécurité sociale): sex 1/2 (3, 4, 7, 8 provisional), month 01-12 or 20, 30-42, 50-99 (unknown), key =
 * 97 - (first 13 digits mod 97); Corsica (2A/2B) not covered */
int pol__nat_nir_ok(const char *d);
/** NL BSN, elfproef (Wet algemene bepalingen burgerservicenummer): sum d_i (9 - i) - d9 == 0 mod 11 */
int pol__nat_bsn_ok(const char *d);
/** DK CPR (CPR-kontoret): DDMMYY valid; modulus 11 (weights 4 3 2 7 6 5 4 3 2 1) is no longer guaranteed since 2007, so it only
 * raises the score */
int pol__nat_cpr_date_ok(const char *d);
/** DK CPR modulus 11 over the 10 digits (weights 4 3 2 7 6 5 4 3 2 1); not guaranteed since 2007, so it only raises the score */
int pol__nat_cpr_mod11(const char *d);
/** NO fødselsnummer / D-nummer (day + 40) (Skatteetaten): two mod-11 check digits */
int pol__nat_no_fnr_ok(const char *d);
/** BE rijksregisternummer / numéro national (Wet 8 augustus 1983): YYMMDD (00 allowed), 3 digits, check = 97 - (first 9 digits mod
 * 97), with a leading 2 for births from 2000 */
int pol__nat_be_nn_ok(const char *d);
/** ZA identity number (Identification Act 68 of 1997): YYMMDD, 4 digits, citizenship 0-2, 1 digit, Luhn */
int pol__nat_za_ok(const char *d);
/** TH บัตรประชาชน (Department of Provincial Administration): first digit 1-8, check = (11 - sum d_i (13 - i) mod 11) mod 10 */
int pol__nat_th_ok(const char *d);
/** UK DVLA driving licence number: 5 surname characters (9-padded), decade, month (+50 female), day, year, 2 initials (9-padded), 1
 * digit, 2 check characters */
int pol__nat_uk_dl_ok(const char *v);
/** IN vehicle registration (Central Motor Vehicles Rules 1989, rule 50): state / UT code */
int pol__nat_in_state_ok(const char *v);
/** DE Krankenversichertennummer (GKV-Spitzenverband, § 290 SGB V): letter as 01-26, 8 digits, weights 1 2 1 2 ... with digit sums
 * of the products, mod 10 */
int pol__nat_de_kvnr_ok(const char *v);
/** DE Rentenversicherungsnummer (DRV, VKVV § 2): area, DDMMYY, initial as 01-26, serial, check over weights 2 1 2 5 7 1 2 1 2 1 2 1
 * with digit sums of the products, mod 10 */
int pol__nat_de_rvnr_ok(const char *v);

/** RU ИНН (ФНС России, приказ МНС России от 03.03.2004 № БГ-3-09/178): 10 digits (organisations), check = weights 2 4 10 3 5 9 4 6
 * 8 mod 11 mod 10; 12 digits (persons), two checks with weights 7 2 4 10 3 5 9 4 6 8 and 3 7 2 4 10 3 5 9 4 6 8; n is 10 or 12;
 * the tax office region (first two digits) is not 00 */
int pol__nat_ru_inn_ok(const char *d, size_t n);
/** The end of a RU passport number written after its 4-digit series with a label: t[p] is the byte after the series, " № 123456",
 * " №123456", " номер 123456", " Номер: 123456" (6 digits, not glued to a letter or digit). Reads t[p, p + 20) within [0, len).
 * @return the end of the 6 digits, or 0 */
size_t pol__nat_ru_pass_number(const char *t, size_t len, size_t p);
/** RU СНИЛС (Пенсионный фонд / Социальный фонд России): 9 digits, sum of d_i (9 - i) is the 2-digit check (100 and 101 -> 00, over
 * 101 mod 101, 100 -> 00); checked only above 001-001-998, as the fund assigns it */
int pol__nat_ru_snils_ok(const char *d);
/** CZ / SK rodné číslo (zákon č. 133/2000 Sb. § 13; SK zákon č. 301/1995 Z. z.): YYMMDD with month + 50 for women and + 20 for
 * numbers issued after the serial ran out (from 2004), 10 digits from 1954: the number is divisible by 11, or its first 9
 * digits leave 10 and the check is 0 */
int pol__nat_cz_rc_ok(const char *d);
/** CL RUT / RUN (Servicio de Registro Civil e Identificación, SII): body of n digits (7 or 8), check = 11 - (sum of the digits
 * from the right times 2 3 4 5 6 7 2 3 ... mod 11), 11 -> 0, 10 -> K; v[n] is the check character */
int pol__nat_cl_rut_ok(const char *v, size_t n);
/** AR CUIT / CUIL (AFIP, RG 10/1997): type 20 23 24 27 30 33 34, weights 5 4 3 2 7 6 5 4 3 2, check = 11 - sum mod 11 (11 -> 0,
 * 10 -> 9 as AFIP assigns the 23/33 prefixes to avoid it) */
int pol__nat_ar_cuit_ok(const char *d);
/** PK CNIC (NADRA): 13 digits, first digit the province 1-7, last digit the sex (odd men, even women, not 0) */
int pol__nat_pk_cnic_ok(const char *d);
/** ID NIK (Nomor Induk Kependudukan, Permendagri 137/2017 area codes; UU 24/2013): province 11-19, 21, 31-36, 51-53, 61-65, 71-76,
 * 81-82, 91-96, DDMMYY date of birth with day + 40 for women, serial 0001-9999 */
int pol__nat_id_nik_ok(const char *d);
/** VN số định danh cá nhân / CCCD (Thông tư 07/2016/TT-BCA, Nghị định 137/2015/NĐ-CP): province code of the 63 provinces (001-096),
 * century and sex digit 0-3 (1900s/2000s, men even, women odd), 2-digit year of birth, 6-digit serial */
int pol__nat_vn_cccd_ok(const char *d);
/** SA national ID / Iqama (Ministry of Interior / Absher): 10 digits, 1 for citizens, 2 for residents, Luhn over the 10 digits */
int pol__nat_sa_id_ok(const char *d);
/** AE Emirates ID (ICP, Federal Authority for Identity and Citizenship): 784 (ISO 3166-1 numeric of the UAE), year of birth
 * 1900-2099, 7-digit serial, Luhn over the 15 digits */
int pol__nat_ae_eid_ok(const char *d);
/** EG national ID (Civil Status Organisation, law 143/1994): century 2 (1900s) or 3 (2000s), YYMMDD, governorate code (01-04,
 * 11-19, 21-29, 31-35, 88 abroad), 4-digit serial (sex in its last digit), 1 check digit whose rule is unpublished (not checked) */
int pol__nat_eg_nid_ok(const char *d);
/** MX RFC (SAT, Código Fiscal de la Federación art. 27): n = 13 (persons: 4 letters) or 12 (companies: 3 letters), YYMMDD, a
 * 3-character homoclave of letters and digits. @return 1 if the layout and date hold */
int pol__nat_mx_rfc_ok(const char *v, size_t n);
/** MX RFC check character (the homoclave's last, SAT's algorithm as python-stdnum reads it): the first n - 1 characters
 * right-aligned in 12 positions (spaces before), values "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ " by index, weights 13..2,
 * check = (11 - sum mod 11) mod 11, 10 -> A */
int pol__nat_mx_rfc_check(const char *v, size_t n);
/** MY NRIC / MyKad (Jabatan Pendaftaran Negara): YYMMDD, a place of birth code (01-16 states, 21-59 and 82-93 state codes of
 * older cards, 60-68, 71, 72, 74-79, 98, 99 abroad and others: python-stdnum's table), 4 digits (odd for men) */
int pol__nat_my_nric_ok(const char *d);
/** IR کد ملی (national code, سازمان ثبت احوال کشور): 10 digits, s = sum d_i (10 - i) over the first 9, r = s mod 11, check = r
 * if r < 2 else 11 - r; not all digits the same */
int pol__nat_ir_code_ok(const char *d);
/** PH TIN (Bureau of Internal Revenue, as Presidio's PH_TIN recogniser validates it): weights 9 8 7 6 5 4 3 2 over the first 8
 * digits, sum mod 11 is the 9th digit; the 3-digit branch code that may follow is not checked */
int pol__nat_ph_tin_ok(const char *d);
/** KZ IIN / ЖСН (Law of the Republic of Kazakhstan on national registers of identification numbers, 2007): 12 digits,
 * YYMMDD, the century-and-sex digit 1-6, weights 1..11 mod 11, on 10 weights 3..11 1 2 mod 11 (10 again: no number) */
int pol__nat_kz_iin_ok(const char *d);
/** EE isikukood (EVS 585:2007) and LT asmens kodas: 11 digits, the century-and-sex digit 1-6, YYMMDD, weights 1..9 1 mod 11,
 * on 10 weights 3..9 1 2 3 mod 11 (10 again: 0) */
int pol__nat_ee_ik_ok(const char *d);
/** BG EGN (ЕГН, ESGRAON): 10 digits, YYMMDD with the month + 20 (1800s) or + 40 (2000s), weights 2 4 8 5 10 9 7 3 6 mod 11
 * (10: 0) */
int pol__nat_bg_egn_ok(const char *d);
/** HR OIB (Zakon o osobnom identifikacijskom broju): 11 digits, ISO 7064 MOD 11,10 */
int pol__nat_hr_oib_ok(const char *d);
/** RO CNP (cod numeric personal): 13 digits, sex-and-century 1-9, YYMMDD, county code 01-52, weights 2 7 9 1 4 6 3 5 8 2 7 9
 * mod 11 (10: 1) */
int pol__nat_ro_cnp_ok(const char *d);
/** GR AMKA (ΑΜΚΑ, Law 2972/2001): 11 digits, DDMMYY, Luhn */
int pol__nat_gr_amka_ok(const char *d);
/** CH AHV / AVS number (AHVG art. 50c, since 2008): 13 digits, 756, EAN-13 check digit */
int pol__nat_ch_ahv_ok(const char *d);
/** HU TAJ number (társadalombiztosítási azonosító jel, 1996. évi XX. törvény 22. §, the CDV rule): 9 digits, the first 8
 * weighted 3 7 3 7 ... and summed, the sum mod 10 is the 9th (session 13; not in python-stdnum 1.18) */
int pol__nat_hu_taj_ok(const char *d);
/** UA RNOKPP / ІПН (the taxpayer's registration number, Tax Code of Ukraine art. 70; python-stdnum ua.rntrc): 10 digits,
 * weights -1 5 7 9 4 6 10 5 7 over the first 9, the sum mod 11 mod 10 is the 10th */
int pol__nat_ua_rnokpp_ok(const char *d);
/** PL NIP (numer identyfikacji podatkowej, ustawa z 13 X 1995; python-stdnum pl.nip): 10 digits, weights 6 5 7 2 3 4 5 6 7,
 * the sum mod 11 is the 10th (a remainder of 10 is never issued) */
int pol__nat_pl_nip_ok(const char *d);
/** LK NIC (Registration of Persons Act No. 32 of 1968, the Department for Registration of Persons' layout): n = 9 (old
 * card, a letter V or X follows) YY DDD SSSS, or n = 12 (since 2016) YYYY DDD SSSS C, where DDD is the day of the year of
 * birth (001-366, 501-866 for women). No published check digit: the date structure is the whole check */
int pol__nat_lk_nic_ok(const char *d, size_t n);
/** HK HKID (Registration of Persons Regulations, Cap. 177A): v = 1 or 2 capitals (k = 8 or 9 characters in all), 6
 * digits and the check character; a single letter counts as a space (36) before it, letters A-Z 10-35, weights 9..2,
 * check = 11 - sum mod 11 (10: A, 11: 0) (session 13; not in python-stdnum 1.18) */
int pol__nat_hkid_ok(const char *v, size_t k);
/** IS kennitala (Þjóðskrá Íslands; python-stdnum is_.kennitala): 10 digits DDMMYY RR C M, a person's date (companies add 40
 * to the day), weights 3 2 7 6 5 4 3 2 over the first 8, C = 11 - sum mod 11 (11: 0; 10 is never issued), M the century
 * 9 (1900s), 0 (2000s) or 8 (1800s) (session 14) */
int pol__nat_is_kt_ok(const char *d);
/** LV personas kods of before 2017 (python-stdnum lv.pvn, personal codes): 11 digits DDMMYY C NNNN K, C the century 0-2
 * (1800s-2000s), K = (1 + sum(d * [10 5 8 4 2 1 6 3 7 9])) mod 11 mod 10 (session 14) */
int pol__nat_lv_pk_ok(const char *d);
/** JMBG / EMŠO / ЕМБГ (the Yugoslav unique master citizen number of 1976, kept by RS, SI, MK, BA, ME; python-stdnum
 * si.emso): 13 digits DDMMYYY RR BBB K, a valid date with the year's last 3 digits (900-999: 1900s, 000-039: 2000s), K =
 * -sum(d * [7 6 5 4 3 2 7 6 5 4 3 2]) mod 11 mod 10 (session 14) */
int pol__nat_jmbg_ok(const char *d);
/** AT Sozialversicherungsnummer (Dachverband der Sozialversicherungsträger; python-stdnum at.vnr): 10 digits NNN C
 * DDMMYY, the serial not led by 0, C = sum(d * [3 7 9 0 5 8 4 2 1 6]) mod 11 (10 is never issued), DDMMYY a date
 * (session 14) */
int pol__nat_at_svnr_ok(const char *d);

#endif
