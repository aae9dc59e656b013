/*
 * Image metadata stripping (see imagemeta.h, docs/internals/imagemeta.md).
 *
 * Each format is a flat sequence of length-prefixed containers (JPEG marker segments, PNG chunks,
 * RIFF chunks), so stripping is a walk that copies kept containers byte for byte and skips the
 * others; pixels are never decoded. The walk runs twice: a dry run (out == NULL) that only counts
 * what would be removed, so an image without metadata costs no copy, then the copying run. The
 * policy is an allow-list wherever the format allows one (PNG ancillary chunks, WebP chunks): an
 * unknown container may hold anything, so it goes; what decoders need to reproduce the same
 * pixels and colours stays (ICC profiles, Adobe APP14 colour transform, PNG tRNS/gAMA/...).
 * Hand-rolled because no Debian library strips without re-encoding (libexif only parses EXIF,
 * exiftool is Perl); the container grammars are small and the walk is fuzzed.
 *
 * Base64 goes through libsodium (sodium_base642bin / sodium_bin2base64, ORIGINAL variant).
 */
#include "policy/imagemeta.h"

#include <string.h>
#include <strings.h>
#include <sodium.h>

typedef struct st_walk_t {
    const unsigned char *in;
    size_t len;
    gw_buf_t *out; /* NULL on the dry run */
    pol_imagemeta_report_t rep;
    int changed;
    int oom;
} walk_t;

static void emit(walk_t *w, size_t from, size_t to)
{
    if (w->out != NULL && to > from && gw_buf_append(w->out, w->in + from, to - from) != 0)
        w->oom = 1;
}

static void drop(walk_t *w, size_t from, size_t to, unsigned bit)
{
    if (to <= from)
        return;
    w->rep.removed |= bit;
    w->rep.bytes += to - from;
    if (bit != POL_IMAGEMETA_R_TRAILER)
        w->rep.segments++;
    w->changed = 1;
}

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

static unsigned long le32(const unsigned char *p)
{
    return (unsigned long)p[3] << 24 | (unsigned long)p[2] << 16 | (unsigned long)p[1] << 8 | p[0];
}

static int has_prefix(const unsigned char *p, size_t n, const char *s, size_t sl)
{
    return n >= sl && memcmp(p, s, sl) == 0;
}

int pol_imagemeta_format(const unsigned char *in, size_t len)
{
    if (len >= 3 && in[0] == 0xFF && in[1] == 0xD8 && in[2] == 0xFF)
        return POL_IMAGEMETA_JPEG;
    if (len >= 8 && memcmp(in, "\x89PNG\r\n\x1a\n", 8) == 0)
        return POL_IMAGEMETA_PNG;
    if (len >= 12 && memcmp(in, "RIFF", 4) == 0 && memcmp(in + 8, "WEBP", 4) == 0)
        return POL_IMAGEMETA_WEBP;
    return POL_IMAGEMETA_UNKNOWN;
}

/* ---- JPEG (ITU-T T.81 annex B) ------------------------------------------------------------ */

/* What to do with marker segment `m` whose payload (after the length) is p[0..n). 0 = keep, else the R_ bit. */
static unsigned jpeg_drop(unsigned m, const unsigned char *p, size_t n)
{
    if (m == 0xFE)
        return POL_IMAGEMETA_R_COMMENT;
    if (m < 0xE0 || m > 0xEF || m == 0xE0) /* not APPn, or APP0 (JFIF/JFXX: colour space, density) */
        return 0;
    if (m == 0xE1) {
        if (has_prefix(p, n, "Exif\0", 5))
            return POL_IMAGEMETA_R_EXIF;
        if (has_prefix(p, n, "http://ns.adobe.com/", 20))
            return POL_IMAGEMETA_R_XMP;
        return POL_IMAGEMETA_R_OTHER;
    }
    if (m == 0xE2 && has_prefix(p, n, "ICC_PROFILE\0", 12))
        return 0; /* colour profile: needed to show the same colours */
    if (m == 0xED)
        return POL_IMAGEMETA_R_IPTC;
    if (m == 0xEE && has_prefix(p, n, "Adobe", 5))
        return 0; /* colour transform flag: needed to decode CMYK/YCCK correctly */
    return POL_IMAGEMETA_R_OTHER;
}

