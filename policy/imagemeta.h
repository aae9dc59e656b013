/*
 * pol_imagemeta: removes metadata (EXIF incl. GPS, XMP, IPTC, comments, text chunks, timestamps) from
 * JPEG, PNG and WebP images without decoding or re-encoding pixels (issue 4, "Images"). The image is
 * walked as a container of segments / chunks; metadata containers are dropped, everything needed to
 * decode the pixels exactly as before is copied byte for byte. Pure code; fuzzed
 * (tests/fuzz/fuzz_imagemeta.c). Details and the keep/drop tables: docs/internals/imagemeta.md.
 */
#ifndef AIGW_POLICY_IMAGEMETA_H
#define AIGW_POLICY_IMAGEMETA_H

#include <stddef.h>

#include "common/buf.h"
#include "common/errors.h"

/* Errors (negative). The gateway should answer 400 for CORRUPT / BASE64 / DATA_URI, and refuse (or pass, by policy)
   UNSUPPORTED images: metadata in a format aigw cannot parse cannot be removed. */
#define POL_IMAGEMETA_E_CORRUPT GW_E_IMAGE_CORRUPT /* structure broken: truncated segment/chunk, bad lengths, missing IEND/EOI */
#define POL_IMAGEMETA_E_UNSUPPORTED GW_E_IMAGE_UNSUPPORTED /* not JPEG, PNG or WebP (GIF, HEIC, AVIF, TIFF, ...) */
#define POL_IMAGEMETA_E_BASE64 GW_E_IMAGE_BASE64           /* the base64 payload does not decode */
#define POL_IMAGEMETA_E_DATA_URI GW_E_IMAGE_DATA_URI       /* not a data: URI (RFC 2397 syntax) */
#define POL_IMAGEMETA_E_NOMEM GW_E_INTERNAL                /* allocation failure: the common code (common/errors.h) */

/** Image formats (pol_imagemeta_report_t.format). */
enum { POL_IMAGEMETA_UNKNOWN = 0, POL_IMAGEMETA_JPEG, POL_IMAGEMETA_PNG, POL_IMAGEMETA_WEBP };

/** What was removed (pol_imagemeta_report_t.removed bits). */
enum {
    POL_IMAGEMETA_R_EXIF = 1u << 0,      /* JPEG APP1 "Exif", PNG eXIf, WebP EXIF (camera, GPS, dates, serials) */
    POL_IMAGEMETA_R_XMP = 1u << 1,       /* JPEG APP1 XMP (+ extended XMP), WebP "XMP ", PNG iTXt XML:com.adobe.xmp */
    POL_IMAGEMETA_R_IPTC = 1u << 2,      /* JPEG APP13 (Photoshop IRB / IPTC: captions, names, places) */
    POL_IMAGEMETA_R_COMMENT = 1u << 3,   /* JPEG COM */
    POL_IMAGEMETA_R_TEXT = 1u << 4,      /* PNG tEXt / zTXt / iTXt */
    POL_IMAGEMETA_R_TIME = 1u << 5,      /* PNG tIME */
    POL_IMAGEMETA_R_OTHER = 1u << 6,     /* other JPEG APPn (MPF, FlashPix, maker data), unknown PNG/WebP chunks */
    POL_IMAGEMETA_R_TRAILER = 1u << 7,   /* bytes after the image's end (JPEG EOI, PNG IEND, RIFF size) */
    POL_IMAGEMETA_R_FLAGS = 1u << 8,     /* WebP VP8X EXIF/XMP flags cleared */
    POL_IMAGEMETA_R_URI_PARAMS = 1u << 9 /* data: URI media type parameters (e.g. ;name=jane.png) */
};

/** Report of one strip call. */
typedef struct st_pol_imagemeta_report_t {
    int format;        /**< POL_IMAGEMETA_JPEG / PNG / WEBP, or UNKNOWN */
    unsigned removed;  /**< POL_IMAGEMETA_R_* bits */
    unsigned segments; /**< number of segments / chunks removed */
    size_t bytes;      /**< bytes removed from the image (binary, before base64) */
} pol_imagemeta_report_t;

