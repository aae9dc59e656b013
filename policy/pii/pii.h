/*
 * pol_pii: the PII engine. Finds personal data and secrets in decoded text fields and applies
 * the configured action (tokenize, redact, mask, hash, block, allow); restores tokens in
 * responses. Pure code: no I/O, no threads, no globals. See docs/internals/pii.md.
 *
 * Objects and their lifetimes:
 *   engine  - built once from the "pii" config section, immutable, shared by all threads;
 *   scratch - one per thread (vectorscan scratch + candidate arrays), reused for every scan;
 *   session - one per request (token vault + findings), reusable after pol_pii_session_reset.
 */
#ifndef AIGW_POLICY_PII_H
#define AIGW_POLICY_PII_H

#include <stddef.h>
#include <jansson.h>
#include "common/buf.h"

typedef struct st_pol_pii_engine_t pol_pii_engine_t;   /* immutable after create; shared by all threads */
typedef struct st_pol_pii_scratch_t pol_pii_scratch_t; /* one per thread (vectorscan scratch + work buffers) */
typedef struct st_pol_pii_session_t pol_pii_session_t; /* one per request: token vault + findings; reusable via reset */

/**
 * National and sector identifiers (policy/pii/national.c), Presidio's names where Presidio has
 * the type; each row's standard and checksum are in docs/internals/pii.md. X-macro: one list for
 * the enum below and the engine's name table.
 */
#define POL_PII_NATIONAL_TYPES(X)                                                                                                  \
    X(UK_NINO)                                                                                                                     \
    X(ES_NIF)                                                                                                                      \
    X(ES_NIE)                                                                                                                      \
    X(ES_PASSPORT)                                                                                                                 \
    X(IT_FISCAL_CODE)                                                                                                              \
    X(IT_VAT_CODE)                                                                                                                 \
    X(IT_PASSPORT)                                                                                                                 \
    X(IT_IDENTITY_CARD)                                                                                                            \
    X(IT_DRIVER_LICENSE)                                                                                                           \
    X(PL_PESEL)                                                                                                                    \
    X(SG_NRIC_FIN)                                                                                                                 \
    X(SG_UEN)                                                                                                                      \
    X(AU_TFN)                                                                                                                      \
    X(AU_ABN)                                                                                                                      \
    X(AU_ACN)                                                                                                                      \
    X(AU_MEDICARE)                                                                                                                 \
    X(IN_PAN)                                                                                                                      \
    X(IN_AADHAAR)                                                                                                                  \
    X(IN_VOTER)                                                                                                                    \
    X(IN_PASSPORT)                                                                                                                 \
    X(IN_VEHICLE_REGISTRATION)                                                                                                     \
    X(IN_GSTIN)                                                                                                                    \
    X(FI_PERSONAL_IDENTITY_CODE)                                                                                                   \
    X(KR_RRN)                                                                                                                      \
    X(KR_FRN)                                                                                                                      \
    X(KR_BRN)                                                                                                                      \
    X(KR_PASSPORT)                                                                                                                 \
    X(SE_PERSONNUMMER)                                                                                                             \
    X(SE_ORGANISATIONSNUMMER)                                                                                                      \
    X(TR_TCKN)                                                                                                                     \
    X(CA_SIN)                                                                                                                      \
    X(DE_TAX_ID)                                                                                                                   \
    X(DE_VAT_ID)                                                                                                                   \
    X(DE_ID_CARD)                                                                                                                  \
    X(UK_PASSPORT)                                                                                                                 \
    X(UK_DRIVING_LICENCE)                                                                                                          \
    X(US_ITIN)                                                                                                                     \
    X(US_NPI)                                                                                                                      \
    X(US_MBI)                                                                                                                      \
    X(US_BANK_NUMBER)                                                                                                              \
    X(ABA_ROUTING_NUMBER)                                                                                                          \
    X(MAC_ADDRESS)                                                                                                                 \
    X(MEDICAL_LICENSE)                                                                                                             \
    X(CN_RESIDENT_ID)                                                                                                              \
    X(JP_MY_NUMBER)                                                                                                                \
    X(BR_CPF)                                                                                                                      \
    X(BR_CNPJ)                                                                                                                     \
    X(MX_CURP)                                                                                                                     \
    X(FR_NIR)                                                                                                                      \
    X(NL_BSN)                                                                                                                      \
    X(DK_CPR)                                                                                                                      \
    X(NO_FODSELSNUMMER)                                                                                                            \
    X(BE_NATIONAL_NUMBER)                                                                                                          \
    X(ZA_ID)                                                                                                                       \
    X(DE_HEALTH_INSURANCE)                                                                                                         \
    X(DE_SOCIAL_SECURITY)                                                                                                          \
    X(DE_TAX_NUMBER)                                                                                                               \
    X(TH_TNIN)                                                                                                                     \
    X(RU_INN)                                                                                                                      \
    X(RU_SNILS)                                                                                                                    \
    X(RU_PASSPORT)                                                                                                                 \
    X(IL_ID_NUMBER)                                                                                                                \
    X(CZ_BIRTH_NUMBER)                                                                                                             \
    X(CL_RUT)                                                                                                                      \
    X(AR_CUIT)                                                                                                                     \
    X(AR_DNI)                                                                                                                      \
    X(PK_CNIC)                                                                                                                     \
    X(ID_NIK)                                                                                                                      \
    X(VN_CCCD)                                                                                                                     \
    X(SA_NATIONAL_ID)                                                                                                              \
    X(AE_EMIRATES_ID)                                                                                                              \
    X(EG_NATIONAL_ID)                                                                                                              \
    X(NG_NIN)                                                                                                                      \
    X(CO_CEDULA)                                                                                                                   \
    X(MX_RFC)                                                                                                                      \
    X(MY_NRIC)                                                                                                                     \
    X(IR_NATIONAL_ID)                                                                                                              \
    X(PH_TIN)                                                                                                                      \
    X(BD_NID)                                                                                                                      \
    X(TW_NATIONAL_ID)                                                                                                              \
    X(KZ_IIN)                                                                                                                      \
    X(EE_PERSONAL_CODE)                                                                                                            \
    X(BG_EGN)                                                                                                                      \
    X(HR_OIB)                                                                                                                      \
    X(RO_CNP)                                                                                                                      \
    X(GR_AMKA)                                                                                                                     \
    X(CH_AHV)                                                                                                                      \
    X(HU_TAJ)                                                                                                                      \
    X(UA_RNOKPP)                                                                                                                   \
    X(PL_NIP)                                                                                                                      \
    X(LK_NIC)                                                                                                                      \
    X(HK_ID)                                                                                                                       \
    X(IS_KENNITALA)                                                                                                                \
    X(LV_PERSONAL_CODE)                                                                                                            \
    X(RS_JMBG)                                                                                                                     \
    X(AT_SVNR)

