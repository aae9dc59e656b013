/*
 * PERSON and LOCATION in Thai text. Thai writes no spaces between words (a space ends a phrase or
 * separates a given name from a surname) and has no capitals, so names and addresses are found by
 * their labels, never by a word on its own:
 *   - names: after an introduction or a form label ("ผมชื่อ", "ดิฉันชื่อ", "ฉันชื่อ" "my name is",
 *     "ชื่อ-นามสกุล" "full name", "ชื่อ:" ...) or a title ("นางสาว" Miss, "น.ส.", "ด.ช."/"ด.ญ." boy/girl,
 *     and "นาย" Mr / "นาง" Mrs, which also start ordinary words: "นายก" prime minister, "นายจ้าง"
 *     employer, "นางฟ้า" angel). A Thai name is a given name, one space and a surname (the Civil
 *     Registration Act requires both); the name is the given name glued to the trigger, plus the
 *     surname when the next phrase is short and does not start with a verb, particle or conjunction
 *     ("ผมชื่อสมชาย อยากสอบถาม..." keeps "สมชาย" alone). After "นาย" / "นาง" without a label the
 *     surname is required (the second signal), and the compound words they start are excluded.
 *   - addresses: the components of Thailand Post's address order (Thailand Post, "การจ่าหน้าซองที่
 *     ถูกต้อง"; UPU Postal Addressing Systems, Thailand): house number ("บ้านเลขที่ 45/6", "เลขที่
 *     123", or a bare "99/1" before the next component), village group ("หมู่ 4", "หมู่ที่", "ม."),
 *     housing estate ("หมู่บ้าน"), lane ("ซอย", "ซ.", "ตรอก"), road ("ถนน", "ถ."), sub-district
 *     ("แขวง" in Bangkok, "ตำบล"/"ต." elsewhere), district ("เขต" / "อำเภอ"/"อ."), province
 *     ("จังหวัด"/"จ.", Bangkok "กรุงเทพมหานคร"/"กรุงเทพฯ"/"กทม."), the 5-digit postcode, and building,
 *     floor and room ("อาคาร", "ชั้น", "ห้อง"). A run of components separated by spaces or commas (or
 *     glued) is one LOCATION when it has three components, or two of which one is numbered (house,
 *     village group, postcode); building, floor and room only extend a run ("ชั้น 3 ห้อง 5" is also
 *     a school class).
 * Thai digits are ASCII digits here (unicode.c normalises them).
 */
#include "policy/pii/pii_internal.h"

#include <string.h>

#define U(p) ((unsigned char)(p))

typedef struct st_thw_t {
    const char *s;
    size_t n;
} thw_t;
#define TW(lit)                                                                                                                    \
    {                                                                                                                              \
        lit, sizeof(lit) - 1                                                                                                       \
    }

/* a letter of the Thai block (consonants, vowels, tone marks, ฯ, ๆ; not the digits and the signs ๏ ๚ ๛) */
static int thai_letter(uint32_t cp)
{
    return (cp >= 0x0E01 && cp <= 0x0E3A) || (cp >= 0x0E40 && cp <= 0x0E4E);
}

static size_t thai_at(const char *t, size_t len, size_t p)
{
    uint32_t cp;
    if (p + 2 >= len || U(t[p]) != 0xE0)
        return 0;
    return pol__cp_at(t, len, p, &cp) == 3 && thai_letter(cp) ? 3 : 0;
}

static int thai_before(const char *t, size_t p)
{
    uint32_t cp;
    return p >= 3 && pol__cp_before(t, p, &cp) == 3 && thai_letter(cp);
}

/* the longest word of `w` at t[p], or 0 */
static size_t thw_at(const char *t, size_t len, size_t p, const thw_t *w)
{
    size_t best = 0;
    for (; w->s != NULL; w++)
        if (w->n > best && p + w->n <= len && t[p + 2] == w->s[2] && memcmp(t + p, w->s, w->n) == 0)
            best = w->n;
    return best;
}