/** Reusable memory for the base64 helpers (one per worker; not thread-safe). */
typedef struct st_pol_imagemeta_scratch_t {
    gw_buf_t bin, img;
} pol_imagemeta_scratch_t;
#define POL_IMAGEMETA_SCRATCH_INIT                                                                                                 \
    {                                                                                                                              \
        GW_BUF_INIT, GW_BUF_INIT                                                                                                   \
    }
/** Frees a scratch's memory; it stays usable. */
void pol_imagemeta_scratch_free(pol_imagemeta_scratch_t *s);

/**
 * Detects the format of `in` (`len` bytes, borrowed) by its magic bytes.
 * @return POL_IMAGEMETA_JPEG / PNG / WEBP or POL_IMAGEMETA_UNKNOWN.
 */
int pol_imagemeta_format(const unsigned char *in, size_t len);

/**
 * Strips metadata from a JPEG, PNG or WebP image `in` (`len` bytes, borrowed). Rules (docs/internals/imagemeta.md):
 * JPEG (ITU-T T.81 B.1, JFIF, Exif 2.3, XMP part 3): drop APP1, APP3-APP13, APP15, APP2 unless "ICC_PROFILE",
 * APP14 unless "Adobe", COM, and bytes after EOI; keep APP0, SOF/DHT/DQT/DRI/SOS and the entropy-coded data.
 * PNG (ISO/IEC 15948, PNG 3rd ed.): keep critical chunks and the ancillary chunks that affect decoding (tRNS, cHRM,
 * gAMA, iCCP, sBIT, sRGB, cICP, mDCv, cLLi, bKGD, hIST, pHYs, sPLT, acTL, fcTL, fdAT); drop every other chunk
 * (eXIf, tEXt, iTXt, zTXt, tIME, private chunks) and bytes after IEND. WebP (RFC 9649): drop EXIF, "XMP " and unknown
 * chunks, clear the VP8X EXIF/XMP flags, fix the RIFF size, drop bytes after the RIFF end. Chunk CRCs are not checked
 * (kept chunks are copied as they are).
 * @param out  on 1, reset and filled with the stripped image (never longer than `len`); untouched otherwise
 * @param rep  may be NULL; filled on every return
 * @return 0 nothing to remove (forward `in`), 1 `out` holds the stripped image, or POL_IMAGEMETA_E_CORRUPT /
 *         E_UNSUPPORTED / E_NOMEM.
 */
int pol_imagemeta_strip(const unsigned char *in, size_t len, gw_buf_t *out, pol_imagemeta_report_t *rep);

/**
 * Strips a `data:` URI (RFC 2397) `uri` (`len` bytes, borrowed, not NUL-terminated). Media types other than image/...
 * (PDF, audio) are left alone (returns 0). image/jpeg, image/png, image/webp payloads are decoded (base64, RFC 4648
 * section 4, padding optional, whitespace ignored), stripped, and re-encoded as "data:<type>;base64,<standard
 * base64>"; media type parameters (";name=...") are dropped. The format is taken from the bytes, not the label.
 * @param out_uri  on 1, reset and filled with the new URI; untouched otherwise
 * @param scratch  may be NULL (then memory is allocated and freed per call)
 * @param rep      may be NULL
 * @return 0 unchanged, 1 `out_uri` holds the new URI, or POL_IMAGEMETA_E_DATA_URI (not a data: URI or not base64
 *         for an image), E_BASE64, E_CORRUPT, E_UNSUPPORTED (other image types such as GIF or HEIC, or bytes that
 *         are none of the three formats), E_NOMEM.
 */
int pol_imagemeta_strip_data_uri(const char *uri, size_t len, gw_buf_t *out_uri, pol_imagemeta_scratch_t *scratch,
                                 pol_imagemeta_report_t *rep);

/**
 * Strips a raw base64 image with its MIME type given separately (Gemini inlineData {mimeType, data}, Anthropic
 * source {media_type, data}). `mime` (`mime_len` bytes) and `b64` (`len` bytes) are borrowed; same rules and
 * returns as pol_imagemeta_strip_data_uri(); on 1 `out_b64` (reset) holds the new standard base64 with padding.
 */
int pol_imagemeta_strip_base64(const char *mime, size_t mime_len, const char *b64, size_t len, gw_buf_t *out_b64,
                               pol_imagemeta_scratch_t *scratch, pol_imagemeta_report_t *rep);

#endif
