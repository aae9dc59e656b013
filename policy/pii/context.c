/*
 * The lowest layer of the recognizers: the candidate list every recognizer pushes to, and the
 * Presidio-style context words (supporting words per type, one list of negative words) with the
 * word search they use. recognizers.c, digits.c, address.c, dates.c, person.c, national.c, cjk.c
 * and scripts.c build on it; it depends on none of them (so person.c and recognizers.c no longer
 * include each other's definitions in a cycle).
 */
#include "policy/pii/pii_internal.h"

#include <stdlib.h>
#include <string.h>

#define U(p) POL__U(p)

int pol__cands_push(pol__cands_t *c, int type, size_t start, size_t end, double score)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        pol__cand_t *v = realloc(c->v, cap * sizeof(*v));
        if (v == NULL)
            return -1;
        c->v = v;
        c->cap = cap;
    }
    c->v[c->n++] = (pol__cand_t){type, start, end, score, 0};
    return 0;
}

/* Phone words. A trailing '*' matches the word with any ending (pol__has_word): the inflected
 * languages write "telefonu", "telefonem" (pl), "telefonum" (tr), "mobilu" (cs). Words of scripts
 * without ASCII letters match as prefixes anyway (a byte >= 0x80 after them is no ASCII letter):
 * "τηλ" finds τηλέφωνο, τηλ., τηλεφώνου. */
static const char *const ctx_phone[] = {
    "phone", "tel", "telephone", "mobile", "cell", "call", "fax", "whatsapp", "sms", "text me", "telefon*", "téléphone", "teléfono",
    "telefono", "móvil", "handy", "portable", "contact", "reach me", "ring", "dial", "mobil*", "tlf", "mob", "telemóvel",
    "telemovel", "cellulare", "chiamami", "llámame", "llamar", "ligue", "appelez", "appelle", "mobiel", "telefoon*", "puhelin*",
    "gsm", "cep", "komórk*", "komork*", "zadzwoń", "zadzwon", "číslo", "telepon", "ponsel", "hp", "wa", "sđt", "điện thoại",
    "di động",
    /* zh, ja, ko, ru/uk, el, he, ar, fa, hi, th, pt, nl (the words of the prompts these recognizers see) */
    "电话", "手机", "联系", "致电", "号码", "電話", "手機", "聯絡", "携帯", "連絡", "전화", "휴대폰", "핸드폰", "연락처", "телефон",
    "тел", "звоните", "позвоните", "мобильн", "мобільн", "τηλ", "κινητ", "טלפון", "נייד", "هاتف", "جوال", "اتصل", "تلفن", "موبایل",
    "फ़ोन", "फोन", "मोबाइल", "โทร", "เบอร์", "มือถือ", "celular", "bel", "nummer", "rufnummer", "ruf", "numero", "número", "numéro",
    "numer", NULL};
static const char *const ctx_card[] = {"card",    "credit", "debit", "visa",  "mastercard", "amex",  "cc",
                                       "payment", "pay",    "karte", "carte", "tarjeta",    "carta", NULL};
static const char *const ctx_ssn[] = {"ssn", "social security", "social", "ss#", "ss #", "taxpayer", NULL};
static const char *const ctx_nhs[] = {"nhs", "health", "patient", NULL};
static const char *const ctx_ip[] = {"ip", "address", "host", "server", "client", "connect", "ssh", "ping", NULL};
static const char *const ctx_crypto[] = {"wallet", "btc", "bitcoin", "eth", "ethereum", "address", "send", "crypto", NULL};
static const char *const ctx_location[] = {"address", "postcode", "post code", "zip",       "live",      "lives", "street",
                                           "ship",    "deliver",  "adresse",   "dirección", "indirizzo", "plz",   NULL};
/* Negative words (one list for every numeric type, national identifiers included): a number
 * after one of them is an order, invoice, tracking, version, seed... number rather than PII. */