static const struct st_thkw_t *kw_at(const char *t, size_t len, size_t p);

/* ---- names ---- */

/* introductions and labels; the name follows, maybe after ":", "คือ" (is) or a title */
static const thw_t name_labels[] = {TW("ผมชื่อ"),     TW("กระผมชื่อ"),   TW("ชื่อเล่น"),       TW("ผมชื่อเล่น"), TW("ฉันชื่อเล่น"),
                                    TW("ดิฉันชื่อ"),    TW("ฉันชื่อ"),      TW("หนูชื่อ"),        TW("เราชื่อ"),   TW("ชื่อของฉัน"),
                                    TW("ชื่อของผม"),  TW("ชื่อ-นามสกุล"), TW("ชื่อ - นามสกุล"), TW("ชื่อ-สกุล"),  TW("ชื่อและนามสกุล"),
                                    TW("ชื่อนามสกุล"), TW("ชื่อผู้ติดต่อ"),   TW("ชื่อผู้รับ"),       TW("ชื่อผู้ส่ง"),   TW("ชื่อผู้ป่วย"),
                                    TW("ผู้ติดต่อ:"),   TW("ผู้รับ:"),      TW("ชื่อ:"),         {NULL, 0}};
/* titles that are words of their own */
static const thw_t titles_strong[] = {TW("นางสาว"), TW("น.ส."), TW("ด.ช."), TW("ด.ญ."), TW("ดร."), TW("นพ."), TW("พญ."), {NULL, 0}};
/* titles that also start common words: a surname is required, the compounds below are not names */
static const thw_t titles_weak[] = {TW("นาย"), TW("นาง"), {NULL, 0}};
static const thw_t title_compounds[] = {
    TW("ก"),    TW("จ้าง"),  TW("หน้า"), TW("ทุน"),   TW("พล"),   TW("อำเภอ"), TW("ด่าน"),    TW("ท่าน"),   TW("ทหาร"), TW("ตำรวจ"),
    TW("ร้อย"),  TW("พัน"),   TW("สิบ"),  TW("เรือ"),  TW("แพทย์"), TW("ช่าง"),   TW("ประกัน"),  TW("ฟ้า"),    TW("แบบ"),  TW("พยาบาล"),
    TW("งาม"),  TW("เอก"),  TW("สนม"), TW("ใน"),   TW("ร้าย"),  TW("เงือก"),  TW("กำนัล"),   TW("นวล"),   TW("ไม้"),   TW("บำเรอ"),
    TW("ระบำ"), TW("รำ"),   TW("ทาส"), TW("ห้าง"),  TW("สถานี"), TW("บ้าน"),   TW("ตำแหน่ง"), TW("งาน"),   TW("เวร"),  TW("ทะเบียน"),
    TW("ประตู"), TW("พราน"), TW("ท้าย"), TW("ตรวจ"), TW("ความ"), TW("โฆษ"),   TW("แม่"),     TW("กษัตริย์"), {NULL, 0}};
/* what follows a name glued to it: polite particles, and words that start the rest of the sentence */
static const thw_t name_end[] = {TW("ครับ"),   TW("ค่ะ"),  TW("คะ"),    TW("ค่า"),   TW("จ้ะ"),   TW("จ้า"), TW("นะคะ"),
                                 TW("นะครับ"), TW("อายุ"), TW("เบอร์"),  TW("โทร"),  TW("อีเมล"), TW("อยู่"), TW("ต้องการ"),
                                 TW("อยาก"),  TW("เป็น"), TW("ทำงาน"), TW("เกิด"),  TW("และ"),  TW("ซึ่ง"), TW("จาก"),
                                 TW("มาจาก"), TW("ยินดี"), TW("ขอ"),    TW("เรียน"), TW("ที่อยู่"),  {NULL, 0}};