/** Built-in entity types (Presidio's names, plus SECRET); custom types follow POL_PII_NUM_BUILTIN. */
enum {
    POL_PII_EMAIL_ADDRESS,
    POL_PII_PHONE_NUMBER,
    POL_PII_CREDIT_CARD,
    POL_PII_IBAN_CODE,
    POL_PII_US_SSN,
    POL_PII_IP_ADDRESS,
    POL_PII_CRYPTO,
    POL_PII_URL,
    POL_PII_DATE_TIME,
    POL_PII_US_PASSPORT,
    POL_PII_US_DRIVER_LICENSE,
    POL_PII_UK_NHS,
    POL_PII_PERSON,
    POL_PII_LOCATION,
    POL_PII_SECRET,
#define POL_PII_NATIONAL_ENUM_(n) POL_PII_##n,
    POL_PII_NATIONAL_TYPES(POL_PII_NATIONAL_ENUM_)
#undef POL_PII_NATIONAL_ENUM_
        POL_PII_NUM_BUILTIN
};
/** The first and one past the last national identifier type (national.c). */
#define POL_PII_NATIONAL_FIRST POL_PII_UK_NINO
#define POL_PII_NATIONAL_END POL_PII_NUM_BUILTIN /* the national types close the built-in list */

/** Maximum number of custom recognizers in pii.custom. */
#define POL_PII_MAX_CUSTOM 64
/** Maximum length of a token such as "<EMAIL_ADDRESS_12>" in bytes (the token grammar's limit). */
#define POL_PII_TOKEN_MAX 64

/** A detected span. */
typedef struct st_pol_pii_entity_t {
    int type;          /* POL_PII_* or a custom type id */
    size_t start, end; /* BYTE offsets into the scanned text, half-open */
    double score;      /* 0..1, after context words */
} pol_pii_entity_t;

typedef enum {
    POL_PII_ACT_TOKENIZE,
    POL_PII_ACT_REDACT,
    POL_PII_ACT_MASK,
    POL_PII_ACT_HASH,
    POL_PII_ACT_BLOCK,
    POL_PII_ACT_ALLOW
} pol_pii_action_t;

