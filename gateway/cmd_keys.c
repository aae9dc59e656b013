/*
 * `aigw keys` credential commands (see cmd_keys.h). Secrets are 24 random bytes in hex behind a
 * readable prefix ("aigw-client-", "aigw-admin-") so a leaked one is recognisable in a scan; they
 * are printed once and only their hash (gw_config_hash_key, the same BLAKE2b-256 the config's
 * "key_hash" uses) reaches the store. The commands open only the store (gw_config_load_store_only).
 */
#include "gateway/cmd_keys.h"
#include "gateway/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "gateway/config.h"
#include "gateway/store/store.h"
#include "policy/pricing.h"

static const char usage[] =
    "usage: aigw keys add client NAME [--markup FACTOR] [--config FILE]   new client key (printed once)\n"
    "       aigw keys add admin ops|privacy|admin [--config FILE]          new admin token (printed once)\n"
    "       aigw keys list [--all] [--config FILE]                         ids, kinds, names; never secrets\n"
    "       aigw keys revoke ID [--config FILE]                            stop accepting a key or token\n"
    "       aigw keys hash [--new]        the \"key_hash\" form of a secret read from stdin (or of a new one)\n"
    "                                     for the config file: {\"name\": ..., \"key_hash\": \"blake2b:...\"}\n"
    "Running gateways on the same store pick up add/revoke within 5 s, or at once on SIGHUP.\n";

typedef struct {
    const char *config, *markup;
    const char *pos[4];
    int npos, all, fresh, help;
} opts_t;

static int parse(int argc, char **argv, opts_t *o)
{
    memset(o, 0, sizeof(*o));
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
            o->help = 1;
        else if ((strcmp(a, "--config") == 0 || strcmp(a, "-c") == 0) && i + 1 < argc)
            o->config = argv[++i];
        else if (strncmp(a, "--config=", 9) == 0)
            o->config = a + 9;
        else if (strcmp(a, "--markup") == 0 && i + 1 < argc)
            o->markup = argv[++i];
        else if (strcmp(a, "--all") == 0)
            o->all = 1;
        else if (strcmp(a, "--new") == 0)
            o->fresh = 1;
        else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "aigw keys: unknown option %s\n%s", a, usage);
            return 2;
        } else if (o->npos < 4)
            o->pos[o->npos++] = a;
        else {
            fprintf(stderr, "aigw keys: too many arguments\n%s", usage);
            return 2;
        }
    }
    return 0;
}

/* A new secret: prefix + 48 hex digits (192 bits). */
static void new_secret(const char *prefix, char *out, size_t outlen)
{
    unsigned char rnd[24];
    char hex[2 * sizeof(rnd) + 1];
    randombytes_buf(rnd, sizeof(rnd));
    sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
    snprintf(out, outlen, "%s%s", prefix, hex);
    sodium_memzero(rnd, sizeof(rnd));
    sodium_memzero(hex, sizeof(hex));
}

static void print_hash(const char *secret)
{
    unsigned char h[GW_KEY_HASH_BYTES];
    char hex[2 * GW_KEY_HASH_BYTES + 1];
    gw_config_hash_key(secret, strlen(secret), h);
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    printf("blake2b:%s\n", hex);
}

static int cmd_hash(const opts_t *o)
{
    char line[1024];
    if (o->fresh) {
        new_secret("aigw-client-", line, sizeof(line));
        printf("secret (shown once; give it to the client, keep only the hash in the config):\n%s\nkey_hash:\n", line);
        print_hash(line);
        sodium_memzero(line, sizeof(line));
        return 0;
    }
    if (o->npos > 1) {
        fprintf(stderr, "aigw keys hash: give the secret on stdin, not as an argument (it would stay in the shell history)\n");
        return 2;
    }
    if (fgets(line, sizeof(line), stdin) == NULL) {
        fprintf(stderr, "aigw keys hash: expected the secret on stdin\n");
        return 2;
    }
    line[strcspn(line, "\r\n")] = '\0';
    if (strlen(line) < 12) {
        fprintf(stderr, "aigw keys hash: a secret has at least 12 characters (the config refuses shorter ones)\n");
        sodium_memzero(line, sizeof(line));
        return 1;
    }
    print_hash(line);
    sodium_memzero(line, sizeof(line));
    return 0;
}