/* a phrase after the space that starts with one of these is the sentence, not a surname */
static const thw_t not_surname[] = {
    TW("ครับ"),   TW("ค่ะ"),   TW("คะ"),   TW("ค่า"),  TW("จ้ะ"),   TW("จ้า"),  TW("นะ"),     TW("และ"),   TW("อยาก"),  TW("ต้องการ"),
    TW("เบอร์"),  TW("โทร"),  TW("อายุ"),  TW("อยู่"),  TW("เป็น"),  TW("จะ"),  TW("มีคำถาม"), TW("มีเรื่อง"), TW("ที่"),     TW("ขอ"),
    TW("ได้"),    TW("ไม่"),   TW("ก็"),    TW("แต่"),  TW("ซึ่ง"),   TW("จาก"), TW("มาจาก"),  TW("อีเมล"),  TW("ทำงาน"), TW("เกิด"),
    TW("เรียน"),  TW("สนใจ"), TW("ยินดี"),  TW("เพิ่ง"), TW("กำลัง"), TW("ชอบ"), TW("เคย"),    TW("ช่วย"),   TW("รบกวน"), TW("สอบถาม"),
    TW("แจ้ง"),   TW("ติดต่อ"), TW("กับ"),   TW("หรือ"), TW("ใน"),   TW("เมื่อ"), TW("วันนี้"),    TW("เลข"),   TW("บ้าน"),   TW("ทำ"),
    TW("ปัจจุบัน"), TW("อาศัย"), TW("ตอนนี้"), TW("นัด"),  TW("ค่ะ"),   TW("โดย"), TW("เพราะ"),  TW("ถ้า"),    TW("แล้ว"),   TW("คือ"),
    TW("ที่อยู่"),   TW("ผม"),   TW("ดิฉัน"),  TW("ฉัน"),  TW("หนู"),   TW("เรา"), TW("สวัสดี"),   TW("ขอบคุณ"), {NULL, 0}};

/* a run of Thai letters at p up to a non-letter or (after the first letter) a word of `stop`; @return its end */
static size_t thai_run(const char *t, size_t len, size_t p, const thw_t *stop, size_t max_cp)
{
    size_t e = p, k = 0, n;
    while ((n = thai_at(t, len, e)) != 0 && k < max_cp + 1) {
        if (k > 0 && stop != NULL && thw_at(t, len, e, stop) != 0)
            break;
        e += n, k++;
    }
    return k > max_cp ? p : e;
}

static size_t skip_spaces(const char *t, size_t len, size_t p, size_t max)
{
    size_t q = p;
    while (q < len && q - p < max && (t[q] == ' ' || t[q] == ':' || t[q] == '\t'))
        q++;
    return q;
}

/* The name at p: a given name (1-20 letters) and, when `surname` allows, the phrase after one space
 * as the surname. need_surname: the name counts only with one. @return its end, or p. */
static size_t thai_name(const char *t, size_t len, size_t p, int need_surname)
{
    size_t e = thai_run(t, len, p, name_end, 20);
    if (e == p || thw_at(t, len, p, not_surname) != 0)
        return p;
    size_t q = e + 1;
    if (e < len && t[e] == ' ' && thai_at(t, len, q) != 0 && thw_at(t, len, q, not_surname) == 0 && kw_at(t, len, q) == NULL) {
        size_t s2 = thai_run(t, len, q, name_end, 16);
        /* the surname ends the phrase: a space, punctuation, a digit or Latin text follows, not more Thai */
        if (s2 != q && thai_at(t, len, s2) == 0 && (s2 >= len || !pol__glue_after(t, len, s2) || U(t[s2]) >= 0x80))
            return s2;
        /* the surname glued to a particle ("ใจดีค่ะ"): thai_run stopped there */
        if (s2 != q && thw_at(t, len, s2, name_end) != 0)
            return s2;
    }
    return need_surname ? p : e;
}

