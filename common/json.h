/*
 * gw_json: single-pass JSON validator and path-selective string rewriter for request and response
 * bodies (see docs/internals/json.md). One walk over the document validates it (RFC 8259), reports
 * the string values selected by compiled path rules to a visitor that may replace them, reports
 * captured values raw, and applies member edits (set / delete) to objects. Unchanged documents are
 * never copied.
 */
#ifndef AIGW_COMMON_JSON_H
#define AIGW_COMMON_JSON_H

#include <stddef.h>

#include "common/buf.h"
#include "common/errors.h"

/* Errors (negative, like every aigw error). */
#define GW_JSON_E_SYNTAX GW_E_JSON_SYNTAX /* not RFC 8259 JSON (grammar, numbers, escapes, trailing bytes) */
#define GW_JSON_E_DEPTH GW_E_JSON_DEPTH   /* nesting deeper than GW_JSON_MAX_DEPTH */
#define GW_JSON_E_UTF8 GW_E_JSON_UTF8     /* invalid UTF-8 in a string, or a lone surrogate escape */
#define GW_JSON_E_EDIT GW_E_JSON_EDIT     /* an edit cannot apply (non-object intermediate, bad edit spec) */
#define GW_JSON_E_NOMEM GW_E_INTERNAL     /* allocation failure: the common code (common/errors.h) */
#define GW_JSON_E_DUPKEY                                                                                                           \
    GW_E_JSON_DUPKEY /* with GW_JSON_V_UNIQUE_KEYS: an object names one key twice (RFC 8259 section 4), or a                       \
            kept key equals a rewritten one; also more than GW_JSON_MAX_OPEN_KEYS open keys */

/** Maximum nesting depth of arrays and objects (the top-level value is depth 1). */
#define GW_JSON_MAX_DEPTH 128
/** Maximum number of edits in one gw_json_rewrite() call. */
#define GW_JSON_MAX_EDITS 32
/** Maximum number of dot-separated segments in an edit path. */
#define GW_JSON_MAX_EDIT_SEGS 8
/** Maximum nesting of JSON documents inside strings walked as embedded JSON (a string holding JSON that holds a
    string holding JSON ... counts one level per document); deeper documents fail with GW_JSON_E_DEPTH. */
#define GW_JSON_MAX_EMBED 4
/** Maximum number of keys of the objects open at one time that GW_JSON_V_UNIQUE_KEYS tracks (GW_JSON_E_DUPKEY
    beyond: a bound on memory, far above any real request). */
#define GW_JSON_MAX_OPEN_KEYS (1u << 20)

/* Value types reported to on_capture. */
enum { GW_JSON_T_STRING = 1, GW_JSON_T_NUMBER, GW_JSON_T_OBJECT, GW_JSON_T_ARRAY, GW_JSON_T_TRUE, GW_JSON_T_FALSE, GW_JSON_T_NULL };

/* Rule flags. */
enum {
    GW_JSON_SCAN = 1,     /**< matched string values go to on_string */
    GW_JSON_EMBEDDED = 2, /**< matched string may hold a JSON document (tool-call `arguments`): when it is a valid JSON
                                object, array or string literal (leading whitespace allowed), every string value inside
                                it goes to on_string with path "<outer>#/<inner path>" (and every key to on_key); such
                                strings inside it are walked the same way, up to GW_JSON_MAX_EMBED documents deep;
                                anything else (plain text, a bare number) is reported as text (GW_JSON_SCAN) */
    GW_JSON_CAPTURE = 4,  /**< matched value (any type) is reported raw to on_capture */
    GW_JSON_VERBATIM = 8, /**< matched string values go to on_string as text, ahead of any SCAN / EMBEDDED rule that
                                also matches (a declared exception inside a "**" rule: never walked as embedded JSON) */
    GW_JSON_KEYS = 16     /**< the key of a member whose path matches goes to on_key ("**" + KEYS: every key) */
};