static int cmd_add(const opts_t *o)
{
    if (o->npos != 3 || (strcmp(o->pos[1], "client") != 0 && strcmp(o->pos[1], "admin") != 0)) {
        fputs(usage, stderr);
        return 2;
    }
    gw_store_key_t k;
    memset(&k, 0, sizeof(k));
    snprintf(k.kind, sizeof(k.kind), "%s", o->pos[1]);
    int admin = strcmp(k.kind, "admin") == 0;
    if (admin && strcmp(o->pos[2], "ops") != 0 && strcmp(o->pos[2], "privacy") != 0 && strcmp(o->pos[2], "admin") != 0) {
        fprintf(stderr, "aigw keys add admin: the role is ops, privacy or admin (got \"%s\")\n", o->pos[2]);
        return 2;
    }
    if (strlen(o->pos[2]) == 0 || strlen(o->pos[2]) >= sizeof(k.name)) {
        fprintf(stderr, "aigw keys add: the name is 1..%zu bytes\n", sizeof(k.name) - 1);
        return 2;
    }
    snprintf(k.name, sizeof(k.name), "%s", o->pos[2]);
    k.markup_permille = 1000;
    if (o->markup != NULL) {
        json_t *m = json_loads(o->markup, JSON_DECODE_ANY, NULL);
        int bad = admin || m == NULL || pol_pricing_markup_permille(m, &k.markup_permille) != 0;
        json_decref(m);
        if (bad) {
            fprintf(stderr, "aigw keys add: --markup is a factor such as 1.2 (0.001..1000), for client keys\n");
            return 2;
        }
    }
    char secret[96], id[GW_STORE_KEY_ID_CHARS + 1];
    new_secret(admin ? "aigw-admin-" : "aigw-client-", secret, sizeof(secret));
    gw_config_hash_key(secret, strlen(secret), k.hash);
    gw_store_t *st = gw_cli_open_store("aigw keys", o->config, NULL);
    if (st == NULL) {
        sodium_memzero(secret, sizeof(secret));
        return 1;
    }
    int rc = gw_store_keys_add(st, &k, id);
    gw_store_close(st);
    if (rc != 0) {
        sodium_memzero(secret, sizeof(secret));
        fprintf(stderr, "aigw keys add: the store refused it (see the line above)\n");
        return 1;
    }
    printf("%s\t%s\t%s\n%s\n", id, k.kind, k.name, secret);
    fprintf(stderr,
            "aigw keys: the %s above is shown once; aigw keeps only its hash. Running gateways accept it within 5 s "
            "(or at once after SIGHUP).\n",
            admin ? "token" : "key");
    sodium_memzero(secret, sizeof(secret));
    return 0;
}

static int cmd_list(const opts_t *o)
{
    gw_store_t *st = gw_cli_open_store("aigw keys", o->config, NULL);
    if (st == NULL)
        return 1;
    gw_store_key_t *keys = NULL;
    size_t n = 0;
    int rc = gw_store_keys_list(st, o->all, &keys, &n);
    gw_store_close(st);
    if (rc != 0)
        return 1;
    printf("%-17s %-7s %-24s %-7s %-20s %s\n", "ID", "KIND", "NAME/ROLE", "MARKUP", "CREATED (UTC)", "REVOKED (UTC)");
    for (size_t i = 0; i < n; i++) {
        char created[32] = "-", revoked[32] = "-";
        time_t t = (time_t)(keys[i].created_at_us / 1000000);
        struct tm tm;
        strftime(created, sizeof(created), "%Y-%m-%d %H:%M:%S", gmtime_r(&t, &tm));
        if (keys[i].revoked_at_us != 0) {
            t = (time_t)(keys[i].revoked_at_us / 1000000);
            strftime(revoked, sizeof(revoked), "%Y-%m-%d %H:%M:%S", gmtime_r(&t, &tm));
        }
        printf("%-17s %-7s %-24s %-7.3f %-20s %s\n", keys[i].id, keys[i].kind, keys[i].name, keys[i].markup_permille / 1000.0,
               created, revoked);
    }
    free(keys);
    return 0;
}

static int cmd_revoke(const opts_t *o)
{
    if (o->npos != 2) {
        fputs(usage, stderr);
        return 2;
    }
    gw_store_t *st = gw_cli_open_store("aigw keys", o->config, NULL);
    if (st == NULL)
        return 1;
    int rc = gw_store_keys_revoke(st, o->pos[1]);
    gw_store_close(st);
    if (rc == GW_STORE_E_NOTFOUND) {
        fprintf(stderr, "aigw keys revoke: no valid key with id %s (see aigw keys list --all)\n", o->pos[1]);
        return 1;
    }
    if (rc != 0)
        return 1;
    printf("revoked %s; running gateways refuse it within 5 s (or at once after SIGHUP)\n", o->pos[1]);
    return 0;
}

int gw_cmd_keys_manage(int argc, char **argv)
{
    opts_t o;
    if (parse(argc, argv, &o) != 0)
        return 2;
    if (o.help || o.npos == 0) {
        fputs(usage, o.help ? stdout : stderr);
        return o.help ? 0 : 2;
    }
    if (strcmp(o.pos[0], "add") == 0)
        return cmd_add(&o);
    if (strcmp(o.pos[0], "list") == 0)
        return cmd_list(&o);
    if (strcmp(o.pos[0], "revoke") == 0)
        return cmd_revoke(&o);
    if (strcmp(o.pos[0], "hash") == 0)
        return cmd_hash(&o);
    fprintf(stderr, "aigw keys: unknown subcommand \"%s\"\n%s", o.pos[0], usage);
    return 2;
}
