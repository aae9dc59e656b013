/*
 * Crypto envelope (see crypto.h). Every key lives in its own sodium_malloc allocation, which
 * puts it between guard pages, tries to mlock it (so it never reaches swap) and wipes it on
 * sodium_free; the page is made read-only once the key is written so a stray write faults.
 * Wrapping a data key is the same AEAD as sealing a body, with the user id as associated data.
 */
#include "policy/crypto.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

struct st_pol_key_t {
    unsigned char k[POL_CRYPTO_KEY_BYTES];
};

int pol_crypto_init(void)
{
    return sodium_init() < 0 ? -1 : 0;
}

static pol_key_t *key_alloc(void)
{
    /* sodium_malloc aborts before sodium_init (it needs the page size); init is idempotent. */
    if (sodium_init() < 0)
        return NULL;
    return sodium_malloc(sizeof(pol_key_t));
}

static void key_seal_ro(pol_key_t *k)
{
    sodium_mprotect_readonly(k);
}

pol_key_t *pol_key_new_random(void)
{
    pol_key_t *k = key_alloc();
    if (k == NULL)
        return NULL;
    crypto_aead_xchacha20poly1305_ietf_keygen(k->k);
    key_seal_ro(k);
    return k;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

pol_key_t *pol_key_from_bytes(const void *p, size_t n)
{
    const unsigned char *s = p;
    pol_key_t *k = key_alloc();
    if (k == NULL)
        return NULL;
    if (n == POL_CRYPTO_KEY_BYTES) {
        /* 32 bytes that are all hex digits could also be half a hex key: raw wins, since a
         * hex key file is always 64 digits. */
        memcpy(k->k, s, POL_CRYPTO_KEY_BYTES);
        key_seal_ro(k);
        return k;
    }
    size_t b = 0, e = n;
    while (b < e && is_space(s[b]))
        b++;
    while (e > b && is_space(s[e - 1]))
        e--;
    size_t got = 0;
    if (e - b != 2 * POL_CRYPTO_KEY_BYTES ||
        sodium_hex2bin(k->k, sizeof(k->k), (const char *)s + b, e - b, NULL, &got, NULL) != 0 || got != POL_CRYPTO_KEY_BYTES) {
        sodium_free(k);
        return NULL;
    }
    key_seal_ro(k);
    return k;
}

void pol_key_free(pol_key_t *k)
{
    if (k != NULL)
        sodium_free(k); /* wipes, then unmaps (read-only pages are made writable first) */
}

void pol_key_hex(const pol_key_t *k, char out[2 * POL_CRYPTO_KEY_BYTES + 1])
{
    sodium_bin2hex(out, 2 * POL_CRYPTO_KEY_BYTES + 1, k->k, POL_CRYPTO_KEY_BYTES);
}

void pol_key_id(const pol_key_t *k, char out[POL_CRYPTO_KEY_ID_CHARS + 1])
{
    static const char label[] = "aigw master key id";
    unsigned char h[POL_CRYPTO_KEY_ID_CHARS / 2];
    crypto_generichash(h, sizeof(h), (const unsigned char *)label, sizeof(label) - 1, k->k, sizeof(k->k));
    sodium_bin2hex(out, POL_CRYPTO_KEY_ID_CHARS + 1, h, sizeof(h));
}

int pol_crypto_wrap(const pol_key_t *mk, const pol_key_t *dk, const char *user_id, unsigned char out[POL_CRYPTO_WRAPPED_BYTES])
{
    return pol_crypto_seal(mk, user_id, strlen(user_id), dk->k, POL_CRYPTO_KEY_BYTES, out, out + POL_CRYPTO_NONCE_BYTES);
}

pol_key_t *pol_crypto_unwrap(const pol_key_t *mk, const unsigned char *w, size_t wlen, const char *user_id)
{
    if (w == NULL || wlen != POL_CRYPTO_WRAPPED_BYTES)
        return NULL;
    pol_key_t *k = key_alloc();
    if (k == NULL)
        return NULL;
    if (pol_crypto_open(mk, user_id, strlen(user_id), w, w + POL_CRYPTO_NONCE_BYTES, wlen - POL_CRYPTO_NONCE_BYTES, k->k) != 0) {
        sodium_free(k);
        return NULL;
    }
    key_seal_ro(k);
    return k;
}

static int seal_with(const pol_key_t *dk, const char *ad, size_t adlen, const void *pt, size_t n,
                     const unsigned char nonce[POL_CRYPTO_NONCE_BYTES], unsigned char *ct)
{
    unsigned long long clen = 0;
    return crypto_aead_xchacha20poly1305_ietf_encrypt(ct, &clen, pt, n, (const unsigned char *)ad, adlen, NULL, nonce, dk->k) == 0
               ? 0
               : -1;
}

/*
 * Nonces from a per-thread pool of system randomness (issue 12 session 7). libsodium's
 * randombytes_buf is one getrandom(2) system call per draw (per 256 bytes: libsodium's limit for
 * one call), and the store's writer seals every logged call: one system call per call, plus the
 * kernel's own ChaCha20 work for 48 bytes. The pool is filled by one getrandom(2) of
 * NONCE_POOL_BYTES (the kernel returns up to 32 MiB per call; a read cut short by a signal goes on,
 * an error falls back to randombytes_buf) and handed out front to back, each byte once, so every
 * nonce is still a draw of the system's generator (no generator of our own: the bytes are the
 * kernel's). Nonces are stored beside the ciphertext,
 * so the pool holds nothing secret; what matters is that no two seals get the same bytes:
 * - threads: the pool is thread-local (each thread draws its own bytes from the kernel);
 * - fork: a child inherits a copy of the pool, and the parent and the child would hand out the
 *   same bytes. A pthread_atfork child handler bumps a generation that every draw compares, so a
 *   child refills before its first nonce (the pattern of libsodium's own user-space generator,
 *   which compares the pid instead: getpid is a system call since glibc 2.25).
 * A process that forks without pthread_atfork handlers (a raw clone(2)) is not supported; aigw
 * does not fork after start.
 */
#define NONCE_POOL_BYTES 4096

static atomic_uint g_pool_gen = 1;
static pthread_once_t g_pool_once = PTHREAD_ONCE_INIT;

static void pool_after_fork(void)
{
    atomic_fetch_add_explicit(&g_pool_gen, 1, memory_order_relaxed);
}

static void pool_register(void)
{
    /* the pool's generation moves on in a child; on failure every draw goes to the kernel */
    if (pthread_atfork(NULL, NULL, pool_after_fork) != 0)
        atomic_store_explicit(&g_pool_gen, 0, memory_order_relaxed);
}

static _Thread_local struct {
    unsigned char b[NONCE_POOL_BYTES];
    size_t used;  /* bytes handed out from the front */
    unsigned gen; /* g_pool_gen when filled; 0: empty */
} t_pool;

/* Fills `b` with `n` bytes of the kernel's generator. */
static void pool_fill(unsigned char *b, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = getrandom(b + got, n - got, 0);
        if (r > 0)
            got += (size_t)r;
        else if (r < 0 && errno != EINTR)
            break;
    }
    if (got < n)
        randombytes_buf(b + got, n - got); /* ENOSYS and the like: libsodium's own way */
}

