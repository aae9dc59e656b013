/*
 * gw_multipart: parser and rewriter for multipart/form-data request bodies (RFC 7578, framing from
 * RFC 2046 section 5.1.1), e.g. OpenAI /v1/images/edits (file parts `image`, `image[]`, `mask`; text
 * parts `prompt`, `model`, `size`, `user`, ...). The gateway scrubs text parts for PII, strips image
 * metadata from file parts and replaces file names (which often carry a person's name) with neutral
 * ones, then forwards the body with the same boundary, so the Content-Type header stays valid.
 * Pure, whole-body (the caller has read and capped the body); parts are spans into the body, nothing
 * is copied until a rewrite changes something. Fuzzed by tests/fuzz/fuzz_multipart.c.
 */
#ifndef AIGW_COMMON_MULTIPART_H
#define AIGW_COMMON_MULTIPART_H

#include <stddef.h>

#include "common/buf.h"
#include "common/errors.h"

/* Errors (negative); the gateway answers 400 (E_SYNTAX, E_BOUNDARY) or 413 (E_LIMIT). */
#define GW_MULTIPART_E_SYNTAX                                                                                                      \
    GW_E_MULTIPART_SYNTAX /* malformed body: no delimiter, bad header line, missing final boundary, no name */
#define GW_MULTIPART_E_LIMIT                                                                                                       \
    GW_E_MULTIPART_LIMIT /* more than GW_MULTIPART_MAX_PARTS parts, or a header block over GW_MULTIPART_MAX_HEADER_BYTES           \
                          */
/* Content-Type is not multipart/form-data with a valid boundary, or rewritten data would contain the boundary */
#define GW_MULTIPART_E_BOUNDARY GW_E_MULTIPART_BOUNDARY
#define GW_MULTIPART_E_NOMEM GW_E_INTERNAL /* allocation failure: the common code (common/errors.h) */

/** Caps (sizes from clients are capped up front, STYLE.md rule 10). */
#define GW_MULTIPART_MAX_PARTS 64
#define GW_MULTIPART_MAX_HEADER_BYTES 8192
/** Longest boundary allowed by RFC 2046 section 5.1.1 (1 to 70 characters). */
#define GW_MULTIPART_MAX_BOUNDARY 70

/** One part: every pointer is into the parsed body (borrowed, valid as long as the body). Lengths in bytes. */
typedef struct st_gw_multipart_part_t {
    const char *headers; /**< raw header block (header lines with their CRLFs, without the blank line) */
    size_t headers_len;
    const char *disposition; /**< value of Content-Disposition (after "Content-Disposition:" and spaces) */
    size_t disposition_len;
    const char *name; /**< form field name: raw bytes between the quotes (or the token); escapes are not decoded */
    size_t name_len;
    const char *filename; /**< filename (or filename*) parameter, raw; NULL when absent */
    size_t filename_len;
    const char *content_type; /**< Content-Type value, trimmed; NULL when absent (RFC 7578: text/plain) */
    size_t content_type_len;
    const char *body; /**< content bytes (the CRLF before the next delimiter is not part of it) */
    size_t body_len;
    int is_file; /**< 1: a filename is present, or a Content-Type other than text/..., application/json and
                      application/...+json (audio/..., image/..., application/pdf, ...); 0: text, scanned as UTF-8 */
} gw_multipart_part_t;

/**
 * Extracts the boundary from a Content-Type value (`ct`, `len` bytes, borrowed), e.g.
 * `multipart/form-data; boundary=----gwFixtureBoundary7MA4YWxkTrZu0gW` or `...; boundary="a b"` (quoted-string with
 * quoted-pairs, RFC 9110 section 5.6.4). The media type must be multipart/form-data (case-insensitive), the boundary
 * 1-70 bchars (RFC 2046 section 5.1.1).
 * @param out    receives the boundary, NUL-terminated; at least GW_MULTIPART_MAX_BOUNDARY + 1 bytes
 * @return 0 with *outlen set, or GW_MULTIPART_E_BOUNDARY with *err_desc (may be NULL) set to a static description.
 */
