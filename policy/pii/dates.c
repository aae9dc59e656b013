/*
 * Dates after a word that makes them personal: dates of birth ("born", "DOB", "geboren", ...)
 * and appointment or deadline dates ("today is", "due on", "afspraak op"), in numeric and
 * month-name forms, with an ISO time that follows taken into the span.
 */
#include "policy/pii/pii_internal.h"

#include <string.h>

#define U(p) POL__U(p)

/* ---- dates of birth ---- */

static int month_word(const char *t, size_t len, size_t p)
{
    static const char *const months[] = {
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "janv", "févr", "mars", "avr", "mai",
        "juin", "juil", "août", "sept", "déc", "ene", "abr", "ago", "dic", "gen", "mag", "giu", "lug", "set", "ott", "mär", "okt",
        "dez",
        /* Thai months (the Royal Institute's names) */
        "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
        /* session 13 (CLDR's month names; a prefix that is no common word of the
           language or of English): pl (genitive), cs, hu, ro, id/ms, nl, tr, el,
           ru and uk (genitive) */
        "stycz", "lutego", "luty", "kwiet", "maja", "czerw", "lipca", "lipiec", "sierp", "wrześ", "październ", "listopad", "grud",
        "ledna", "leden", "únor", "břez", "dubna", "duben", "květ", "červ", "srpn", "srpen", "září", "říj", "prosin", "márc", "ápr",
        "máj", "jún", "júl", "ianuarie", "iunie", "iulie", "noiembrie", "mei", "agustus", "desember", "maart", "ocak", "şubat",
        "Şubat", "nisan", "haziran", "temmuz", "ağustos", "eylül", "ekim", "kasım", "aralık", "Ιανου", "Φεβρου", "Μαρτ", "Απριλ",
        "Μαΐ", "Ιουν", "Ιουλ", "Αυγο", "Σεπτε", "Οκτω", "Νοεμ", "Δεκεμ", "ιανου", "φεβρου", "μαρτ", "απριλ", "μαΐ", "ιουν", "ιουλ",
        "αυγο", "σεπτε", "οκτω", "νοεμ", "δεκεμ", "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
        "сентября", "октября", "ноября", "декабря", "січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня",
        "вересня", "жовтня", "листопада", "грудня",
        /* session 14 (CLDR): hr (genitive), sr and bg and mk (Cyrillic), sl / sv / da / no "maj", sq, fi (the stems
           before -kuu / -kuuta), et, is, lv (locative) */
        "siječ", "veljač", "ožuj", "travnj", "svibnj", "lipnj", "srpnj", "kolovoz", "rujn", "listopad", "studen", "prosin",
        "јануар", "фебруар", "март", "април", "мај", "јун", "јул", "август", "септем", "октоб", "новем", "децем", "януари",
        "февруари", "май", "юни", "юли", "септември", "октомври", "ноември", "декември", "maj", "janar", "shkurt", "prill",
        "qershor", "korrik", "gusht", "shtator", "tetor", "nëntor", "dhjetor", "tammik", "helmik", "maalisk", "huhtik", "toukok",
        "kesäk", "heinäk", "elok", "syysk", "lokak", "marrask", "jouluk", "jaanuar", "veebr", "märts", "juuni", "juuli", "dets",
        "maí", "júní", "júlí", "ágúst", "nóv", "desemb", "janvār", "februār", "maij", "jūnij", "jūlij", NULL};
    size_t e = p;
    while (e < len && (pol__is_alpha(U(t[e])) || U(t[e]) >= 0x80))
        e++;
    if (e - p < 3)
        return 0;
    for (int k = 0; months[k] != NULL; k++) {
        size_t ml = strlen(months[k]);
        if (ml <= e - p) {
            size_t i = 0;
            while (i < ml && (t[p + i] | (U(t[p + i]) < 0x80 ? 0x20 : 0)) == months[k][i])
                i++;
            if (i == ml)
                return (int)(e - p);
        }
    }
    return 0;
}

/* ISO 8601 time after a date ending at e ("T09:15:30.500-07:00", "T14:30Z", " 14:30:00"):
 * the end of the time, or e if none */
