/*
 * File payloads inside JSON strings (see payload.h). The decoder accepts exactly one alphabet per string
 * (standard or URL-safe), padding only at the end, and MIME line breaks; anything else is not base64. The
 * sniffer looks at magic numbers first (so an all-ASCII PDF is still a PDF, not text), then at whether the
 * bytes are text. Only the first bytes and one UTF-8 pass are needed: no format is parsed here.
 */
#include "policy/payload.h"
#include "common/utf8.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

static const char b64_std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64_url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Byte -> base64 value 0..63; 0x41 ('+' '/', standard alphabet) or 0x42 ('-' '_', URL-safe) with the value in
 * b64_alt; 0xFF = not base64. Generated from the RFC 4648 alphabets. */
static const unsigned char b64_tab[256] = {
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0x41, 0xFF, 0x42, 0xFF, 0x41, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A, 0x3B, 0x3C, 0x3D, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E,
    0x0F, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0xFF, 0xFF, 0xFF, 0xFF, 0x42, 0xFF, 0x1A, 0x1B, 0x1C,
    0x1D, 0x1E, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x2D, 0x2E, 0x2F, 0x30,
    0x31, 0x32, 0x33, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
};
static const unsigned char b64_alt[256] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x3E, 0x00, 0x3E, 0x00, 0x3F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3F, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static inline int b64_val(unsigned char c, int *alpha)
{
    unsigned v = b64_tab[c];
    if (v < 64)
        return (int)v;
    if (v == 0xFF)
        return -1;
    *alpha |= (int)(v & 3);
    return b64_alt[c];
}

/* The first bytes (at most `cap`) of base64 text, for sniffing; no validation (the full decode does it). */
static size_t b64_head(const char *s, size_t len, unsigned char *out, size_t cap)
{
    unsigned acc = 0, nbits = 0;
    size_t o = 0;
    int alpha = 0;
    for (size_t i = 0; i < len && o < cap; i++) {
        int v = b64_val((unsigned char)s[i], &alpha);
        if (v < 0) {
            if (s[i] == '\r' || s[i] == '\n')
                continue;
            break;
        }
        acc = (acc << 6) | (unsigned)v;
        nbits += 6;
        if (nbits >= 8) {
            nbits -= 8;
            out[o++] = (unsigned char)((acc >> nbits) & 0xFF);
        }
    }
    return o;
}

/* Sniffs by the first bytes only: 1 when they name an image or a known binary format (no full decode needed). */
static void sniff(const unsigned char *b, size_t n, pol_payload_t *p);
static int sniff_head(const char *s, size_t len, pol_payload_t *p)
{
    unsigned char head[24];
    size_t n = b64_head(s, len, head, sizeof(head));
    pol_payload_t q;
    memset(&q, 0, sizeof(q));
    sniff(head, n, &q);
    /* a text verdict on 24 bytes is not final (the rest decides); an image or magic-number format is */
    if (q.kind == POL_PAYLOAD_IMAGE || (q.kind == POL_PAYLOAD_BLOB && strcmp(q.mime, "application/octet-stream") != 0)) {
        p->kind = q.kind;
        memcpy(p->mime, q.mime, sizeof(p->mime));
        return 1;
    }
    return 0;
}

/* Decodes base64 / base64url (line breaks allowed when `breaks`). @return 1 decoded, 0 not base64, -1 no memory. */
static int b64_decode(const char *s, size_t len, int breaks, gw_buf_t *out, int *url, int *padded)
{
    int alpha = 0;
    unsigned acc = 0, nbits = 0;
    size_t sig = 0, pad = 0;
    if (gw_buf_reserve(out, len / 4 * 3 + 3) != 0)
        return -1;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\r' || c == '\n') {
            if (!breaks)
                return 0;
            continue;
        }
        if (c == '=') {
            pad++;
            continue;
        }
        if (pad != 0)
            return 0; /* data after padding */
        int v = b64_val(c, &alpha);
        if (v < 0 || alpha == 3)
            return 0;
        sig++;
        acc = (acc << 6) | (unsigned)v;
        nbits += 6;
        if (nbits >= 8) {
            nbits -= 8;
            out->base[out->len++] = (char)((acc >> nbits) & 0xFF);
        }
    }
    if (sig % 4 == 1 || pad > 2 || (pad != 0 && (sig + pad) % 4 != 0))
        return 0;
    out->base[out->len] = '\0';
    *url = alpha == 2;
    *padded = pad != 0 || sig % 4 == 0;
    return 1;
}