static int push_name(pol__scanctx_t *c, size_t s, size_t e, double score)
{
    if (pol__cands_push(c->cands, POL_PII_PERSON, s, e, score) != 0)
        return -1;
    c->cands->v[c->cands->n - 1].ctx_done = 1;
    return 0;
}

/* a label ended at p: skip ":", "คือ" (is), a title; then the name */
static int name_after_label(pol__scanctx_t *c, size_t p, size_t *resume)
{
    const char *t = c->text;
    size_t len = c->len, q = skip_spaces(t, len, p, 4), w;
    static const thw_t is[] = {TW("คือ"), TW("ว่า"), {NULL, 0}};
    if ((w = thw_at(t, len, q, is)) != 0)
        q = skip_spaces(t, len, q + w, 2);
    if ((w = thw_at(t, len, q, titles_strong)) != 0 || (w = thw_at(t, len, q, titles_weak)) != 0)
        q = skip_spaces(t, len, q + w, 2);
    size_t e = thai_name(t, len, q, 0);
    if (e == q)
        return 0;
    *resume = e;
    return push_name(c, q, e, 0.85);
}

static int name_after_title(pol__scanctx_t *c, size_t p, int strong, size_t *resume)
{
    const char *t = c->text;
    size_t len = c->len, q = skip_spaces(t, len, p, 1);
    if (!strong && thw_at(t, len, q, title_compounds) != 0)
        return 0;
    size_t e = thai_name(t, len, q, !strong);
    if (e == q)
        return 0;
    *resume = e;
    return push_name(c, q, e, strong ? 0.85 : 0.75);
}

/* "คุณ" (Khun, the polite form of address before a given name; also "you") and the introductions "ผม" / "ดิฉัน" (I;
 * session 11). After "คุณ" the name is a run of 2-12 letters that is no verb or particle (not_surname, khun_not) and is
 * ended by a surname, a polite particle, a contact word (โทร, เบอร์, อีเมล, ได้ที่) or punctuation: "คุณสามารถใช้งานได้"
 * (you can use it) is none. Compounds (คุณภาพ quality, คุณสมบัติ property, ขอบคุณ thanks, คุณแม่ mother) are excluded. After
 * "ผม" / "ดิฉัน" the surname is required (the second signal: "ผมยาว" is long hair). */
static const thw_t khun_not[] = {TW("ภาพ"),    TW("สมบัติ"), TW("ค่า"),   TW("ธรรม"), TW("ประโยชน์"), TW("ลักษณะ"), TW("วุฒิ"), TW("แม่"),
                                 TW("พ่อ"),     TW("ยาย"),  TW("ตา"),   TW("ป้า"),   TW("ลุง"),      TW("น้า"),    TW("ครู"), TW("หมอ"),
                                 TW("สามารถ"), TW("คิด"),   TW("รู้"),    TW("ต้อง"),  TW("ควร"),     TW("อาจ"),   TW("ใช้"), TW("กด"),
                                 TW("เลือก"),   TW("ลอง"),  TW("ดู"),    TW("ไป"),   TW("มา"),      TW("มี"),     TW("จำ"), TW("เห็น"),
                                 TW("บอก"),    TW("พูด"),   TW("ทราบ"), TW("กรุณา"), TW("คง"),      TW("เอง"),   TW("ค่ะ"), {NULL, 0}};
static const thw_t khun_end[] = {TW("ได้ที่"), TW("ครับ"),  TW("ค่ะ"),   TW("คะ"),    TW("นะคะ"), TW("นะครับ"),
                                 TW("โทร"), TW("เบอร์"), TW("อีเมล"), TW("ที่เบอร์"), TW("จ้ะ"),   {NULL, 0}};