int gw_multipart_boundary(const char *ct, size_t len, char out[GW_MULTIPART_MAX_BOUNDARY + 1], size_t *outlen,
                          const char **err_desc);

/**
 * Parses `body` (`len` bytes, borrowed) delimited by `boundary` (`blen` bytes). The preamble before the first
 * delimiter and the epilogue after the close delimiter are ignored; a delimiter line is "--" boundary followed by
 * optional spaces/tabs and CRLF (or "--" for the close delimiter); the CRLF before a delimiter belongs to it. Header
 * lines must end in CRLF (no bare LF, no folding); every part needs Content-Disposition: form-data with a name.
 * Fail closed (a part is forwarded as the bytes that were scanned, never re-read another way by the provider):
 * the only header fields accepted in a part are those RFC 7578 section 4.8 allows: Content-Disposition, one
 * Content-Type, Content-Transfer-Encoding of 7bit / 8bit / binary only (section 4.7), and Content-Length equal to
 * the content's length (sent by some clients); any other field (Content-Encoding, base64 or quoted-printable, X-...)
 * is an error. A text part (is_file == 0) must declare no charset other than UTF-8 / US-ASCII, hold valid UTF-8
 * without NUL bytes, and a `_charset_` field (section 4.6) must name UTF-8 or US-ASCII.
 * @param parts   receives up to `cap` parts (GW_MULTIPART_MAX_PARTS is the most ever returned)
 * @return 0 with *nparts set, or GW_MULTIPART_E_SYNTAX / E_LIMIT (also when cap is exceeded) with *err_desc (may be NULL)
 *         and *err_offset (may be NULL: byte offset in body).
 */
int gw_multipart_parse(const char *body, size_t len, const char *boundary, size_t blen, gw_multipart_part_t *parts, size_t cap,
                       size_t *nparts, const char **err_desc, size_t *err_offset);

/** Per-part transforms for gw_multipart_rewrite(). */
typedef struct st_gw_multipart_rewriter_t {
    /**
     * Text part (is_file == 0), e.g. `prompt`. `replacement` is empty on entry. Return 0 keep, 1 replace the part's
     * content with `replacement`, < 0 abort (gw_multipart_rewrite returns that value). May be NULL (keep all).
     */
    int (*on_text)(void *ctx, const gw_multipart_part_t *part, gw_buf_t *replacement);
    /** File part (is_file == 1), e.g. `image[]`: same contract (strip image metadata here). May be NULL. */
    int (*on_file)(void *ctx, const gw_multipart_part_t *part, gw_buf_t *replacement);
    /**
     * 1: replace every filename with a neutral one: "image.<ext>" for image parts (by Content-Type, else by the
     * original extension), else "file.<ext>" or "file"; the Content-Disposition line is rewritten as
     * `form-data; name="<name>"; filename="<neutral>"` (other parameters, e.g. filename*, are dropped).
     */
    int neutral_filenames;
    void *ctx;
} gw_multipart_rewriter_t;

/**
 * Parses `body` (as gw_multipart_parse()), calls the transforms once per part in order (none is called when parsing
 * fails), and when anything changed re-serialises the body into `out` (reset first) with the same boundary: for
 * each part "--boundary CRLF headers CRLF content CRLF", then "--boundary--" CRLF; preamble and epilogue are
 * dropped. Header lines are copied byte for byte, except a renamed part's Content-Disposition and a replaced
 * part's Content-Length (written with the new content's length).
 * @param changed  0: `out` untouched, forward `body` as is; 1: `out` holds the new body
 * @return 0, GW_MULTIPART_E_SYNTAX / E_LIMIT (parse), GW_MULTIPART_E_BOUNDARY (a replacement contains "--" boundary),
 *         GW_MULTIPART_E_NOMEM, or a transform's negative value; *err_desc (may be NULL) describes parse errors.
 */
int gw_multipart_rewrite(const char *body, size_t len, const char *boundary, size_t blen, const gw_multipart_rewriter_t *rw,
                         gw_buf_t *out, int *changed, const char **err_desc);

#endif