/** What a session found in one field, for the redaction log; never holds the value itself. */
typedef struct st_pol_pii_finding_t {
    int type;
    const char *field; /* JSON path of the field, owned by the session, valid until reset/free */
    size_t start, end; /* CODE POINT offsets in the field's original text, half-open */
    pol_pii_action_t action;
    unsigned char value_hash[16]; /* keyed BLAKE2b-128 of the value (libsodium crypto_generichash, engine hash key) */
    double score;
    int response; /* 1: found in model output (pol_pii_session_scrub_output), 0: in the request */
} pol_pii_finding_t;

/**
 * Builds an engine: parses the "pii" config object and sets up the two vectorscan databases
 * (full text and prefilter windows): deserialised from the ones the build compiled (under 1 ms)
 * when there are no custom regexes and they fit this CPU and library, otherwise compiled from the
 * built-in and custom patterns (about 100-150 ms). The first engine of a process also loads the
 * phone numbering plans (about 15 ms).
 * @param pii_config the "pii" object of the gateway config (borrowed; NULL = all defaults)
 * @param hash_key 32-byte key (copied) for the keyed BLAKE2b used by `hash` and finding hashes
 * @param err receives "pii.actions.FOO: expected one of tokenize|redact|mask|hash|block|allow"
 *        (key path + what was expected) on failure
 * @return the engine (free with pol_pii_engine_free), or NULL on error
 */
pol_pii_engine_t *pol_pii_engine_create(const json_t *pii_config, const unsigned char hash_key[32], char *err, size_t errlen);

/** Frees the engine; every scratch and session made from it must be freed first. NULL is ignored. */
void pol_pii_engine_free(pol_pii_engine_t *e);

/** @return the entity type's name ("EMAIL_ADDRESS", custom names...), static/engine-owned; "UNKNOWN" if out of range. */
const char *pol_pii_type_name(const pol_pii_engine_t *e, int type);

/** @return the type id for a name (exact, case-sensitive), or -1. */
int pol_pii_type_by_name(const pol_pii_engine_t *e, const char *name, size_t len);

/** @return the number of types (built-in + custom); ids are 0 .. n-1. */
int pol_pii_type_count(const pol_pii_engine_t *e);

/** @return config pii.scan_responses (0 or 1). */
int pol_pii_engine_scan_responses(const pol_pii_engine_t *e);

/** @return the configured action for a type (pii.actions, else pii.default_action). */
pol_pii_action_t pol_pii_engine_action(const pol_pii_engine_t *e, int type);

/** @return a per-thread scratch for `e` (free with pol_pii_scratch_free), or NULL on allocation failure. */
pol_pii_scratch_t *pol_pii_scratch_create(const pol_pii_engine_t *e);
void pol_pii_scratch_free(pol_pii_scratch_t *s);

/**
 * Detection only. Scans `len` bytes of `text` (UTF-8 expected; invalid bytes are treated as opaque
 * non-letters, never read past `len`), keeps entities of enabled types with score >= pii.min_score
 * whose value is not on the allow-list, resolves overlaps to the best-scoring span.
 * @param out receives an array sorted by start, non-overlapping; owned by `s`, valid until the next call with `s`
 * @return 0, or -1 on a vectorscan or allocation error
 */
int pol_pii_scan(const pol_pii_engine_t *e, pol_pii_scratch_t *s, const char *text, size_t len, const pol_pii_entity_t **out,
                 size_t *n);

/**
 * Same as pol_pii_scan but without the min_score cut and the allow-list (for diagnostics and
 * tests): every validated candidate of an enabled type, overlaps resolved.
 */
int pol_pii_scan_all(const pol_pii_engine_t *e, pol_pii_scratch_t *s, const char *text, size_t len, const pol_pii_entity_t **out,
                     size_t *n);

/** @return a new session for one request (free with pol_pii_session_free), or NULL on allocation failure. */
pol_pii_session_t *pol_pii_session_create(const pol_pii_engine_t *e);
/** Forgets tokens and findings, keeps memory for the next request. */
void pol_pii_session_reset(pol_pii_session_t *ss);
void pol_pii_session_free(pol_pii_session_t *ss);