static int name_after_khun(pol__scanctx_t *c, size_t i, size_t p, size_t *resume)
{
    const char *t = c->text;
    size_t len = c->len;
    if (i >= 9 && memcmp(t + i - 9, "ขอบ", 9) == 0)
        return 0;
    if (thai_at(t, len, p) == 0 || thw_at(t, len, p, not_surname) != 0 || thw_at(t, len, p, khun_not) != 0)
        return 0;
    size_t e = thai_run(t, len, p, khun_end, 12);
    if (e == p || e - p < 6)
        return 0;
    size_t full = thai_name(t, len, p, 1);
    if (full > e) {
        *resume = full;
        return push_name(c, p, full, 0.8);
    }
    int ok = e >= len || thw_at(t, len, e, khun_end) != 0 || (U(t[e]) < 0x80 && t[e] != ' ' && !pol__is_alnum(U(t[e])));
    if (!ok && t[e] == ' ')
        ok = thw_at(t, len, e + 1, khun_end) != 0;
    if (!ok)
        return 0;
    *resume = e;
    return push_name(c, p, e, 0.75);
}

/* ---- addresses ---- */

enum { K_HOUSE = 1, K_MOO, K_STREET, K_SUB, K_DIST, K_PROV, K_BKK, K_BLDG, K_UNIT, K_POST };

typedef struct st_thkw_t {
    const char *s;
    size_t n;
    int kind;
    int value; /* 0: a name follows, 1: a number follows, 2: none (the word is the component) */
    int abbr;  /* an abbreviation ("ต."): only at the start of a word */
} thkw_t;
#define KW(lit, kind, value, abbr)                                                                                                 \
    {                                                                                                                              \
        lit, sizeof(lit) - 1, kind, value, abbr                                                                                    \
    }

static const thkw_t keywords[] = {
    KW("บ้านเลขที่", K_HOUSE, 1, 0), KW("เลขที่", K_HOUSE, 1, 0),   KW("หมู่ที่", K_MOO, 1, 0),    KW("หมู่", K_MOO, 1, 0),
    KW("ม.", K_MOO, 1, 1),        KW("หมู่บ้าน", K_STREET, 0, 0), KW("ซอย", K_STREET, 0, 0), KW("ซ.", K_STREET, 0, 1),
    KW("ตรอก", K_STREET, 0, 0),   KW("ถนน", K_STREET, 0, 0),   KW("ถ.", K_STREET, 0, 1),  KW("แขวง", K_SUB, 0, 0),
    KW("ตำบล", K_SUB, 0, 0),      KW("ต.", K_SUB, 0, 1),       KW("เขต", K_DIST, 0, 0),   KW("อำเภอ", K_DIST, 0, 0),
    KW("อ.", K_DIST, 0, 1),       KW("จังหวัด", K_PROV, 0, 0),   KW("จ.", K_PROV, 0, 1),    KW("กรุงเทพมหานคร", K_BKK, 2, 0),
    KW("กรุงเทพฯ", K_BKK, 2, 0),   KW("กรุงเทพ", K_BKK, 2, 0),   KW("กทม.", K_BKK, 2, 0),   KW("อาคาร", K_BLDG, 0, 0),
    KW("ชั้น", K_UNIT, 1, 0),       KW("ห้อง", K_UNIT, 1, 0),     {NULL, 0, 0, 0, 0}};

/* the keyword at p (the longest; an abbreviation only at a word start) or NULL */
static const thkw_t *kw_at(const char *t, size_t len, size_t p)
{
    const thkw_t *best = NULL;
    if (thai_at(t, len, p) == 0)
        return NULL;
    for (const thkw_t *k = keywords; k->s != NULL; k++)
        if ((best == NULL || k->n > best->n) && p + k->n <= len && t[p + 2] == k->s[2] && memcmp(t + p, k->s, k->n) == 0 &&
            !(k->abbr && thai_before(t, p)))
            best = k;
    return best;
}