static int walk_jpeg(walk_t *w)
{
    const unsigned char *in = w->in;
    size_t len = w->len, pos = 2;
    emit(w, 0, 2); /* SOI */
    for (;;) {
        size_t seg = pos;
        if (pos >= len || in[pos] != 0xFF)
            return POL_IMAGEMETA_E_CORRUPT; /* a marker must follow; EOF before EOI/scan */
        while (pos < len && in[pos] == 0xFF)
            pos++; /* fill bytes (B.1.1.2) */
        if (pos >= len)
            return POL_IMAGEMETA_E_CORRUPT;
        unsigned m = in[pos++];
        if (m == 0xD9) { /* EOI */
            emit(w, seg, pos);
            drop(w, pos, len, POL_IMAGEMETA_R_TRAILER);
            return 0;
        }
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) { /* TEM, RSTn: no length */
            emit(w, seg, pos);
            continue;
        }
        if (m == 0x00 || m == 0xD8)
            return POL_IMAGEMETA_E_CORRUPT;
        if (len - pos < 2)
            return POL_IMAGEMETA_E_CORRUPT;
        size_t l = be16(in + pos);
        if (l < 2 || l > len - pos)
            return POL_IMAGEMETA_E_CORRUPT;
        size_t end = pos + l;
        unsigned bit = jpeg_drop(m, in + pos + 2, l - 2);
        if (bit != 0) {
            drop(w, seg, end, bit);
            pos = end;
            continue;
        }
        emit(w, seg, end);
        pos = end;
        if (m != 0xDA)
            continue;
        /* SOS: entropy-coded data up to the next marker other than RSTn; 0xFF00 is a stuffed 0xFF (F.1.2.3) */
        size_t p = pos;
        for (;;) {
            const unsigned char *ff = memchr(in + p, 0xFF, len - p);
            if (ff == NULL || (size_t)(ff - in) + 1 >= len) {
                /* truncated scan without EOI: decoders show what is there; keep it, nothing after it to strip */
                emit(w, pos, len);
                return 0;
            }
            p = (size_t)(ff - in);
            unsigned n = in[p + 1];
            if (n == 0x00 || (n >= 0xD0 && n <= 0xD7))
                p += 2;
            else if (n == 0xFF)
                p += 1;
            else
                break;
        }
        emit(w, pos, p);
        pos = p;
    }
}

/* ---- PNG (ISO/IEC 15948:2003 section 5, PNG 3rd edition) ---------------------------------- */

/* Ancillary chunks kept: they change how pixels or colours are decoded, or carry APNG frames. */
static const char png_keep[][5] = {"tRNS", "cHRM", "gAMA", "iCCP", "sBIT", "sRGB", "cICP", "mDCv",
                                   "cLLi", "bKGD", "hIST", "pHYs", "sPLT", "acTL", "fcTL", "fdAT"};

static unsigned png_drop(const unsigned char *type, const unsigned char *data, size_t n)
{
    if ((type[0] & 0x20) == 0)
        return 0; /* critical (IHDR, PLTE, IDAT, IEND, or unknown critical: a decoder must see it) */
    for (size_t i = 0; i < sizeof(png_keep) / sizeof(png_keep[0]); i++)
        if (memcmp(type, png_keep[i], 4) == 0)
            return 0;
    if (memcmp(type, "eXIf", 4) == 0)
        return POL_IMAGEMETA_R_EXIF;
    if (memcmp(type, "iTXt", 4) == 0 && has_prefix(data, n, "XML:com.adobe.xmp\0", 18))
        return POL_IMAGEMETA_R_XMP;
    if (memcmp(type, "tEXt", 4) == 0 || memcmp(type, "zTXt", 4) == 0 || memcmp(type, "iTXt", 4) == 0)
        return POL_IMAGEMETA_R_TEXT;
    if (memcmp(type, "tIME", 4) == 0)
        return POL_IMAGEMETA_R_TIME;
    return POL_IMAGEMETA_R_OTHER;
}

static int png_type_ok(const unsigned char *t)
{
    for (int i = 0; i < 4; i++)
        if (!((t[i] >= 'A' && t[i] <= 'Z') || (t[i] >= 'a' && t[i] <= 'z')))
            return 0;
    return 1;
}