/**
 * One path rule. `pattern` is dot-separated segments over the document: a literal key (an all-digit literal also
 * matches that array index), `*` = any one key or array index, `**` = zero or more levels. Examples:
 * "messages.*.content", "messages.*.content.*.text", "metadata.**", "model". Keys containing '.' cannot be named.
 */
typedef struct st_gw_json_rule_t {
    const char *pattern; /**< borrowed during gw_json_paths_compile() only */
    unsigned flags;      /**< GW_JSON_SCAN / EMBEDDED / CAPTURE, or-ed */
    int id;              /**< passed back to the visitor */
} gw_json_rule_t;

typedef struct st_gw_json_paths_t gw_json_paths_t;

/**
 * Compiles `n` rules into an immutable matcher that is safe to share between threads.
 * Limits: 512 pattern segments in total (plus one per rule), 64 bytes per literal segment.
 * @return the matcher (free with gw_json_paths_free()), or NULL with a message in err (errlen bytes, NUL-terminated).
 */
gw_json_paths_t *gw_json_paths_compile(const gw_json_rule_t *rules, size_t n, char *err, size_t errlen);

/** Frees a matcher from gw_json_paths_compile() (NULL is ignored). */
void gw_json_paths_free(gw_json_paths_t *p);

/**
 * A member edit applied by gw_json_rewrite(). A set creates missing intermediate objects; if an intermediate
 * exists but is not an object, a set fails with GW_JSON_E_EDIT (a delete is then a no-op). Duplicate keys are all
 * deleted / all replaced. Two edits whose paths are equal or one a prefix of the other are rejected.
 */
typedef struct st_gw_json_edit_t {
    const char *path;       /**< dotted object path, e.g. "store", "stream_options.include_usage"; borrowed */
    const char *value_json; /**< raw JSON text to set (validated, must be one JSON value), or NULL to delete */
    int only_if_absent;     /**< set only when the member is missing */
} gw_json_edit_t;

/* Visitor flags. */
enum {
    GW_JSON_V_UNIQUE_KEYS = 1, /**< refuse (GW_JSON_E_DUPKEY) an object that names a key twice, at any depth and inside
                                    embedded documents; a key that on_key rewrites to the text of an earlier key of
                                    the same object gets " (2)", " (3)", ... appended so the output stays unique.
                                    Needs gw_json_rewrite_ex()'s scratch or gw_json_rewrite(). */
    GW_JSON_V_LAZY_PATH = 2,   /**< on_string / on_key get a `path` that reads as "" and is a handle: its text is built
                                      only when the visitor asks, by gw_json_path_text(path) (a visitor that needs the path
                                      of few strings, the privacy pass: building it cost ~120 instructions a string) */
    GW_JSON_V_TRUSTED = 4      /**< the caller vouches that `in` is a document gw_json_rewrite accepts (it passed a walk,
                                      or one wrote it): a value that no rule position and no edit reaches is stepped over by
                                      its quotes and brackets, not validated (the no-training pass over the body the privacy
                                      pass accepted). On other input the result is unspecified, but no byte past `len` is
                                      read. Ignored with GW_JSON_V_UNIQUE_KEYS (every key is read). */
};

