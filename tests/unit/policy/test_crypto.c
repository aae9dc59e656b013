/* Unit tests for policy/crypto: the envelope (key parsing, wrap/unwrap bound to the user,
 * AEAD bound to the request id) fails closed on every mismatch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "policy/crypto.h"

static int setup(void **state)
{
    return pol_crypto_init();
}

static void test_key_parse(void **state)
{
    const char *hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    char text[80], out[65];
    snprintf(text, sizeof(text), "  %s\n", hex);
    pol_key_t *k = pol_key_from_bytes(text, strlen(text));
    assert_non_null(k);
    pol_key_hex(k, out);
    assert_string_equal(out, hex);

    unsigned char raw[32];
    for (int i = 0; i < 32; i++)
        raw[i] = (unsigned char)i;
    pol_key_t *k2 = pol_key_from_bytes(raw, sizeof(raw));
    assert_non_null(k2);
    char id1[17], id2[17];
    pol_key_id(k, id1);
    pol_key_id(k2, id2);
    assert_string_equal(id1, id2); /* same bytes, same id */
    assert_int_equal(strlen(id1), 16);

    assert_null(pol_key_from_bytes(hex, 63)); /* short */
    assert_null(pol_key_from_bytes("zz", 2)); /* not hex */
    char bad[65];
    memcpy(bad, hex, 64);
    bad[10] = 'g';
    assert_null(pol_key_from_bytes(bad, 64));
    pol_key_free(k);
    pol_key_free(k2);
}

static void test_wrap_bound_to_user_and_master(void **state)
{
    pol_key_t *mk = pol_key_new_random(), *mk2 = pol_key_new_random(), *dk = pol_key_new_random();
    unsigned char w[POL_CRYPTO_WRAPPED_BYTES];
    char a[65], b[65], id1[17], id2[17];
    assert_int_equal(pol_crypto_wrap(mk, dk, "alice", w), 0);
    pol_key_t *got = pol_crypto_unwrap(mk, w, sizeof(w), "alice");
    assert_non_null(got);
    pol_key_hex(dk, a);
    pol_key_hex(got, b);
    assert_string_equal(a, b);
    assert_null(pol_crypto_unwrap(mk, w, sizeof(w), "bob"));    /* moved to another user's row */
    assert_null(pol_crypto_unwrap(mk2, w, sizeof(w), "alice")); /* other master key */
    assert_null(pol_crypto_unwrap(mk, w, sizeof(w) - 1, "alice"));
    w[30] ^= 1;
    assert_null(pol_crypto_unwrap(mk, w, sizeof(w), "alice")); /* tampered */
    pol_key_id(mk, id1);
    pol_key_id(mk2, id2);
    assert_string_not_equal(id1, id2);
    pol_key_free(got);
    pol_key_free(mk);
    pol_key_free(mk2);
    pol_key_free(dk);
}

static void test_seal_open(void **state)
{
    pol_key_t *dk = pol_key_new_random(), *other = pol_key_new_random();
    const char *msg = "{\"messages\":[{\"content\":\"hello <EMAIL_ADDRESS_1>\"}]}";
    size_t n = strlen(msg);
    unsigned char nonce[POL_CRYPTO_NONCE_BYTES], nonce2[POL_CRYPTO_NONCE_BYTES], ct[128], ct2[128], pt[128];
    assert_int_equal(pol_crypto_seal(dk, "req-1", 5, msg, n, nonce, ct), 0);
    assert_null(memmem(ct, n + POL_CRYPTO_TAG_BYTES, "hello", 5)); /* no plaintext in the ciphertext */
    assert_int_equal(pol_crypto_open(dk, "req-1", 5, nonce, ct, n + POL_CRYPTO_TAG_BYTES, pt), 0);
    assert_memory_equal(pt, msg, n);
    assert_int_equal(pol_crypto_open(dk, "req-2", 5, nonce, ct, n + POL_CRYPTO_TAG_BYTES, pt), -1);    /* other request id */
    assert_int_equal(pol_crypto_open(other, "req-1", 5, nonce, ct, n + POL_CRYPTO_TAG_BYTES, pt), -1); /* other key */
    assert_int_equal(pol_crypto_open(dk, "req-1", 5, nonce, ct, 3, pt), -1);                           /* shorter than a tag */
    /* Fresh nonce per seal: the same plaintext never gives the same ciphertext. */
    assert_int_equal(pol_crypto_seal(dk, "req-1", 5, msg, n, nonce2, ct2), 0);
    assert_memory_not_equal(nonce, nonce2, sizeof(nonce));
    assert_memory_not_equal(ct, ct2, n);
    ct[0] ^= 0x80;
    assert_int_equal(pol_crypto_open(dk, "req-1", 5, nonce, ct, n + POL_CRYPTO_TAG_BYTES, pt), -1); /* tampered */
    /* Empty body. */
    assert_int_equal(pol_crypto_seal(dk, "r", 1, "", 0, nonce, ct), 0);
    assert_int_equal(pol_crypto_open(dk, "r", 1, nonce, ct, POL_CRYPTO_TAG_BYTES, pt), 0);
    pol_key_free(dk);
    pol_key_free(other);
}