static size_t iso_time_end(const char *t, size_t len, size_t e)
{
    size_t p = e + 1;
    if (e >= len || (t[e] != 'T' && t[e] != ' '))
        return e;
    /* hh:mm, then :ss, then .fraction */
    for (int k = 0; k < 3; k++) {
        if (p + 2 > len || !pol__is_digit(U(t[p])) || !pol__is_digit(U(t[p + 1])))
            return k == 0 ? e : p - 1;
        p += 2;
        if (k < 2 && p < len && t[p] == ':' && k < 2)
            p++;
        else
            break;
    }
    if (p < len && t[p] == '.' && p + 1 < len && pol__is_digit(U(t[p + 1]))) {
        p++;
        while (p < len && pol__is_digit(U(t[p])))
            p++;
    }
    if (p < len && t[p] == 'Z')
        p++;
    else if (p + 2 < len && (t[p] == '+' || t[p] == '-') && pol__is_digit(U(t[p + 1])) && pol__is_digit(U(t[p + 2]))) {
        size_t q = p + 3;
        if (q < len && t[q] == ':')
            q++;
        if (q + 1 < len && pol__is_digit(U(t[q])) && pol__is_digit(U(t[q + 1])))
            p = q + 2;
        else if (q == p + 3)
            p = q;
    }
    return p;
}

/* The unit a Chinese, Japanese or Korean date writes after a number (年 月 日, 년 월 일:
 * "1990年5月12日", "1990년 5월 12일") at p: its length (3), or 0 */
static size_t cjk_date_unit(const char *t, size_t len, size_t p)
{
    static const char units[][4] = {"\xe5\xb9\xb4", "\xe6\x9c\x88", "\xe6\x97\xa5", "\xeb\x85\x84", "\xec\x9b\x94", "\xec\x9d\xbc"};
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
        if (p + 3 <= len && memcmp(t + p, units[i], 3) == 0)
            return 3;
    return 0;
}

/*
 * A date after a keyword, the first within 32 bytes: numeric (1985-03-04, 04/03/1985, 4.3.85) or
 * with a month name (March 4, 1985 / 4 March 1985 / 4. März 1985 / 5-MAY-2021) or CJK units
 * (1990年5月12日, 1990년 5월 12일), an ISO 8601 time included. birth = 1: after a birth word (a date of birth, 0.85: needs a year
 * or three parts); 0: after a word that announces a date ("today is", "date:", "deadline", "appointment", 0.6), where a day and
 * month alone (5/21, May-21, 21 May) also count.
 */