static int walk_png(walk_t *w)
{
    const unsigned char *in = w->in;
    size_t len = w->len, pos = 8;
    emit(w, 0, 8);
    for (int first = 1;; first = 0) {
        if (len - pos < 12)
            return POL_IMAGEMETA_E_CORRUPT; /* truncated, or no IEND */
        unsigned long l = be32(in + pos);
        const unsigned char *type = in + pos + 4;
        if (l > 0x7FFFFFFFul || l > len - pos - 12 || !png_type_ok(type))
            return POL_IMAGEMETA_E_CORRUPT;
        if (first && memcmp(type, "IHDR", 4) != 0)
            return POL_IMAGEMETA_E_CORRUPT;
        size_t end = pos + 12 + (size_t)l;
        unsigned bit = png_drop(type, in + pos + 8, (size_t)l);
        if (bit != 0)
            drop(w, pos, end, bit);
        else
            emit(w, pos, end);
        pos = end;
        if (memcmp(type, "IEND", 4) == 0) {
            drop(w, pos, len, POL_IMAGEMETA_R_TRAILER);
            return 0;
        }
    }
}

/* ---- WebP (RFC 9649) ----------------------------------------------------------------------- */

static const char webp_keep[][5] = {"VP8X", "VP8 ", "VP8L", "ALPH", "ANIM", "ANMF", "ICCP"};

static int walk_webp(walk_t *w)
{
    const unsigned char *in = w->in;
    size_t len = w->len;
    unsigned long riff = le32(in + 4);
    if (riff < 4 || riff > len - 8)
        return POL_IMAGEMETA_E_CORRUPT;
    size_t end = 8 + (size_t)riff, pos = 12, out_start = w->out != NULL ? w->out->len : 0;
    emit(w, 0, 12); /* RIFF, size (patched below), WEBP */
    int any = 0;
    while (pos < end) {
        if (end - pos < 8)
            return POL_IMAGEMETA_E_CORRUPT;
        unsigned long l = le32(in + pos + 4);
        size_t padded = (size_t)l + (l & 1);
        if (l > end - pos - 8 || padded > end - pos - 8)
            return POL_IMAGEMETA_E_CORRUPT;
        const unsigned char *fourcc = in + pos;
        size_t next = pos + 8 + padded;
        int keep = 0;
        for (size_t i = 0; i < sizeof(webp_keep) / sizeof(webp_keep[0]); i++)
            if (memcmp(fourcc, webp_keep[i], 4) == 0)
                keep = 1;
        if (!any && !(memcmp(fourcc, "VP8X", 4) == 0 || memcmp(fourcc, "VP8 ", 4) == 0 || memcmp(fourcc, "VP8L", 4) == 0))
            return POL_IMAGEMETA_E_CORRUPT; /* the first chunk names the format */
        any = 1;
        if (!keep) {
            drop(w, pos, next,
                 memcmp(fourcc, "EXIF", 4) == 0   ? POL_IMAGEMETA_R_EXIF
                 : memcmp(fourcc, "XMP ", 4) == 0 ? POL_IMAGEMETA_R_XMP
                                                  : POL_IMAGEMETA_R_OTHER);
        } else if (memcmp(fourcc, "VP8X", 4) == 0) {
            if (l < 10)
                return POL_IMAGEMETA_E_CORRUPT;
            unsigned char flags = in[pos + 8];
            size_t at = w->out != NULL ? w->out->len + 8 : 0;
            emit(w, pos, next);
            if ((flags & 0x0C) != 0) { /* E (EXIF) = 0x08, X (XMP) = 0x04 */
                w->rep.removed |= POL_IMAGEMETA_R_FLAGS;
                w->changed = 1;
                if (w->out != NULL && !w->oom)
                    w->out->base[at] = (char)(flags & ~0x0C);
            }
        } else {
            emit(w, pos, next);
        }
        pos = next;
    }
    if (!any)
        return POL_IMAGEMETA_E_CORRUPT;
    drop(w, end, len, POL_IMAGEMETA_R_TRAILER);
    if (w->out != NULL && !w->oom) {
        size_t size = w->out->len - out_start - 8;
        unsigned char *p = (unsigned char *)w->out->base + out_start + 4;
        p[0] = (unsigned char)size, p[1] = (unsigned char)(size >> 8), p[2] = (unsigned char)(size >> 16),
        p[3] = (unsigned char)(size >> 24);
    }
    return 0;
}