/**
 * Scans one decoded text field and applies the configured actions.
 * @param field JSON path such as "messages[0].content" (NUL-terminated, copied)
 * @param text the field's decoded text, `len` bytes (borrowed)
 * @param out reset and filled with the new text when the return value is 1; untouched otherwise
 * @return 0 = unchanged, 1 = changed, -1 on a scan or allocation error. Tokens look like
 *         "<EMAIL_ADDRESS_1>"; the same (type, value) gets the same token within the session.
 *         A `block` action records the finding and leaves the value in place: ask
 *         pol_pii_session_blocked() after all fields.
 */
int pol_pii_session_scrub(pol_pii_session_t *ss, pol_pii_scratch_t *s, const char *field, const char *text, size_t len,
                          gw_buf_t *out);

/** Bytes of model output always held back at the end of a streamed piece (pol_pii_session_scrub_output): the longest
    entity the stream scan is guaranteed to see whole across chunk boundaries. */
#define POL_PII_OUTPUT_WINDOW 128
/** How much further back the cut may move to reach a word boundary. */
#define POL_PII_OUTPUT_WORD_SLACK 32
/** Most bytes ever held back: an entity found straddling the cut is held from its start while the hold stays within
    this; a longer one is acted on up to the cut (its head never leaves unscanned). */
#define POL_PII_OUTPUT_HOLD_MAX 512

/**
 * Model output (config pii.scan_responses): scans `text` (`len` bytes, borrowed) as it stands, with this session's
 * tokens still in place, so restored values (the user's own) are never flagged: entities overlapping a token are
 * ignored. Returns the text to send for the first *emit bytes, with tokens restored and every other entity replaced
 * per its configured action, except that tokenize and block act as redact (nobody can restore a placeholder in
 * output, and a streamed answer's status is already sent). Findings are recorded with response = 1 and offsets
 * relative to `text`.
 * @param final 0 for a streamed piece that more text may follow: the last POL_PII_OUTPUT_WINDOW bytes (moved back to a
 *        code point start and a word boundary, before any token or entity straddling that cut, never more than
 *        POL_PII_OUTPUT_HOLD_MAX bytes in all) are not emitted; the caller prepends them to the next piece of the
 *        same field. 1: everything is emitted.
 * @param emit receives how many bytes of `text` the result covers (len - *emit are held back)
 * @param out reset and filled when the return value is 1
 * @return 0 = text[0, *emit) goes out unchanged, 1 = `out` replaces it, -1 on a scan or allocation error
 */
int pol_pii_session_scrub_output(pol_pii_session_t *ss, pol_pii_scratch_t *s, const char *field, const char *text, size_t len,
                                 int final, size_t *emit, gw_buf_t *out);

/**
 * @param types if not NULL, receives the blocked types' names appended comma-separated ("US_SSN,CREDIT_CARD"),
 *        each once, in type order; never a value
 * @return non-zero if any finding had the `block` action
 */
int pol_pii_session_blocked(const pol_pii_session_t *ss, gw_buf_t *types);

/** @return the findings so far (owned by the session, valid until the next scrub, reset or free); *n = count. */
const pol_pii_finding_t *pol_pii_session_findings(const pol_pii_session_t *ss, size_t *n);

/**
 * Token -> original value. `token` is the whole token text ("<EMAIL_ADDRESS_1>", `len` bytes).
 * @param value receives the value (borrowed from the session, valid until reset/free), vlen its length in bytes
 * @return 0 found, -1 unknown token or not a token
 */
int pol_pii_session_lookup(const pol_pii_session_t *ss, const char *token, size_t len, const char **value, size_t *vlen);

/**
 * Replaces every token of this session found in `text` by its value; unknown tokens stay as they are.
 * @return 0 unchanged (out untouched), 1 changed (out reset and filled), -1 on allocation failure
 */
int pol_pii_session_restore(const pol_pii_session_t *ss, const char *text, size_t len, gw_buf_t *out);

/**
 * Token grammar check: `<` TYPE `_` N `>`, TYPE = [A-Z][A-Z0-9_]*, N = decimal >= 1 without
 * leading zero, whole token <= POL_PII_TOKEN_MAX bytes.
 * @return the length of the token starting at text[0] (text[0] must be '<'), or 0 if there is
 *         none; returns 0 also when `len` ends before the closing '>' (see pol_pii_token_prefix_len)
 */
size_t pol_pii_token_len(const char *text, size_t len);

/**
 * For streaming restore: the length of the longest suffix of `text` that could still become a
 * token if more bytes arrived (0 if none). The caller holds back that many bytes.
 */
size_t pol_pii_token_prefix_len(const char *text, size_t len);

#endif