int pol_payload_is_text(const unsigned char *b, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned c = b[i];
        if (c < 0x80) {
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f')
                return 0;
            if (c == 0x7F)
                return 0;
            i++;
            continue;
        }
        size_t k = gw_utf8_seq(b + i, len - i);
        if (k == 0)
            return 0;
        i += k;
    }
    return 1;
}

int pol_payload_is_base64_token(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '-' ||
              c == '_' || c == '='))
            return 0;
    }
    return 1;
}

static void set_mime(pol_payload_t *p, const char *m)
{
    size_t n = strlen(m);
    memcpy(p->mime, m, n + 1 <= sizeof(p->mime) ? n + 1 : sizeof(p->mime));
    p->mime[sizeof(p->mime) - 1] = '\0';
}

void pol_payload_sniff(const unsigned char *b, size_t n, pol_payload_t *p)
{
    memset(p, 0, sizeof(*p));
    sniff(b, n, p);
}

/* Sniffs decoded bytes into p->kind / p->mime. */
static void sniff(const unsigned char *b, size_t n, pol_payload_t *p)
{
    static const struct {
        size_t off;
        const char *magic;
        size_t len;
        const char *mime;
        int image;
    } tab[] = {
        {0, "\xFF\xD8\xFF", 3, "image/jpeg", 1},
        {0, "\x89PNG\r\n\x1A\n", 8, "image/png", 1},
        {8, "WEBP", 4, "image/webp", 1}, /* after "RIFF" + size, checked below */
        {0, "GIF87a", 6, "image/gif", 0},
        {0, "GIF89a", 6, "image/gif", 0},
        {0, "%PDF-", 5, "application/pdf", 0},
        {8, "WAVE", 4, "audio/wav", 0},
        {0, "ID3", 3, "audio/mpeg", 0},
        {0, "OggS", 4, "audio/ogg", 0},
        {0, "fLaC", 4, "audio/flac", 0},
        {4, "ftypheic", 8, "image/heic", 0},
        {4, "ftypavif", 8, "image/avif", 0},
        {4, "ftyp", 4, "video/mp4", 0},
        {0, "PK\x03\x04", 4, "application/zip", 0},
        {0, "\x1F\x8B", 2, "application/gzip", 0},
        {0, "II*\x00", 4, "image/tiff", 0},
        {0, "MM\x00*", 4, "image/tiff", 0},
    };
    for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
        if (n < tab[i].off + tab[i].len || memcmp(b + tab[i].off, tab[i].magic, tab[i].len) != 0)
            continue;
        if (tab[i].off == 8 && memcmp(b, "RIFF", 4) != 0)
            continue;
        p->kind = tab[i].image ? POL_PAYLOAD_IMAGE : POL_PAYLOAD_BLOB;
        set_mime(p, tab[i].mime);
        return;
    }
    if (n >= 2 && b[0] == 0xFF && (b[1] & 0xE0) == 0xE0) { /* MPEG audio frame sync */
        p->kind = POL_PAYLOAD_BLOB;
        set_mime(p, "audio/mpeg");
        return;
    }
    if (pol_payload_is_text(b, n)) {
        p->kind = POL_PAYLOAD_TEXT;
        set_mime(p, "text/plain");
        return;
    }
    p->kind = POL_PAYLOAD_BLOB;
    set_mime(p, "application/octet-stream");
}