static int walk(walk_t *w)
{
    switch (w->rep.format) {
    case POL_IMAGEMETA_JPEG:
        return walk_jpeg(w);
    case POL_IMAGEMETA_PNG:
        return walk_png(w);
    case POL_IMAGEMETA_WEBP:
        return walk_webp(w);
    default:
        return POL_IMAGEMETA_E_UNSUPPORTED;
    }
}

int pol_imagemeta_strip(const unsigned char *in, size_t len, gw_buf_t *out, pol_imagemeta_report_t *rep)
{
    walk_t w;
    memset(&w, 0, sizeof(w));
    w.in = in;
    w.len = len;
    w.rep.format = pol_imagemeta_format(in, len);
    int rc = walk(&w); /* dry run */
    if (rc == 0 && w.changed) {
        pol_imagemeta_report_t counted = w.rep;
        out->len = 0;
        memset(&w.rep, 0, sizeof(w.rep));
        w.rep.format = counted.format;
        w.out = out;
        w.changed = 0;
        if (gw_buf_reserve(out, len) != 0)
            w.oom = 1;
        else
            rc = walk(&w);
        rc = w.oom ? POL_IMAGEMETA_E_NOMEM : rc == 0 ? 1 : rc;
    }
    if (rep != NULL)
        *rep = w.rep;
    return rc;
}

/* ---- base64 and data: URIs -------------------------------------------------------------------- */

void pol_imagemeta_scratch_free(pol_imagemeta_scratch_t *s)
{
    gw_buf_free(&s->bin);
    gw_buf_free(&s->img);
}

/* 1 = a type we strip, 2 = another image type (cannot strip), 0 = not an image */
static int mime_kind(const char *m, size_t n)
{
    static const char *const ours[] = {"image/jpeg", "image/jpg", "image/pjpeg", "image/png", "image/apng", "image/webp"};
    for (size_t i = 0; i < sizeof(ours) / sizeof(ours[0]); i++)
        if (n == strlen(ours[i]) && strncasecmp(m, ours[i], n) == 0)
            return 1;
    if (n >= 6 && strncasecmp(m, "image/", 6) == 0)
        return 2;
    return 0;
}

static int b64_decode(const char *b64, size_t len, gw_buf_t *bin)
{
    static const int variants[] = {sodium_base64_VARIANT_ORIGINAL, sodium_base64_VARIANT_ORIGINAL_NO_PADDING,
                                   sodium_base64_VARIANT_URLSAFE, sodium_base64_VARIANT_URLSAFE_NO_PADDING};
    size_t cap = len / 4 * 3 + 3;
    bin->len = 0;
    if (gw_buf_reserve(bin, cap) != 0)
        return POL_IMAGEMETA_E_NOMEM;
    for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
        size_t n = 0;
        const char *endp = NULL;
        if (sodium_base642bin((unsigned char *)bin->base, cap, b64, len, " \t\r\n", &n, &endp, variants[i]) == 0 &&
            endp == b64 + len) {
            bin->len = n;
            return 0;
        }
    }
    return POL_IMAGEMETA_E_BASE64;
}

static int b64_encode(const gw_buf_t *bin, gw_buf_t *out)
{
    size_t n = sodium_base64_ENCODED_LEN(bin->len, sodium_base64_VARIANT_ORIGINAL);
    if (gw_buf_reserve(out, n) != 0)
        return POL_IMAGEMETA_E_NOMEM;
    sodium_bin2base64(out->base + out->len, n, (const unsigned char *)bin->base, bin->len, sodium_base64_VARIANT_ORIGINAL);
    out->len += n - 1; /* n counts the NUL */
    return 0;
}

/* Decodes, strips; on 1 s->img holds the stripped image. force: the caller changes something else anyway, so an
   unchanged image is still copied into s->img. */