/* words a place name does not start with ("เขตไหน" which district, "ถนนที่..." the road that) */
static const thw_t not_place[] = {TW("ที่"),    TW("ใน"),  TW("และ"), TW("ของ"), TW("นี้"),   TW("นั้น"),   TW("ไหน"),
                                  TW("อะไร"), TW("ใด"),  TW("หรือ"), TW("ก็"),   TW("เป็น"), TW("จะ"),   TW("มี"),
                                  TW("ไม่"),   TW("ต่าง"), TW("ทุก"),  TW("ใหม่"), TW("นอก"), TW("เดียว"), {NULL, 0}};
/* what ends a place name glued to it */
static const thw_t place_end[] = {TW("และ"), TW("ครับ"), TW("ค่ะ"), TW("คะ"), TW("โทร"), TW("เบอร์"), TW("รหัสไปรษณีย์"), {NULL, 0}};

/* a number at p: digits, "/" or "-" between digits ("45/6", "12-14"); @return its end or p */
static size_t house_number(const char *t, size_t len, size_t p)
{
    size_t e = p;
    while (e < len && e - p < 12 &&
           (pol__is_digit(U(t[e])) || ((t[e] == '/' || t[e] == '-') && e > p && e + 1 < len && pol__is_digit(U(t[e + 1])))))
        e++;
    if (e == p || (e < len && U(t[e]) < 0x80 && pol__is_alnum(U(t[e]))))
        return p;
    return e;
}

/* a Thai postcode at p: 5 digits, the first 1-9 (10xxx Bangkok .. 96xxx Narathiwat) */
static size_t postcode(const char *t, size_t len, size_t p)
{
    size_t e = p;
    while (e < len && pol__is_digit(U(t[e])))
        e++;
    if (e - p != 5 || t[p] == '0' || (p > 0 && (pol__is_digit(U(t[p - 1])) || t[p - 1] == '-' || t[p - 1] == '/')) ||
        (e < len && (t[e] == '-' || t[e] == '/' || (U(t[e]) < 0x80 && pol__is_alnum(U(t[e]))))))
        return p;
    return e;
}

/* One component at p: its end (or p) and its kind */
static size_t component(const char *t, size_t len, size_t p, int *kind)
{
    const thkw_t *k = kw_at(t, len, p);
    size_t q, e;
    if (k == NULL) {
        if ((e = postcode(t, len, p)) != p) {
            *kind = K_POST;
            return e;
        }
        return p;
    }
    *kind = k->kind;
    q = p + k->n;
    if (k->value == 2)
        return q;
    if (q < len && t[q] == ' ')
        q++;
    if (k->value == 1) {
        e = house_number(t, len, q);
        return e == q ? p : e;
    }
    if (thw_at(t, len, q, not_place) != 0)
        return p;
    /* a name up to a glued keyword, a particle or the end of the Thai run */
    e = q;
    for (size_t n, cps = 0; cps < 30; cps++) {
        /* a hyphen between two names: "ถ.บางนา-ตราด" */
        if (cps > 0 && e + 1 < len && t[e] == '-' && thai_at(t, len, e + 1) != 0)
            e++;
        if ((n = thai_at(t, len, e)) == 0)
            break;
        if (cps > 0 && (kw_at(t, len, e) != NULL || thw_at(t, len, e, place_end) != 0))
            break;
        e += n;
    }
    if (e == q)
        return p;
    /* numbered lanes and roads: "ซอยสุขุมวิท 21", "ถนนพระราม 4" */
    if (k->kind == K_STREET && e + 1 < len && t[e] == ' ' && pol__is_digit(U(t[e + 1]))) {
        size_t d = e + 1;
        while (d < len && d - e <= 3 && pol__is_digit(U(t[d])))
            d++;
        if (d - e <= 3 && postcode(t, len, e + 1) == e + 1 && (d >= len || !(U(t[d]) < 0x80 && pol__is_alnum(U(t[d])))))
            e = d;
    }
    return e;
}