typedef struct st_gw_json_visitor_t {
    /**
     * Decoded (unescaped UTF-8) string value `s` of `len` bytes (may contain NUL from \u0000; borrowed for the
     * call). `path` like "messages[2].content" (NUL-terminated, borrowed for the call). Return 0 = keep,
     * 1 = replace with the decoded UTF-8 text appended to *replacement (empty on entry; the rewriter JSON-escapes
     * it), < 0 = abort (gw_json_rewrite returns that value). Not called for strings inside members that an edit
     * deletes or replaces. An abort value is a common/errors.h code (GW_E_INTERNAL for an allocation failure) and
     * never a GW_JSON_E_* code unless it reports one (a document walked inside the string): callers tell the walk's
     * own errors ("not JSON") from a visitor's by value, and a visitor failure mistaken for "not JSON" would pass a
     * body on unprocessed.
     */
    int (*on_string)(void *ctx, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *replacement);
    /** Raw JSON text of a CAPTURE value (borrowed for the call), e.g. `"gpt-4o"` with its quotes, `true`, `{...}`;
        json_type is a GW_JSON_T_* constant. Called once per matching CAPTURE rule, in document order. */
    void (*on_capture)(void *ctx, int rule_id, const char *raw, size_t len, int json_type);
    void *ctx;
    /**
     * Decoded object key `s` (`len` bytes, borrowed for the call) of a member selected by a KEYS rule, or of any
     * member inside an embedded document; `path` is the path of the object holding it ("" for the root). Same
     * return contract as on_string: 1 = replace the key by *replacement (then also used in the paths of the
     * member's strings, so a replaced key never appears in a path). Not called inside members an edit deletes.
     * May be NULL.
     */
    int (*on_key)(void *ctx, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *replacement);
    unsigned flags; /**< GW_JSON_V_* */
    /**
     * The raw text `s` (`len` bytes, e.g. `4111111111111111`, `-1.5e3`; borrowed for the call) of a number value at a
     * position a SCAN / EMBEDDED / VERBATIM rule selects, or of any number inside an embedded document, with the rule
     * that on_string would get. Same return contract as on_string: 1 = replace the number by *replacement written as a
     * JSON string literal (the value's type changes from number to string), 0 = keep, < 0 = abort. A number is text a
     * model reads like any other ("card": 4111111111111111 in a tool result): the privacy pass scans it. May be NULL
     * (numbers are then only validated).
     */
    int (*on_number)(void *ctx, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *replacement);
} gw_json_visitor_t;

/**
 * The text of the `path` that on_string / on_key got in a walk with GW_JSON_V_LAZY_PATH (during that call only): what
 * they get without the flag ("messages[2].content", "<outer>#/<inner>", the holding object's path for a key). Built on
 * the first call of a visit; NUL-terminated, borrowed until the visitor returns.
 * @return the path, or NULL when memory runs out (the visitor then returns GW_E_INTERNAL).
 */
const char *gw_json_path_text(const char *path);

/**
 * Reusable scratch memory for gw_json_rewrite_ex() so that a long-lived caller (the SSE restorer, a worker)
 * does not allocate per document. Initialise with GW_JSON_SCRATCH_INIT, free with gw_json_scratch_free().
 */
typedef struct st_gw_json_scratch_t {
    gw_buf_t path, str, repl, key;
    /** per embedded level: out, path, str, repl, key of the documents walked at that level */
    gw_buf_t lvl[GW_JSON_MAX_EMBED][5];
    /** GW_JSON_V_UNIQUE_KEYS: keys of the open objects (entries, hash index) and rewritten / escaped key bytes */
    gw_buf_t keys, kindex, karena;
} gw_json_scratch_t;
#define GW_JSON_SCRATCH_INIT                                                                                                       \
    {                                                                                                                              \
        .path = GW_BUF_INIT                                                                                                        \
    }
/** Frees the memory held by a scratch; it stays usable. */
void gw_json_scratch_free(gw_json_scratch_t *s);