static int strip_b64(const char *b64, size_t len, pol_imagemeta_scratch_t *s, int force, pol_imagemeta_report_t *rep)
{
    int rc = b64_decode(b64, len, &s->bin);
    if (rc != 0)
        return rc;
    rc = pol_imagemeta_strip((const unsigned char *)s->bin.base, s->bin.len, &s->img, rep);
    if (rc == 0 && force) {
        s->img.len = 0;
        if (gw_buf_append(&s->img, s->bin.base, s->bin.len) != 0)
            return POL_IMAGEMETA_E_NOMEM;
        return 1;
    }
    return rc;
}

int pol_imagemeta_strip_base64(const char *mime, size_t mime_len, const char *b64, size_t len, gw_buf_t *out_b64,
                               pol_imagemeta_scratch_t *scratch, pol_imagemeta_report_t *rep)
{
    pol_imagemeta_report_t r;
    memset(&r, 0, sizeof(r));
    int kind = mime_kind(mime, mime_len), rc;
    if (kind == 0)
        rc = 0;
    else if (kind == 2)
        rc = POL_IMAGEMETA_E_UNSUPPORTED;
    else {
        pol_imagemeta_scratch_t local = POL_IMAGEMETA_SCRATCH_INIT, *s = scratch != NULL ? scratch : &local;
        rc = strip_b64(b64, len, s, 0, &r);
        if (rc == 1) {
            out_b64->len = 0;
            if (b64_encode(&s->img, out_b64) != 0)
                rc = POL_IMAGEMETA_E_NOMEM;
        }
        if (s == &local)
            pol_imagemeta_scratch_free(&local);
    }
    if (rep != NULL)
        *rep = r;
    return rc;
}

int pol_imagemeta_strip_data_uri(const char *uri, size_t len, gw_buf_t *out_uri, pol_imagemeta_scratch_t *scratch,
                                 pol_imagemeta_report_t *rep)
{
    pol_imagemeta_report_t r;
    memset(&r, 0, sizeof(r));
    int rc = 0;
    const char *comma;
    if (len < 5 || strncasecmp(uri, "data:", 5) != 0 || (comma = memchr(uri, ',', len)) == NULL) {
        rc = POL_IMAGEMETA_E_DATA_URI;
        goto out;
    }
    /* data:[<mediatype>][;param=value]*[;base64],<data> (RFC 2397 section 3) */
    const char *mt = uri + 5, *hdr_end = comma;
    const char *semi = memchr(mt, ';', (size_t)(hdr_end - mt));
    size_t mt_len = (size_t)((semi != NULL ? semi : hdr_end) - mt);
    int kind = mime_kind(mt, mt_len);
    if (kind == 0)
        goto out; /* not an image: not ours */
    if (kind == 2) {
        rc = POL_IMAGEMETA_E_UNSUPPORTED;
        goto out;
    }
    int base64 = 0, params = 0;
    for (const char *p = semi; p != NULL && p < hdr_end;) {
        const char *q = memchr(p + 1, ';', (size_t)(hdr_end - p - 1));
        const char *e = q != NULL ? q : hdr_end;
        if ((size_t)(e - p - 1) == 6 && strncasecmp(p + 1, "base64", 6) == 0 && q == NULL)
            base64 = 1;
        else
            params = 1;
        p = q;
    }
    if (!base64) {
        rc = POL_IMAGEMETA_E_DATA_URI; /* percent-encoded binary images are not accepted */
        goto out;
    }
    pol_imagemeta_scratch_t local = POL_IMAGEMETA_SCRATCH_INIT, *s = scratch != NULL ? scratch : &local;
    rc = strip_b64(comma + 1, len - (size_t)(comma + 1 - uri), s, params, &r);
    if (rc == 1) {
        if (params)
            r.removed |= POL_IMAGEMETA_R_URI_PARAMS;
        out_uri->len = 0;
        if (gw_buf_append(out_uri, "data:", 5) != 0 || gw_buf_append(out_uri, mt, mt_len) != 0 ||
            gw_buf_append(out_uri, ";base64,", 8) != 0 || b64_encode(&s->img, out_uri) != 0)
            rc = POL_IMAGEMETA_E_NOMEM;
    }
    if (s == &local)
        pol_imagemeta_scratch_free(&local);
out:
    if (rep != NULL)
        *rep = r;
    return rc;
}