int pol__rec_date_word(pol__scanctx_t *c, size_t to, int birth)
{
    const char *t = c->text;
    size_t p = to, lim = to + 32 < c->len ? to + 32 : c->len;
    while (p < lim && !pol__is_digit(U(t[p])) && !(month_word(t, c->len, p) && (p == 0 || !pol__is_alpha(U(t[p - 1])))))
        p++;
    if (p >= lim || (p > 0 && pol__glue_before(t, p) && pol__is_digit(U(t[p]))))
        return 0;
    size_t s = p, e = p;
    /* a Japanese era name before the year ("昭和55年4月3日", "令和5年4月1日": 明治 大正 昭和 平成 令和; session 12) or the ROC's
       (民國80年5月3日; session 14): the year of the era counts as a year and the era is part of the date */
    int era = 0;
    static const char eras[][7] = {"\xe6\x98\x8e\xe6\xb2\xbb", "\xe5\xa4\xa7\xe6\xad\xa3", "\xe6\x98\xad\xe5\x92\x8c",
                                   "\xe5\xb9\xb3\xe6\x88\x90", "\xe4\xbb\xa4\xe5\x92\x8c",
                                   /* session 14: 民國 (the Republic of China's calendar, Taiwan: 民國80年 = 1991) */
                                   "\xe6\xb0\x91\xe5\x9c\x8b"};
    for (size_t k = 0; k < sizeof(eras) / sizeof(eras[0]) && p >= 6; k++)
        if (memcmp(t + p - 6, eras[k], 6) == 0) {
            size_t d = p;
            while (d < c->len && pol__is_digit(U(t[d])) && d - p < 3)
                d++;
            if (d > p && d - p <= 2 && cjk_date_unit(t, c->len, d) && memcmp(t + d, "\xe5\xb9\xb4", 3) == 0)
                era = 1, s = p - 6;
        }
    int has_year = 0, parts = 0, months = 0, num[6] = {0}, nlen[6] = {0};
    char sep = 0;
    while (e < c->len && parts < 6) {
        size_t w = e;
        int mw;
        if (pol__is_digit(U(t[w]))) {
            size_t d0 = w;
            int v = 0;
            while (w < c->len && pol__is_digit(U(t[w]))) {
                if (w - d0 < 5) /* a run longer than 4 digits is no date part (below): no overflow on long runs */
                    v = v * 10 + (t[w] - '0');
                w++;
            }
            if (w - d0 == 4 || (era && parts == 0))
                has_year = 1;
            if (w - d0 > 4)
                break;
            num[parts] = v, nlen[parts] = (int)(w - d0);
            /* ordinal suffixes (1st, 2nd, 4th, 1er); a letter before a digit ("T09:15") is no suffix */
            size_t x = w;
            while (x < c->len && pol__is_alpha(U(t[x])) && x - d0 < 6)
                x++;
            if (x == c->len || !pol__is_digit(U(t[x])))
                w = x;
        } else if ((mw = month_word(t, c->len, w)) != 0) {
            w += (size_t)mw;
            months++;
            num[parts] = -1;
        } else {
            break;
        }
        e = w, parts++;
        size_t unit = num[parts - 1] >= 0 ? cjk_date_unit(t, c->len, e) : 0;
        if (parts == 3 && months == 0) {
            e += unit; /* 日, 일 */
            break;     /* day, month and year in numbers: a time may follow ("2024-06-05 14:30") */
        }
        if (unit != 0) { /* 年 / 月, 년 / 월, a space after the Korean ones */
            size_t q = e + unit;
            while (q < c->len && t[q] == ' ' && q - e < unit + 2)
                q++;
            if (q >= c->len || !pol__is_digit(U(t[q]))) {
                e += unit;
                break;
            }
            if (sep == 0)
                sep = '-';
            e = q;
            continue;
        }
        size_t q = e;
        /* Latvian puts the year first and says "year" after it: "1986. gada 3. martā" (session 14) */
        if (nlen[parts - 1] == 4 && parts == 1 && q + 7 < c->len && memcmp(t + q, ". gada ", 7) == 0 &&
            pol__is_digit(U(t[q + 7]))) {
            sep = ' ';
            e = q + 7;
            continue;
        }
        /* "the 3rd of March 1990", "3 de março de 1990", "12 de mayo de 1985" (session 12): " of " before a month name,
           " de " before a month name or after one before the year */
        if (q + 5 <= c->len && t[q] == ' ' && t[q + 3] == ' ' &&
            ((t[q + 1] | 0x20) == 'o' ? (t[q + 2] | 0x20) == 'f' : (t[q + 1] | 0x20) == 'd' && (t[q + 2] | 0x20) == 'e') &&
            (month_word(t, c->len, q + 4) || (num[parts - 1] < 0 && pol__is_digit(U(t[q + 4]))))) {
            if (sep == 0)
                sep = ' ';
            e = q + 4;
            continue;
        }
        while (q < c->len && (t[q] == ' ' || t[q] == '/' || t[q] == '-' || t[q] == '.' || t[q] == ',') && q - e < 3)
            q++;
        if (q == e || q >= c->len || !(pol__is_digit(U(t[q])) || month_word(t, c->len, q)))
            break;
        if (sep == 0)
            sep = t[e];
        e = q;
    }
    /* numbers alone must read as a date: Y-M-D (4-1/2-1/2) or D-M-Y / M-D-Y (1/2-1/2-2/4), ending
     * there ("978-5-3159-5152-1" is an ISBN, "1.2.3.4" a version or an address) */
    if (months == 0 && parts >= 3) {
        int ymd =
            (nlen[0] == 4 || era) && nlen[1] <= 2 && nlen[2] <= 2 && num[1] >= 1 && num[1] <= 12 && num[2] >= 1 && num[2] <= 31;
        int dmy = nlen[0] <= 2 && nlen[1] <= 2 && (nlen[2] == 2 || nlen[2] == 4) && num[0] >= 1 && num[1] >= 1 &&
                  ((num[0] <= 31 && num[1] <= 12) || (num[0] <= 12 && num[1] <= 31));
        size_t q = e;
        if (q + 1 < c->len && (t[q] == '-' || t[q] == '/' || t[q] == '.') && pol__is_digit(U(t[q + 1])))
            return 0;
        if (!(ymd || dmy))
            return 0;
    }
    int ok = parts >= 2 && (has_year || parts >= 3);
    if (!ok && !birth && parts == 2) {
        /* day and month, month and year: "May-21", "21 May", "5/21", "05/2021" (not "5.21": a version
         * or an amount) */
        if (months == 1)
            ok = 1;
        else if ((sep == '/' || sep == '-') && num[0] >= 1 && num[0] <= 12 && nlen[0] <= 2 &&
                 ((num[1] >= 1 && num[1] <= 31) || nlen[1] == 4))
            ok = 1;
    }
    if (!ok)
        return 0;
    if (parts == 3 && !pol__glue_after(t, c->len, iso_time_end(t, c->len, e)))
        e = iso_time_end(t, c->len, e);
    if (pol__glue_after(t, c->len, e))
        return 0;
    pol__cand_t *cd;
    if (pol__cands_push(c->cands, POL_PII_DATE_TIME, s, e, birth ? 0.85 : 0.6) != 0)
        return -1;
    cd = &c->cands->v[c->cands->n - 1];
    cd->ctx_done = 1;
    return 0;
}