static int hexv(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int classify_data_uri(const char *s, size_t len, pol_payload_t *p, gw_buf_t *decoded)
{
    p->data_uri = 1;
    const char *comma = memchr(s, ',', len);
    if (comma == NULL) {
        p->kind = POL_PAYLOAD_BLOB;
        set_mime(p, "application/octet-stream");
        p->undecodable = 1;
        return 0;
    }
    const char *hdr = s + 5, *data = comma + 1;
    size_t hlen = (size_t)(comma - hdr), dlen = len - (size_t)(data - s);
    int b64 = hlen >= 7 && strncasecmp(comma - 7, ";base64", 7) == 0;
    /* declared media type: up to the first ';', lower-cased */
    size_t mlen = 0;
    while (mlen < hlen && hdr[mlen] != ';')
        mlen++;
    if (mlen < sizeof(p->declared)) {
        for (size_t i = 0; i < mlen; i++) {
            char c = hdr[i];
            p->declared[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
        }
        p->declared[mlen] = '\0';
    }
    if (b64) {
        /* the whole payload must be base64 before its first bytes are believed: text after a PDF header is not PDF */
        int pad = 0;
        for (size_t i = 0; i < dlen; i++) {
            unsigned char ch = (unsigned char)data[i];
            pad |= ch == '=';
            if ((b64_tab[ch] == 0xFF && ch != '=' && ch != '\r' && ch != '\n') || (pad && b64_tab[ch] != 0xFF)) {
                p->kind = POL_PAYLOAD_BLOB;
                set_mime(p, "application/octet-stream");
                p->undecodable = 1;
                return 0;
            }
        }
        if (sniff_head(data, dlen, p))
            return 0; /* images: the stripper decodes them; known formats need no more */
        int url, padded, rc = b64_decode(data, dlen, 1, decoded, &url, &padded);
        if (rc < 0)
            return -1;
        if (rc == 0) {
            p->kind = POL_PAYLOAD_BLOB; /* says base64, is not: never forwarded as "probably fine" */
            set_mime(p, "application/octet-stream");
            p->undecodable = 1;
            return 0;
        }
    } else {
        /* RFC 2397 without ;base64: URL-encoded octets */
        if (gw_buf_reserve(decoded, dlen) != 0)
            return -1;
        for (size_t i = 0; i < dlen; i++) {
            int h1, h2;
            if (data[i] == '%' && i + 2 < dlen + 0 && (h1 = hexv((unsigned char)data[i + 1])) >= 0 &&
                (h2 = hexv((unsigned char)data[i + 2])) >= 0) {
                decoded->base[decoded->len++] = (char)(h1 * 16 + h2);
                i += 2;
            } else {
                decoded->base[decoded->len++] = data[i];
            }
        }
        decoded->base[decoded->len] = '\0';
    }
    sniff((const unsigned char *)decoded->base, decoded->len, p);
    return 0;
}

int pol_payload_classify(const char *s, size_t len, pol_payload_t *p, gw_buf_t *decoded)
{
    memset(p, 0, sizeof(*p));
    gw_buf_reset(decoded);
    if (len >= 5 && strncasecmp(s, "data:", 5) == 0)
        return classify_data_uri(s, len, p, decoded);
    if (len < 8)
        return 0;
    /* cheap rejection: a space, '.', '@', ':' ... is never in base64 */
    int hex = 1, pad_seen = 0;
    size_t breaks = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n' || c == '\r') {
            /* MIME wraps at 76 characters (RFC 2045 section 6.8); a CRLF counts once */
            if ((c == '\n' || i + 1 == len || s[i + 1] != '\n') && ++breaks > len / 60 + 1)
                return 0;
            hex = 0;
            continue;
        }
        int alpha = 0;
        if (c != '=' && b64_val(c, &alpha) < 0)
            return 0;
        if (c == '=')
            pad_seen = 1;
        else if (pad_seen)
            return 0; /* data after padding: not one base64 payload */
        if (hexv(c) < 0)
            hex = 0;
    }
    if (hex)
        return 0; /* digests and ids: text */
    if (len >= POL_PAYLOAD_MIN_BLOB && sniff_head(s, len, p)) {
        for (size_t i = 0; i < len; i++) /* the alphabet, for pol_payload_encode() */
            if (s[i] == '-' || s[i] == '_')
                p->url_alphabet = 1;
        p->padded = len > 0 && s[len - 1] == '=';
        return 0;
    }
    int url, padded, rc = b64_decode(s, len, len >= POL_PAYLOAD_MIN_BLOB, decoded, &url, &padded);
    if (rc <= 0) {
        gw_buf_reset(decoded);
        return rc;
    }
    p->url_alphabet = url;
    p->padded = padded;
    sniff((const unsigned char *)decoded->base, decoded->len, p);
    if (len < POL_PAYLOAD_MIN_BLOB && p->kind != POL_PAYLOAD_TEXT) {
        p->kind = POL_PAYLOAD_NONE; /* a short word that happens to be base64 */
        gw_buf_reset(decoded);
    }
    return 0;
}