/* `n` random bytes for nonces, each byte drawn once from the system's generator. */
static void nonce_draw(unsigned char *out, size_t n)
{
    pthread_once(&g_pool_once, pool_register);
    unsigned gen = atomic_load_explicit(&g_pool_gen, memory_order_relaxed);
    if (gen == 0 || n > NONCE_POOL_BYTES) {
        randombytes_buf(out, n);
        return;
    }
    if (t_pool.gen != gen || NONCE_POOL_BYTES - t_pool.used < n) {
        pool_fill(t_pool.b, NONCE_POOL_BYTES);
        t_pool.used = 0;
        t_pool.gen = gen;
    }
    memcpy(out, t_pool.b + t_pool.used, n);
    t_pool.used += n;
}

int pol_crypto_seal(const pol_key_t *dk, const char *ad, size_t adlen, const void *pt, size_t n,
                    unsigned char nonce[POL_CRYPTO_NONCE_BYTES], unsigned char *ct)
{
    nonce_draw(nonce, POL_CRYPTO_NONCE_BYTES);
    return seal_with(dk, ad, adlen, pt, n, nonce, ct);
}

int pol_crypto_seal_pair(const pol_key_t *dk, const char *ad, size_t adlen, const void *pt1, size_t n1, const void *pt2, size_t n2,
                         unsigned char nonces[2 * POL_CRYPTO_NONCE_BYTES], unsigned char *ct1, unsigned char *ct2)
{
    /* both nonces are independent random draws of 192 bits, as two pol_crypto_seal calls make */
    nonce_draw(nonces, 2 * POL_CRYPTO_NONCE_BYTES);
    if (pt1 == NULL)
        sodium_memzero(nonces, POL_CRYPTO_NONCE_BYTES);
    if (pt2 == NULL)
        sodium_memzero(nonces + POL_CRYPTO_NONCE_BYTES, POL_CRYPTO_NONCE_BYTES);
    if (pt1 != NULL && seal_with(dk, ad, adlen, pt1, n1, nonces, ct1) != 0)
        return -1;
    if (pt2 != NULL && seal_with(dk, ad, adlen, pt2, n2, nonces + POL_CRYPTO_NONCE_BYTES, ct2) != 0)
        return -1;
    return 0;
}