/* The words of the pattern that runs pol__rec_date_before_word (recognizers.c): 生まれ, 태어났, 출생, doğdu */
static size_t birth_word_start(const char *t, size_t to)
{
    static const char *const words[] = {"\xe7\x94\x9f\xe3\x81\xbe\xe3\x82\x8c", "\xed\x83\x9c\xec\x96\xb4\xeb\x82\xac",
                                        "\xec\xb6\x9c\xec\x83\x9d",
                                        "do\xc4\x9f\x64u"}; /* \x64: 'd' (a literal d would continue the hex escape) */
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        size_t l = strlen(words[i]), j = 0;
        while (to >= l && j < l && (U(t[to - l + j]) | (pol__is_alpha(U(t[to - l + j])) ? 0x20 : 0)) == U(words[i][j]))
            j++;
        if (j == l)
            return to - l; /* (the pattern is caseless: "Doğdu") */
    }
    return to;
}

int pol__rec_date_before_word(pol__scanctx_t *c, size_t to)
{
    const char *t = c->text;
    size_t ws = birth_word_start(t, to), lim = ws > 64 ? ws - 64 : 0, k = ws;
    /* back over a particle or a suffix (に, 에, 'da, a space) to the date's last digit or unit (日, 일) */
    while (k > lim && ws - k < 24 && !pol__is_digit(U(t[k - 1])) && !(k >= 3 && cjk_date_unit(t, c->len, k - 3)))
        k--;
    if (k == lim || ws - k >= 24)
        return 0;
    /* back over the date: digits, separators, spaces, CJK units */
    while (k > lim) {
        unsigned char b = U(t[k - 1]);
        if (pol__is_digit(b) || b == '/' || b == '-' || b == '.' || b == ' ')
            k--;
        else if (k >= 3 && cjk_date_unit(t, c->len, k - 3))
            k -= 3;
        else
            break;
    }
    while (k < ws && !pol__is_digit(U(t[k])))
        k++;
    if (k == ws)
        return 0;
    size_t n0 = c->cands->n;
    if (pol__rec_date_word(c, k, 1) != 0)
        return -1;
    /* the date found must be the one before the word */
    if (c->cands->n > n0 && ((c->cands->v[n0].start != k && c->cands->v[n0].start + 6 != k) || c->cands->v[n0].end > ws))
        c->cands->n = n0; /* (an era name, 6 bytes, may start it) */
    return 0;
}