const char *const pol__ctx_negative[] = {
    "order", "invoice", "tracking", "sku", "isbn", "version", "build", "ticket", "serial", "txn", "transaction", "shipment",
    "parcel", "item", "part", "po", "ref", "reference", "case", "model", "batch", "seed", "timestamp", "epoch",
    /* zh/ja: order, order number, number (serial), tracking, invoice, version, seed */
    "订单", "单号", "编号", "发票", "版本", "种子", "注文",
    /* order / order number, invoice in de, fr, es, it, pt, nl, ru, hi, ar, ko */
    "bestellung", "bestellnummer", "rechnung", "commande", "facture", "pedido", "factura", "ordine", "fattura", "bestelling",
    "factuur", "заказ", "ऑर्डर", "طلب", "주문",
    /* session 10: inflected and compound forms ('*': any ending; "numer zamówienia",
       "номер замовлення", "Rechnungsnummer", "Tilausnumero") and the languages
       without a word here before: pl, uk, cs, tr, el, fi, vi, id/ms, sw, he, fa, th, bn,
       and invoice / waybill words of ar, ja, ko, zh */
    "zamówie*", "zamowie*", "faktur*", "заказ*", "замовлен*", "objednáv*", "sipariş*", "fatura*", "παραγγελ*", "τιμολ*", "tilau*",
    "lasku*", "bestell*", "rechnung*", "commande*", "factur*", "pedido*", "ordine*", "đơn hàng", "hóa đơn", "mã đơn", "pesanan",
    "invois", "oda", "הזמנה", "חשבונית", "سفارش", "فاکتور", "สั่งซื้อ", "ใบแจ้งหนี้", "অর্ডার", "চালান", "فاتورة", "請求書", "伝票", "송장",
    "운송장", "运单", "快递单", NULL};

/* 1 if a word can start at low[i]: at the window's start, after a byte that is not a letter or
 * digit, or after a written-out escape ("\tcard", "\\ncard": a log line or JSON quoted as text,
 * pol__escape_before) */
static int word_start(const char *low, size_t i)
{
    return i == 0 || !pol__is_alnum(U(low[i - 1])) || pol__escape_before(low, i);
}

/* Nouns that may stand between a negative word and its number: "order number: 5512", "Commande
 * n° 5512", "ticket ID 5512", "订单号 5512", "ऑर्डर नंबर A394691964". Lower case. */
static const char *const label_nouns[] = {
    "number", "no", "nr", "num", "n", "id", "code", "nummer", "numéro", "numero", "número", "номер", "号", "番号", "번호",
    /* hi, bn, th, vi, ar, fa, id/ms, sw, tr: number */
    "नंबर", "संख्या", "क्रमांक", "নম্বর", "নং", "หมายเลข", "เลขที่", "số", "رقم", "شماره", "nomor", "nambari", "numarası", "numarasi",
    "numaranız", "numaraniz", "číslo", "numer", "αριθμός", "מספר", NULL};

/* Non-ASCII separators a label may end with: full-width colon and number sign, degree and ordinal
 * signs (n°, nº), numero sign, ideographic space and comma, no-break space. */
static const char *const label_marks[] = {"\xef\xbc\x9a", "\xef\xbc\x83", "\xc2\xb0", "\xc2\xba", "\xe2\x84\x96",
                                          "\xe3\x80\x80", "\xe3\x80\x81", "\xc2\xa0", NULL};

/* `p` moved back over separators (ASCII punctuation and spaces, written-out escapes, label_marks) */
static size_t skip_marks(const char *t, size_t p)
{
    for (;;) {
        if (p > 0 && U(t[p - 1]) < 0x80 && !pol__is_alnum(U(t[p - 1]))) {
            p--;
        } else if (pol__escape_before(t, p)) {
            p -= 2;
        } else {
            size_t k = 0;
            for (const char *const *m = label_marks; *m != NULL; m++) {
                size_t ml = strlen(*m);
                if (p >= ml && memcmp(t + p - ml, *m, ml) == 0) {
                    k = ml;
                    break;
                }
            }
            if (k == 0)
                return p;
            p -= k;
        }
    }
}

/* the length of the word of `words` that ends at t[p] (ASCII case-insensitive, a word start before
 * it), 0 if none; a word ending in '*' is a stem: the word that ends at p (back over ASCII letters and digits and
 * non-ASCII bytes) starts with it, and its whole length is returned */