int pol_crypto_open(const pol_key_t *dk, const char *ad, size_t adlen, const unsigned char nonce[POL_CRYPTO_NONCE_BYTES],
                    const unsigned char *ct, size_t ctlen, unsigned char *pt)
{
    unsigned long long plen = 0;
    if (ctlen < POL_CRYPTO_TAG_BYTES)
        return -1;
    return crypto_aead_xchacha20poly1305_ietf_decrypt(pt, &plen, NULL, ct, ctlen, (const unsigned char *)ad, adlen, nonce, dk->k) ==
                   0
               ? 0
               : -1;
}

struct st_pol_keyring_t {
    size_t n;
    pol_key_t *slots; /* n keys in one sodium_malloc region */
};

pol_keyring_t *pol_keyring_new(size_t n)
{
    pol_keyring_t *r = calloc(1, sizeof(*r));
    if (r == NULL || n == 0 || n > SIZE_MAX / sizeof(pol_key_t) || sodium_init() < 0 ||
        (r->slots = sodium_allocarray(n, sizeof(pol_key_t))) == NULL) {
        free(r);
        return NULL;
    }
    r->n = n;
    sodium_memzero(r->slots, n * sizeof(pol_key_t));
    sodium_mprotect_readonly(r->slots);
    return r;
}

void pol_keyring_free(pol_keyring_t *r)
{
    if (r == NULL)
        return;
    sodium_free(r->slots);
    free(r);
}

const pol_key_t *pol_keyring_unwrap(pol_keyring_t *r, size_t i, const pol_key_t *mk, const unsigned char *w, size_t wlen,
                                    const char *user_id)
{
    if (i >= r->n)
        return NULL;
    pol_key_t *k = &r->slots[i];
    int ok = 0;
    sodium_mprotect_readwrite(r->slots);
    if (w != NULL && wlen == POL_CRYPTO_WRAPPED_BYTES)
        ok = pol_crypto_open(mk, user_id, strlen(user_id), w, w + POL_CRYPTO_NONCE_BYTES, wlen - POL_CRYPTO_NONCE_BYTES, k->k) == 0;
    if (!ok)
        sodium_memzero(k, sizeof(*k));
    sodium_mprotect_readonly(r->slots);
    return ok ? k : NULL;
}

void pol_keyring_wipe(pol_keyring_t *r, size_t i)
{
    if (i >= r->n)
        return;
    sodium_mprotect_readwrite(r->slots);
    sodium_memzero(&r->slots[i], sizeof(pol_key_t));
    sodium_mprotect_readonly(r->slots);
}