int pol_payload_classify_file(const char *s, size_t len, pol_payload_t *p, gw_buf_t *decoded)
{
    memset(p, 0, sizeof(*p));
    gw_buf_reset(decoded);
    if (len >= 5 && strncasecmp(s, "data:", 5) == 0)
        return classify_data_uri(s, len, p, decoded);
    /* the alphabet first (one of the two, padding only at the end, line breaks anywhere): the first bytes of a value
       that is not base64 are not believed */
    int alpha = 0, pad = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\r' || c == '\n')
            continue;
        if (c == '=') {
            pad = 1;
            continue;
        }
        if (pad || b64_val(c, &alpha) < 0 || alpha == 3)
            goto undecodable;
    }
    p->url_alphabet = alpha == 2;
    p->padded = len > 0 && s[len - 1] == '=';
    if (sniff_head(s, len, p))
        return 0; /* an image (the stripper decodes it) or a format told by its magic number */
    int url, padded, rc = b64_decode(s, len, 1, decoded, &url, &padded);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        gw_buf_reset(decoded);
        goto undecodable;
    }
    p->url_alphabet = url;
    p->padded = padded;
    sniff((const unsigned char *)decoded->base, decoded->len, p);
    return 0;
undecodable:
    p->kind = POL_PAYLOAD_BLOB;
    set_mime(p, "application/octet-stream");
    p->undecodable = 1;
    return 0;
}

int pol_payload_encode(const pol_payload_t *p, const char *text, size_t len, gw_buf_t *out)
{
    const unsigned char *b = (const unsigned char *)text;
    const char *alpha = p->url_alphabet && !p->data_uri ? b64_url : b64_std;
    int pad = p->data_uri || p->padded;
    if (p->data_uri) {
        const char *m = p->declared[0] != '\0' ? p->declared : "text/plain";
        if (gw_buf_append(out, "data:", 5) != 0 || gw_buf_append(out, m, strlen(m)) != 0 || gw_buf_append(out, ";base64,", 8) != 0)
            return -1;
    }
    if (gw_buf_reserve(out, (len + 2) / 3 * 4 + 1) != 0)
        return -1;
    char *d = out->base + out->len;
    size_t o = 0, i = 0;
    for (; i + 3 <= len; i += 3) {
        uint32_t v = ((uint32_t)b[i] << 16) | ((uint32_t)b[i + 1] << 8) | b[i + 2];
        d[o++] = alpha[v >> 18];
        d[o++] = alpha[(v >> 12) & 63];
        d[o++] = alpha[(v >> 6) & 63];
        d[o++] = alpha[v & 63];
    }
    if (i < len) {
        uint32_t v = (uint32_t)b[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t)b[i + 1] << 8;
        d[o++] = alpha[v >> 18];
        d[o++] = alpha[(v >> 12) & 63];
        if (i + 1 < len)
            d[o++] = alpha[(v >> 6) & 63];
        else if (pad)
            d[o++] = '=';
        if (pad)
            d[o++] = '=';
    }
    out->len += o;
    out->base[out->len] = '\0';
    return 0;
}