/* Two bodies sealed at once (the call log's request and response): each opens alone with its own
 * nonce, as pol_crypto_seal's output does; the nonces differ; a missing body gets a zero nonce and
 * no ciphertext. */
static void test_seal_pair(void **state)
{
    pol_key_t *dk = pol_key_new_random();
    const char *req = "{\"messages\":[{\"content\":\"hello\"}]}", *resp = "{\"choices\":[{\"text\":\"hi\"}]}";
    size_t n1 = strlen(req), n2 = strlen(resp);
    unsigned char nonces[2 * POL_CRYPTO_NONCE_BYTES], ct1[128], ct2[128], pt[128], zero[POL_CRYPTO_NONCE_BYTES] = {0};
    assert_int_equal(pol_crypto_seal_pair(dk, "req-1", 5, req, n1, resp, n2, nonces, ct1, ct2), 0);
    assert_memory_not_equal(nonces, nonces + POL_CRYPTO_NONCE_BYTES, POL_CRYPTO_NONCE_BYTES);
    assert_int_equal(pol_crypto_open(dk, "req-1", 5, nonces, ct1, n1 + POL_CRYPTO_TAG_BYTES, pt), 0);
    assert_memory_equal(pt, req, n1);
    assert_int_equal(pol_crypto_open(dk, "req-1", 5, nonces + POL_CRYPTO_NONCE_BYTES, ct2, n2 + POL_CRYPTO_TAG_BYTES, pt), 0);
    assert_memory_equal(pt, resp, n2);
    /* each nonce belongs to its own body, and the request id is bound to both */
    assert_int_equal(pol_crypto_open(dk, "req-1", 5, nonces + POL_CRYPTO_NONCE_BYTES, ct1, n1 + POL_CRYPTO_TAG_BYTES, pt), -1);
    assert_int_equal(pol_crypto_open(dk, "req-2", 5, nonces, ct1, n1 + POL_CRYPTO_TAG_BYTES, pt), -1);
    /* fresh nonces on every call */
    unsigned char again[2 * POL_CRYPTO_NONCE_BYTES];
    assert_int_equal(pol_crypto_seal_pair(dk, "req-1", 5, req, n1, resp, n2, again, ct1, ct2), 0);
    assert_memory_not_equal(again, nonces, POL_CRYPTO_NONCE_BYTES);
    assert_memory_not_equal(again + POL_CRYPTO_NONCE_BYTES, nonces + POL_CRYPTO_NONCE_BYTES, POL_CRYPTO_NONCE_BYTES);
    /* only a response (a request logged without its body): the request's nonce is zero */
    memset(ct1, 0xAA, sizeof(ct1));
    assert_int_equal(pol_crypto_seal_pair(dk, "req-3", 5, NULL, 0, resp, n2, nonces, ct1, ct2), 0);
    assert_memory_equal(nonces, zero, sizeof(zero));
    assert_int_equal(ct1[0], 0xAA);
    assert_int_equal(pol_crypto_open(dk, "req-3", 5, nonces + POL_CRYPTO_NONCE_BYTES, ct2, n2 + POL_CRYPTO_TAG_BYTES, pt), 0);
    assert_memory_equal(pt, resp, n2);
    /* only a request */
    assert_int_equal(pol_crypto_seal_pair(dk, "req-4", 5, req, n1, NULL, 0, nonces, ct1, ct2), 0);
    assert_memory_equal(nonces + POL_CRYPTO_NONCE_BYTES, zero, sizeof(zero));
    assert_int_equal(pol_crypto_open(dk, "req-4", 5, nonces, ct1, n1 + POL_CRYPTO_TAG_BYTES, pt), 0);
    assert_memory_equal(pt, req, n1);
    pol_key_free(dk);
}

