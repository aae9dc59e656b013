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

static const char *const ctx_phone[] = {
    "phone", "tel", "telephone", "mobile", "cell", "call", "fax", "whatsapp", "sms", "text me", "telefon", "téléphone", "teléfono",
    "telefono", "móvil", "handy", "portable", "contact", "reach me", "ring", "dial",
    /* zh, ja, ko, ru, ar, hi, pt, nl (the words of the prompts these recognizers see) */
    "电话", "手机", "联系", "致电", "号码", "電話", "手機", "聯絡", "携帯", "連絡", "전화", "휴대폰", "핸드폰", "연락처", "телефон",
    "тел", "звоните", "позвоните", "мобильный", "هاتف", "جوال", "اتصل", "फ़ोन", "फोन", "मोबाइल", "celular", "telefoon", "bel",
    "nummer", "rufnummer", "ruf", "numero", "número", "numéro", "cellulare", NULL};
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
const char *const pol__ctx_negative[] = {"order", "invoice", "tracking", "sku", "isbn", "version", "build", "ticket", "serial",
                                         "txn", "transaction", "shipment", "parcel", "item", "part", "po", "ref", "reference",
                                         "case", "model", "batch", "seed", "timestamp", "epoch",
                                         /* zh/ja: order, order number, number (serial), tracking, invoice, version, seed */
                                         "订单", "单号", "编号", "发票", "版本", "种子", "注文",
                                         /* order / order number, invoice in de, fr, es, it, pt, nl, ru, hi, ar, ko */
                                         "bestellung", "bestellnummer", "rechnung", "commande", "facture", "pedido", "factura",
                                         "ordine", "fattura", "bestelling", "factuur", "заказ", "ऑर्डर", "طلب", "주문", NULL};

/* 1 if a word can start at low[i]: at the window's start, after a byte that is not a letter or
 * digit, or after a written-out escape ("\tcard", "\\ncard": a log line or JSON quoted as text,
 * pol__escape_before) */
static int word_start(const char *low, size_t i)
{
    return i == 0 || !pol__is_alnum(U(low[i - 1])) || pol__escape_before(low, i);
}

int pol__after_negative(const char *text, size_t start)
{
    /* the label: at most POL__NEG_LABEL bytes before the number, and nothing before the last digit
     * in them ("order 5512, paid with 4111...": "order" labels 5512, not the card) */
    size_t from = start > POL__NEG_LABEL ? start - POL__NEG_LABEL : 0;
    for (size_t i = start; i > from; i--) {
        if (pol__is_digit(U(text[i - 1]))) {
            from = i;
            break;
        }
    }
    return from < start && pol__has_word(text, from, start, pol__ctx_negative);
}

/* pol__has_word's search over the lower-cased window low[0, n) for lists of 255 words or more */
static int has_word_slow(const char *low, size_t n, const char *const *words)
{
    for (size_t i = 0; i < n; i++) {
        if (!word_start(low, i))
            continue;
        for (const char *const *w = words; *w != NULL; w++) {
            size_t wl = strlen(*w);
            if (U((*w)[0]) == U(low[i]) && i + wl <= n && memcmp(low + i, *w, wl) == 0 &&
                (i + wl == n || !pol__is_alnum(U(low[i + wl]))))
                return 1;
        }
    }
    return 0;
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
            size_t wl = strlen(wd);
            if (i + wl <= n && memcmp(low + i, wd, wl) == 0 && (i + wl == n || !pol__is_alnum(U(low[i + wl]))))
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
    if (pol__has_word(text, from, c->start, pos) || pol__has_word(text, c->end, to, pos)) {
        c->score += 0.35;
    } else if (numeric && pol__after_negative(text, c->start)) {
        c->score -= 0.4;
    }
    if (c->score > 1.0)
        c->score = 1.0;
    if (c->score < 0)
        c->score = 0;
}