/**
 * Validates the whole document `in` (`len` bytes; RFC 8259: one value with optional surrounding whitespace, nesting
 * depth cap GW_JSON_MAX_DEPTH, strings valid UTF-8, escapes incl. surrogate pairs) and, in the same pass, calls the
 * visitor for values matched by `paths` (may be NULL) and applies `edits` (may be NULL when nedits is 0; the
 * top-level value must then be an object). A string matched by several SCAN/EMBEDDED/VERBATIM rules is reported
 * once: with the first VERBATIM rule if any matches, else the first EMBEDDED rule, else the first SCAN rule.
 *
 * On success returns 0 and sets *changed. If *changed == 0, `out` is untouched (forward `in` as is). Otherwise `out`
 * is reset and holds the full rewritten document: unchanged parts copied byte for byte; replaced strings are
 * re-escaped; deleted members vanish with their comma; set members replace the value in place or are appended at
 * the end of their object as `"key":value` (missing intermediates created as nested objects). A set whose
 * value_json equals the present raw value byte for byte is not a change.
 *
 * Errors: GW_JSON_E_SYNTAX / E_DEPTH / E_UTF8 / E_EDIT / E_NOMEM, or the visitor's negative abort value; then
 * *err_desc (may be NULL) is a static description like "expected ',' or '}'" and *err_offset (may be NULL) the byte
 * offset in `in` where the problem was found. `out` may then hold partial output.
 */
int gw_json_rewrite(const char *in, size_t len, const gw_json_paths_t *paths, const gw_json_edit_t *edits, size_t nedits,
                    const gw_json_visitor_t *v, gw_buf_t *out, int *changed, const char **err_desc, size_t *err_offset);

/** gw_json_rewrite() with caller-owned scratch memory (borrowed; not thread-safe: one scratch per thread). */
int gw_json_rewrite_ex(const char *in, size_t len, const gw_json_paths_t *paths, const gw_json_edit_t *edits, size_t nedits,
                       const gw_json_visitor_t *v, gw_buf_t *out, int *changed, const char **err_desc, size_t *err_offset,
                       gw_json_scratch_t *scratch);

/**
 * Validates `in` as one JSON document (same rules as gw_json_rewrite()) without visiting anything.
 * @return 0, or GW_JSON_E_SYNTAX / E_DEPTH / E_UTF8 with *err_desc / *err_offset (both may be NULL).
 */
int gw_json_validate(const char *in, size_t len, const char **err_desc, size_t *err_offset);

/**
 * Decodes the JSON string literal `raw` (`len` bytes including both quotes) and appends its UTF-8 text to `out`.
 * @return 0, GW_JSON_E_SYNTAX (not exactly one string literal), GW_JSON_E_UTF8 (invalid UTF-8 or lone
 * surrogate), or GW_JSON_E_NOMEM.
 */
int gw_json_unescape(const char *raw, size_t len, gw_buf_t *out);

/**
 * Appends `s` (`len` bytes of UTF-8, borrowed) to `out` as a JSON string literal with quotes: `"` and `\` are
 * escaped, control characters become \n \r \t \b \f or \u00xx, everything else is copied. Invalid UTF-8 sequences
 * are replaced by U+FFFD so the output is always valid JSON. The one JSON string escaper of aigw (error bodies, logs,
 * usage JSON, the access log, `aigw scrub`).
 * @return 0, or GW_JSON_E_NOMEM.
 */
int gw_json_escape(const char *s, size_t len, gw_buf_t *out);

/** Escaper options. */
enum {
    GW_JSON_ESC_UPPER_HEX = 1 /**< \u00XX in upper case, as jansson writes it (the `aigw scrub` output bytes) */
};

/** gw_json_escape with GW_JSON_ESC_* `flags`. */
int gw_json_escape_flags(const char *s, size_t len, gw_buf_t *out, unsigned flags);

/** Bytes gw_json_escape_into may write for `len` input bytes: every byte as \u00XX, plus the quotes. */
#define GW_JSON_ESCAPE_MAX(len) ((len)*6 + 2)

/**
 * gw_json_escape into caller memory: writes the literal (same bytes as gw_json_escape_flags, no NUL) to `dst`,
 * which has room for GW_JSON_ESCAPE_MAX(len) bytes, and returns the bytes written. For writers that must not
 * allocate (gw_log when memory is short).
 */
size_t gw_json_escape_into(char *dst, const char *s, size_t len, unsigned flags);

#endif