/* A run of address components from p (a keyword starts there). @return 0/-1; *resume where to go on */
static int thai_address(pol__scanctx_t *c, size_t p, size_t *resume)
{
    const char *t = c->text;
    size_t len = c->len, s = p, q = p, last = p;
    int main_n = 0, numbered = 0, kind;
    *resume = p + 3;
    /* a bare house number before the first component: "99/1 ถนน..." */
    if (p >= 2 && t[p - 1] == ' ' && pol__is_digit(U(t[p - 2]))) {
        size_t b = p - 1;
        while (b > 0 && (pol__is_digit(U(t[b - 1])) || t[b - 1] == '/' || t[b - 1] == '-') && p - b < 12)
            b--;
        if (pol__is_digit(U(t[b])) && house_number(t, len, b) == p - 1 && !pol__glue_before(t, b) && !thai_before(t, b))
            s = b, main_n++, numbered++;
    }
    for (;;) {
        size_t e = component(t, len, q, &kind);
        if (e == q)
            break;
        if (kind != K_BLDG && kind != K_UNIT)
            main_n++;
        numbered += kind == K_HOUSE || kind == K_MOO || kind == K_POST;
        last = e;
        /* separators: spaces, a comma, one line break */
        size_t r = e;
        while (r < len && r - e < 4 && (t[r] == ' ' || t[r] == ',' || t[r] == '\n'))
            r++;
        q = r;
    }
    if (last == p)
        return 0;
    *resume = last;
    if (!(main_n >= 3 || (main_n >= 2 && numbered >= 1)))
        return 0;
    if (pol__cands_push(c->cands, POL_PII_LOCATION, s, last, 0.75) != 0)
        return -1;
    c->cands->v[c->cands->n - 1].ctx_done = 1;
    return 0;
}

int pol__thai_scan(pol__scanctx_t *c)
{
    const char *t = c->text;
    size_t len = c->len, name_resume = 0, addr_resume = 0;
    int person = c->enabled[POL_PII_PERSON], location = c->enabled[POL_PII_LOCATION];
    if (!person && !location)
        return 0;
    for (size_t i = 0; (i = pol__next_byte_in(t, len, i, 0xE0, 0xE0)) < len; i++) {
        if (thai_at(t, len, i) == 0)
            continue;
        size_t w;
        if (person && i >= name_resume) {
            if ((w = thw_at(t, len, i, name_labels)) != 0) {
                if (name_after_label(c, i + w, &name_resume) != 0)
                    return -1;
            } else if ((w = thw_at(t, len, i, titles_strong)) != 0) {
                if (name_after_title(c, i + w, 1, &name_resume) != 0)
                    return -1;
            } else if (i + 9 < len && memcmp(t + i, "คุณ", 9) == 0) {
                if (name_after_khun(c, i, i + 9, &name_resume) != 0)
                    return -1;
            } else if (((i + 6 < len && memcmp(t + i, "ผม", 6) == 0) || (i + 15 < len && memcmp(t + i, "ดิฉัน", 15) == 0)) &&
                       !thai_before(t, i)) {
                /* "ผมสมชาย ใจดี": I + given name + surname (required) */
                size_t q = i + (t[i + 2] == '\x9c' ? 6 : 15), e = thai_name(t, len, q, 1);
                if (e != q && thw_at(t, len, q, name_labels) == 0 && push_name(c, q, e, 0.75) != 0)
                    return -1;
                if (e != q)
                    name_resume = e;
            } else if ((w = thw_at(t, len, i, titles_weak)) != 0 &&
                       !(i >= 6 && memcmp(t + i - 6, "ทำ", 6) == 0) /* "ทำนาย" to predict */) {
                if (name_after_title(c, i + w, 0, &name_resume) != 0)
                    return -1;
            }
        }
        if (location && i >= addr_resume && kw_at(t, len, i) != NULL) {
            if (thai_address(c, i, &addr_resume) != 0)
                return -1;
        }
        i += 2;
    }
    return 0;
}