static int cmp_nonce(const void *a, const void *b)
{
    return memcmp(a, b, POL_CRYPTO_NONCE_BYTES);
}

/* Nonces come from a per-thread pool of system randomness (crypto.c): across many pool refills
 * no nonce repeats and none is zero, and every sealed body still opens with its own nonce. */
static void test_nonces_never_repeat(void **state)
{
    (void)state;
    enum { PAIRS = 1000 }; /* about 12 pools of 4 KiB */
    pol_key_t *dk = pol_key_new_random();
    unsigned char(*all)[POL_CRYPTO_NONCE_BYTES] = calloc(3 * PAIRS, POL_CRYPTO_NONCE_BYTES);
    unsigned char zero[POL_CRYPTO_NONCE_BYTES] = {0}, ct1[64], ct2[64], pt[64];
    assert_non_null(all);
    for (int i = 0; i < PAIRS; i++) {
        char rid[16];
        snprintf(rid, sizeof(rid), "req-%d", i);
        assert_int_equal(pol_crypto_seal_pair(dk, rid, strlen(rid), "abc", 3, "defg", 4, all[2 * i], ct1, ct2), 0);
        assert_int_equal(pol_crypto_open(dk, rid, strlen(rid), all[2 * i], ct1, 3 + POL_CRYPTO_TAG_BYTES, pt), 0);
        assert_int_equal(pol_crypto_open(dk, rid, strlen(rid), all[2 * i + 1], ct2, 4 + POL_CRYPTO_TAG_BYTES, pt), 0);
        assert_memory_equal(pt, "defg", 4);
        /* single seals (key wrapping, prediction vaults) draw from the same pool */
        assert_int_equal(pol_crypto_seal(dk, rid, strlen(rid), "x", 1, all[2 * PAIRS + i], ct1), 0);
    }
    qsort(all, 3 * PAIRS, POL_CRYPTO_NONCE_BYTES, cmp_nonce);
    for (int i = 0; i < 3 * PAIRS; i++) {
        assert_memory_not_equal(all[i], zero, POL_CRYPTO_NONCE_BYTES);
        if (i > 0)
            assert_memory_not_equal(all[i], all[i - 1], POL_CRYPTO_NONCE_BYTES);
    }
    free(all);
    pol_key_free(dk);
}

/* A child of fork() inherits a copy of the thread's nonce pool: it must not hand out the bytes
 * the parent hands out next (the same key and nonce in two processes would reuse a keystream). */
static void test_nonces_after_fork(void **state)
{
    (void)state;
    pol_key_t *dk = pol_key_new_random();
    unsigned char n0[POL_CRYPTO_NONCE_BYTES], parent[POL_CRYPTO_NONCE_BYTES], child[POL_CRYPTO_NONCE_BYTES], ct[64];
    assert_int_equal(pol_crypto_seal(dk, "r", 1, "x", 1, n0, ct), 0); /* the pool is filled now */
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int ok =
            pol_crypto_seal(dk, "r", 1, "x", 1, child, ct) == 0 && write(fds[1], child, sizeof(child)) == (ssize_t)sizeof(child);
        _exit(ok ? 0 : 1);
    }
    close(fds[1]);
    assert_int_equal(pol_crypto_seal(dk, "r", 1, "x", 1, parent, ct), 0);
    assert_int_equal(read(fds[0], child, sizeof(child)), (ssize_t)sizeof(child));
    close(fds[0]);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_memory_not_equal(parent, child, sizeof(child));
    assert_memory_not_equal(n0, child, sizeof(child));
    pol_key_free(dk);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_parse),           cmocka_unit_test(test_wrap_bound_to_user_and_master),
        cmocka_unit_test(test_seal_open),           cmocka_unit_test(test_seal_pair),
        cmocka_unit_test(test_nonces_never_repeat), cmocka_unit_test(test_nonces_after_fork),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