static size_t word_ending_at(const char *t, size_t p, const char *const *words)
{
    for (const char *const *w = words; *w != NULL; w++) {
        size_t wl = strlen(*w);
        if (wl > 1 && (*w)[wl - 1] == '*') {
            size_t s = p;
            while (s > 0 && (pol__is_alnum(U(t[s - 1])) || U(t[s - 1]) >= 0x80))
                s--;
            if (p - s >= wl - 1 && memcmp(t + s, *w, wl - 1) == 0)
                return p - s;
            continue;
        }
        if (wl > p)
            continue;
        size_t s = p - wl, i = 0;
        while (i < wl) {
            unsigned char b = U(t[s + i]);
            if ((b >= 'A' && b <= 'Z' ? b + 32 : b) != U((*w)[i]))
                break;
            i++;
        }
        if (i == wl && (s == 0 || U((*w)[0]) >= 0x80 || !pol__is_alnum(U(t[s - 1])) || pol__escape_before(t, s)))
            return wl;
    }
    return 0;
}

static void fold2(unsigned char *b);

int pol__after_negative(const char *text, size_t start)
{
    /* the word right before the number, past separators and at most one label noun: "order 5512,
     * paid with 4111..." labels 5512, not the card; "Parcel for Mr Smith, 020 7946 0958" labels
     * nothing. Compared in a lower-cased copy of the 96 bytes before (ASCII, and the two-byte capitals of fold2:
     * "Заказ", "Παραγγελία", "Zamówienie") */
    char low[96];
    size_t from = start > sizeof(low) ? start - sizeof(low) : 0;
    for (size_t i = from; i < start; i++) {
        unsigned char c = U(text[i]);
        low[i - from] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    for (size_t i = 0; i + 1 < start - from; i++)
        if ((U(low[i]) == 0xC3 || U(low[i]) == 0xCE || U(low[i]) == 0xD0) && (U(low[i + 1]) & 0xC0) == 0x80)
            fold2((unsigned char *)low + i++);
    text = low, start -= from;
    size_t p = skip_marks(text, start);
    if (word_ending_at(text, p, pol__ctx_negative) != 0)
        return 1;
    /* every label noun that ends there ("注文番号": both "号" and "番号" do) */
    for (const char *const *w = label_nouns; *w != NULL; w++) {
        const char *one[2] = {*w, NULL};
        size_t n = word_ending_at(text, p, one);
        if (n != 0 && word_ending_at(text, skip_marks(text, p - n), pol__ctx_negative) != 0)
            return 1;
    }
    return 0;
}

/* 1 if `wd` (a word of a list, lower case, a trailing '*' for any ending) occurs in low[0, n) at i */
static int word_at(const char *low, size_t n, size_t i, const char *wd)
{
    size_t wl = strlen(wd);
    int stem = wl > 1 && wd[wl - 1] == '*';
    wl -= (size_t)stem;
    return i + wl <= n && memcmp(low + i, wd, wl) == 0 && (stem || i + wl == n || !pol__is_alnum(U(low[i + wl])));
}

/* pol__has_word's search over the lower-cased window low[0, n) for lists of 255 words or more */
static int has_word_slow(const char *low, size_t n, const char *const *words)
{
    for (size_t i = 0; i < n; i++) {
        if (!word_start(low, i))
            continue;
        for (const char *const *w = words; *w != NULL; w++)
            if (U((*w)[0]) == U(low[i]) && word_at(low, n, i, *w))
                return 1;
    }
    return 0;
}

/* Lower-cases the two-byte UTF-8 capital at b[0..1] in place (same length): Latin-1 (U+00C0-00DE
 * but U+00D7), Greek (U+0386-03AB) and Cyrillic (U+0400-042F): the capitals a context word starts a
 * sentence with ("Телефон:", "Τηλέφωνο:", "Éirigh"), per UnicodeData.txt's simple lowercase mappings. */
static void fold2(unsigned char *b)
{
    unsigned char l = b[0], c = b[1];
    if (l == 0xC3 && c >= 0x80 && c <= 0x9E && c != 0x97) {
        b[1] = (unsigned char)(c + 0x20);
    } else if (l == 0xCE) {
        static const unsigned char tonos[10][2] = {/* U+0386-038F: Ά · Έ Ή Ί · Ό · Ύ Ώ */
                                                   {0xCE, 0xAC}, {0, 0},       {0xCE, 0xAD}, {0xCE, 0xAE}, {0xCE, 0xAF},
                                                   {0, 0},       {0xCF, 0x8C}, {0, 0},       {0xCF, 0x8D}, {0xCF, 0x8E}};
        if (c >= 0x86 && c <= 0x8F && tonos[c - 0x86][0] != 0) {
            b[0] = tonos[c - 0x86][0], b[1] = tonos[c - 0x86][1];
        } else if (c >= 0x91 && c <= 0x9F) {
            b[1] = (unsigned char)(c + 0x20);
        } else if (c >= 0xA0 && c <= 0xAB && c != 0xA2) {
            b[0] = 0xCF, b[1] = (unsigned char)(c - 0x20);
        }
    } else if (l == 0xD0) {
        if (c >= 0x80 && c <= 0x8F)
            b[0] = 0xD1, b[1] = (unsigned char)(c + 0x10);
        else if (c >= 0x90 && c <= 0x9F)
            b[1] = (unsigned char)(c + 0x20);
        else if (c >= 0xA0 && c <= 0xAF)
            b[0] = 0xD1, b[1] = (unsigned char)(c - 0x20);
    }
}

int pol__has_word(const char *text, size_t from, size_t to, const char *const *words)
{
    char low[96];
    size_t n = to - from;
    if (n > sizeof(low))
        n = sizeof(low), from = to - n;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = U(text[from + i]);
        low[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    for (size_t i = 0; i + 1 < n; i++)
        if ((U(low[i]) == 0xC3 || U(low[i]) == 0xCE || U(low[i]) == 0xD0) && (U(low[i + 1]) & 0xC0) == 0x80)
            fold2((unsigned char *)low + i++);
    /* one pass over the positions that can start a word (not after an alnum byte), comparing only
     * the words that begin with that byte (chained by first byte: lists of phone context words
     * share their first letters with most words of prose): the same answer as searching each word
     * in turn */
    unsigned char head[256], next[256]; /* word index + 1 of the first / next word with that first byte; 0 ends */
    memset(head, 0, sizeof(head));
    size_t nw = 0;
    for (const char *const *w = words; *w != NULL; w++, nw++) {
        if (nw == 255)
            return has_word_slow(low, n, words);
        unsigned char f = U((*w)[0]);
        next[nw] = head[f];
        head[f] = (unsigned char)(nw + 1);
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = U(low[i]);
        if (head[c] == 0 || !word_start(low, i))
            continue;
        for (unsigned k = head[c]; k != 0; k = next[k - 1]) {
            const char *wd = words[k - 1];
            if (wd[1] != '\0' && (i + 1 == n || low[i + 1] != wd[1]))
                continue;
            if (word_at(low, n, i, wd))
                return 1;
        }
    }
    return 0;
}

void pol__apply_context(const char *text, size_t len, pol__cand_t *c)
{
    const char *const *pos = NULL;
    int numeric = 0;
    if (c->ctx_done)
        return;
    switch (c->type) {
    case POL_PII_PHONE_NUMBER:
        pos = ctx_phone, numeric = 1;
        break;
    case POL_PII_CREDIT_CARD:
        pos = ctx_card, numeric = 1;
        break;
    case POL_PII_US_SSN:
        pos = ctx_ssn, numeric = 1;
        break;
    case POL_PII_UK_NHS:
        pos = ctx_nhs, numeric = 1;
        break;
    case POL_PII_IP_ADDRESS:
        pos = ctx_ip;
        break;
    case POL_PII_CRYPTO:
        pos = ctx_crypto;
        break;
    case POL_PII_LOCATION:
        pos = ctx_location;
        break;
    default:
        return;
    }
    size_t from = c->start > 48 ? c->start - 48 : 0;
    size_t to = c->end + 16 < len ? c->end + 16 : len;
    /* a negative word that labels the number outweighs a supporting word near it: "Número de pedido 612345678",
       "numer zamówienia 4455667788" ("número", "numer" support phone numbers) */
    if (numeric && pol__after_negative(text, c->start)) {
        c->score -= 0.4;
    } else if (pol__has_word(text, from, c->start, pos) || pol__has_word(text, c->end, to, pos)) {
        c->score += 0.35;
    }
    if (c->score > 1.0)
        c->score = 1.0;
    if (c->score < 0)
        c->score = 0;
}
