/*
 * pol_payload: recognises file payloads carried inside JSON strings (issue 10, "scan every string") so that
 * the privacy pass can treat them by what they are, not by the field they sit in: a `data:` URI (RFC 2397,
 * base64 or percent-encoded) or raw base64 / base64url (RFC 4648 sections 4 and 5, MIME line breaks
 * allowed) is decoded and its bytes sniffed: JPEG / PNG / WebP go to the image metadata stripper, text
 * (valid UTF-8 without binary control bytes) is scanned like any string and re-encoded in the same
 * wrapping, anything else (PDF, audio, archives, unknown bytes) cannot be scanned and is refused unless
 * configured. Pure code; fuzzed (tests/fuzz/fuzz_payload.c). See docs/internals/privacy.md.
 */
#ifndef AIGW_POLICY_PAYLOAD_H
#define AIGW_POLICY_PAYLOAD_H

#include <stddef.h>

#include "common/buf.h"

/** Raw base64 strings shorter than this are decoded only when they decode to text (a word can be valid base64). */
#define POL_PAYLOAD_MIN_BLOB 64
/** Longest media type kept from a data: URI header (longer ones are treated as "application/octet-stream"). */
#define POL_PAYLOAD_MAX_MIME 96

/** What a string is (pol_payload_classify). */
typedef enum {
    POL_PAYLOAD_NONE = 0, /**< plain text: scan it as text */
    POL_PAYLOAD_TEXT,     /**< an encoded text document: scan `decoded`, re-encode with pol_payload_encode() */
    POL_PAYLOAD_IMAGE,    /**< JPEG, PNG or WebP bytes: strip their metadata */
    POL_PAYLOAD_BLOB      /**< bytes aigw cannot scan; `mime` is the sniffed type */
} pol_payload_kind_t;

typedef struct st_pol_payload_t {
    pol_payload_kind_t kind;
    int data_uri;                        /**< 1: a data: URI, 0: raw base64 */
    int url_alphabet;                    /**< raw base64 used '-' / '_' (base64url) */
    int padded;                          /**< raw base64 ended with '=' padding (or needs none) */
    char mime[POL_PAYLOAD_MAX_MIME];     /**< sniffed type of the bytes: "image/png", "application/pdf", "text/plain", ... */
    char declared[POL_PAYLOAD_MAX_MIME]; /**< data: URI media type as written (lower-cased, parameters dropped), or "" */
    int undecodable; /**< kind BLOB because the bytes could not be decoded: a data: URI without ',' or with bad base64,
                          or (pol_payload_classify_file) a value that is no base64 */
} pol_payload_t;

/**
 * Classifies the decoded JSON string `s` (`len` bytes, borrowed). A string starting with "data:" (any case) is a
 * data: URI: malformed ones (no ',', bad base64) are BLOBs (refused: never forwarded half-understood). Raw base64 of
 * at least POL_PAYLOAD_MIN_BLOB characters that decodes is an IMAGE, TEXT or BLOB; a shorter one is TEXT when it
 * decodes to text, else NONE; a string of only hex digits is always NONE (digests, ids).
 * @param decoded receives the decoded bytes for TEXT (reset first; for IMAGE / BLOB it may hold only a prefix or nothing:
 *                the format is told by the first bytes and the image stripper decodes images itself)
 * @return 0, or -1 on allocation failure
 */
int pol_payload_classify(const char *s, size_t len, pol_payload_t *p, gw_buf_t *decoded);

/**
 * Classifies the decoded JSON string `s` (`len` bytes, borrowed) of a field that holds a file's bytes by the provider's
 * definition (prov_file_field_t: Gemini `inlineData.data`, OpenAI `input_audio.data`): a data: URI as in
 * pol_payload_classify(); anything else must be base64 or base64url (MIME line breaks allowed), decoded and sniffed at
 * any length, so a 30-byte GIF or PDF gets the verdict of a long one (IMAGE, TEXT or BLOB). There is no length rule
 * and no hex rule: the field is a file, not prose. A value that is not base64 is kind BLOB with `undecodable` set (the
 * caller refuses it: it cannot be scanned as the file it claims to be). The empty string is an empty TEXT.
 * @param decoded as for pol_payload_classify()
 * @return 0, or -1 on allocation failure
 */
int pol_payload_classify_file(const char *s, size_t len, pol_payload_t *p, gw_buf_t *decoded);

/**
 * Wraps `text` (`len` bytes) the way `p` was wrapped: a data: URI becomes "data:<declared>;base64,<base64>", raw
 * base64 keeps its alphabet and padding. Appends to `out`. @return 0, or -1 on allocation failure.
 */
int pol_payload_encode(const pol_payload_t *p, const char *text, size_t len, gw_buf_t *out);

/** Sorts raw bytes (an uploaded file): kind IMAGE / TEXT / BLOB and the sniffed type in p->mime (data_uri 0). */
void pol_payload_sniff(const unsigned char *b, size_t len, pol_payload_t *p);

/** 1 when `len` bytes are valid UTF-8 without control bytes other than tab, line feed, carriage return and form feed. */
int pol_payload_is_text(const unsigned char *b, size_t len);

/** 1 when `s` is only base64 / base64url alphabet and padding (no line breaks); used for opaque provider tokens. */
int pol_payload_is_base64_token(const char *s, size_t len);

#endif
