/*
 * Store CLI commands (see cmd_store.h). Each command parses its own few options, loads the
 * config like `aigw serve` does (gw_config_load, or the embedded defaults), opens the store
 * with the same sections (store, retention, log_bodies, master_key_file) and runs one blocking
 * store operation. Opening the store while a gateway runs on the same database is fine: SQLite
 * waits on its lock (busy timeout), PostgreSQL serialises with transactions. Output meant for
 * scripts (receipts, exports) goes to stdout as JSON; messages go to stderr.
 */
#include "gateway/cmd_store.h"
#include "gateway/cli.h"
#include "gateway/config.h"
#include "gateway/store/keyfile.h"
#include "gateway/store/store.h"
#include "policy/crypto.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef struct st_opts_t {
    const char *config;
    const char *pos[3]; /* positional arguments */
    int npos;
    int dry_run;
    const char *new_key;
    int help;
} opts_t;

/* Parses --config FILE, --dry-run, --new-key FILE, --help and up to 3 positionals. @return 0, or 2 (usage). */
static int parse_opts(int argc, char **argv, opts_t *o, int allow_dry_run, int allow_new_key)
{
    memset(o, 0, sizeof(*o));
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            o->help = 1;
        } else if ((strcmp(a, "--config") == 0 || strcmp(a, "-c") == 0) && i + 1 < argc) {
            o->config = argv[++i];
        } else if (strncmp(a, "--config=", 9) == 0) {
            o->config = a + 9;
        } else if (allow_dry_run && strcmp(a, "--dry-run") == 0) {
            o->dry_run = 1;
        } else if (allow_new_key && strcmp(a, "--new-key") == 0 && i + 1 < argc) {
            o->new_key = argv[++i];
        } else if (allow_new_key && strncmp(a, "--new-key=", 10) == 0) {
            o->new_key = a + 10;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "aigw %s: unknown option %s (see --help)\n", argv[0], a);
            return 2;
        } else if (o->npos < 3) {
            o->pos[o->npos++] = a;
        } else {
            fprintf(stderr, "aigw %s: too many arguments\n", argv[0]);
            return 2;
        }
    }
    return 0;
}

int gw_cmd_keygen(int argc, char **argv)
{
    opts_t o;
    char err[512];
    if (parse_opts(argc, argv, &o, 0, 0) != 0)
        return 2;
    if (o.help) {
        puts("usage: aigw keygen [FILE] [--config FILE]\n"
             "  Writes a new random 256-bit master key as 64 hex digits to FILE (default: the config's\n"
             "  master_key_file) with mode 0600. Refuses to overwrite an existing file: losing the old key\n"
             "  makes every logged body unreadable.");
        return 0;
    }
    const char *path = o.npos > 0 ? o.pos[0] : NULL;
    gw_config_t *cfg = NULL;
    if (path == NULL) {
        if ((cfg = gw_cli_load_config("aigw", o.config, GW_CLI_CONFIG_STORE_ONLY)) == NULL)
            return 1;
        path = gw_config_master_key_file(cfg);
        if (path == NULL) {
            fprintf(stderr, "aigw keygen: no FILE given and the config has no master_key_file\n");
            gw_config_free(cfg);
            return 2;
        }
    }
    int rc = 1;
    pol_key_t *k = pol_crypto_init() == 0 ? pol_key_new_random() : NULL;
    if (k == NULL) {
        fprintf(stderr, "aigw keygen: cannot create a key (libsodium)\n");
    } else if (gw_keyfile_write(path, k, err, sizeof(err)) != 0) {
        fprintf(stderr, "aigw keygen: %s\n", err);
    } else {
        char id[POL_CRYPTO_KEY_ID_CHARS + 1];
        pol_key_id(k, id);
        printf("wrote master key %s to %s (mode 0600); back it up apart from the database\n", id, path);
        rc = 0;
    }
    pol_key_free(k);
    gw_config_free(cfg);
    return rc;
}

static void progress_bar(void *ctx, pol_retention_class_t cls, int64_t done, int64_t total)
{
    int width = 30, fill = total > 0 ? (int)(done * width / total) : width;
    char bar[32];
    for (int i = 0; i < width; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[width] = '\0';
    printf("\r%-14s [%s] %lld/%lld", pol_retention_name(cls), bar, (long long)done, (long long)total);
    if (done >= total)
        printf("\n");
    fflush(stdout);
}

int gw_cmd_purge(int argc, char **argv)
{
    opts_t o;
    if (parse_opts(argc, argv, &o, 1, 0) != 0)
        return 2;
    if (o.help) {
        puts("usage: aigw purge [--dry-run] [--config FILE]\n"
             "  Deletes every record past its retention (config \"retention\") now, in small batches, and\n"
             "  prints the rows removed per class; --dry-run only counts. The gateway also purges on its own\n"
             "  every store.purge_interval_s seconds.");
        return 0;
    }
    if (o.npos > 0) {
        fprintf(stderr, "aigw purge: unexpected argument %s\n", o.pos[0]);
        return 2;
    }
    gw_store_t *st = gw_cli_open_store("aigw", o.config, NULL);
    if (st == NULL)
        return 1;
    gw_purge_counts_t counts;
    int tty = isatty(STDOUT_FILENO);
    int rc = gw_store_purge(st, o.dry_run, &counts, tty && !o.dry_run ? progress_bar : NULL, NULL);
    if (rc != 0) {
        fprintf(stderr, "aigw purge: failed (see the message above); rows already deleted stay deleted\n");
    } else {
        for (int c = 0; c < POL_RET_NCLASSES; c++)
            printf("%s: %lld %s\n", pol_retention_name(c), (long long)counts.rows[c], o.dry_run ? "would be deleted" : "deleted");
    }
    gw_store_close(st);
    return rc == 0 ? 0 : 1;
}

static int user_usage(const char *what)
{
    fprintf(stderr, "usage: aigw user forget ID | export ID | consent ID [on|off]  [--config FILE]%s%s\n", what ? "\n" : "",
            what ? what : "");
    return 2;
}

int gw_cmd_user_forget(int argc, char **argv)
{
    opts_t o;
    if (parse_opts(argc, argv, &o, 0, 0) != 0)
        return 2;
    if (o.help) {
        puts("usage: aigw user forget ID [--config FILE]\n"
             "  Erases the user: destroys their data key first (their logged bodies become unreadable in every\n"
             "  copy), then deletes their calls, redactions and access log rows; ledger rows keep their amounts\n"
             "  under a tombstone id. Prints the receipt as JSON.");
        return 0;
    }
    if (o.npos != 1)
        return user_usage("forget needs exactly one user id");
    gw_store_t *st = gw_cli_open_store("aigw", o.config, NULL);
    if (st == NULL)
        return 1;
    gw_erasure_receipt_t r;
    int rc = gw_store_forget_user(st, o.pos[0], &r);
    if (rc == 0) {
        json_t *j = json_pack("{s:s, s:s, s:b, s:{s:I, s:I, s:I}, s:I, s:I}", "user", r.user_id, "tombstone", r.tombstone,
                              "key_destroyed", r.key_destroyed, "deleted", "calls", (json_int_t)r.calls, "redactions",
                              (json_int_t)r.redactions, "access_log", (json_int_t)r.access_log, "ledger_tombstoned",
                              (json_int_t)r.ledger_tombstoned, "at", (json_int_t)r.at_us);
        if (j != NULL)
            json_dumpf(j, stdout, JSON_COMPACT);
        printf("\n");
        json_decref(j);
    } else if (rc == GW_STORE_E_NOTFOUND) {
        fprintf(stderr, "aigw user forget: no such user (the store holds nothing for this id; nothing was erased)\n");
    } else {
        fprintf(stderr, "aigw user forget: failed (the store's message above names the cause)\n");
    }
    gw_store_close(st);
    return rc == 0 ? 0 : 1;
}

static int stdout_write(void *ctx, const char *p, size_t n)
{
    return fwrite(p, 1, n, stdout) == n ? 0 : -1;
}

int gw_cmd_user_export(int argc, char **argv)
{
    opts_t o;
    if (parse_opts(argc, argv, &o, 0, 0) != 0)
        return 2;
    if (o.help) {
        puts("usage: aigw user export ID [--config FILE]\n"
             "  Writes one JSON document with the user's consent, calls (bodies decrypted), redaction entries,\n"
             "  ledger and access log to stdout, streamed.");
        return 0;
    }
    if (o.npos != 1)
        return user_usage("export needs exactly one user id");
    gw_store_t *st = gw_cli_open_store("aigw", o.config, NULL);
    if (st == NULL)
        return 1;
    int rc = gw_store_export_user(st, o.pos[0], stdout_write, NULL);
    if (rc == GW_STORE_E_NOTFOUND)
        fprintf(stderr, "aigw user export: no such user\n");
    else if (rc != 0)
        fprintf(stderr, "aigw user export: failed\n");
    if (fflush(stdout) != 0)
        rc = -1;
    gw_store_close(st);
    return rc == 0 ? 0 : 1;
}

int gw_cmd_user_consent(int argc, char **argv)
{
    opts_t o;
    if (parse_opts(argc, argv, &o, 0, 0) != 0)
        return 2;
    if (o.help) {
        puts("usage: aigw user consent ID [on|off] [--config FILE]\n"
             "  Records (on/off) or prints the user's consent to provider training.");
        return 0;
    }
    if (o.npos < 1 || o.npos > 2 || (o.npos == 2 && strcmp(o.pos[1], "on") && strcmp(o.pos[1], "off")))
        return user_usage("consent needs a user id and optionally on or off");
    gw_store_t *st = gw_cli_open_store("aigw", o.config, NULL);
    if (st == NULL)
        return 1;
    int training = 0, rc;
    if (o.npos == 2) {
        training = strcmp(o.pos[1], "on") == 0;
        rc = gw_store_set_consent(st, o.pos[0], training);
    } else {
        rc = gw_store_get_consent(st, o.pos[0], &training);
    }
    if (rc == 0) {
        json_t *j = json_pack("{s:s, s:b}", "id", o.pos[0], "consent_training", training);
        if (j != NULL)
            json_dumpf(j, stdout, JSON_COMPACT);
        printf("\n");
        json_decref(j);
    } else {
        fprintf(stderr, "aigw user consent: %s\n", rc == GW_STORE_E_NOTFOUND ? "no such user" : "failed");
    }
    gw_store_close(st);
    return rc == 0 ? 0 : 1;
}

int gw_cmd_user(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        user_usage(NULL);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "forget") == 0)
        return gw_cmd_user_forget(argc - 1, argv + 1);
    if (strcmp(sub, "export") == 0)
        return gw_cmd_user_export(argc - 1, argv + 1);
    if (strcmp(sub, "consent") == 0)
        return gw_cmd_user_consent(argc - 1, argv + 1);
    fprintf(stderr, "aigw user: unknown subcommand \"%s\"\n", sub);
    return user_usage(NULL);
}

int gw_cmd_keys(int argc, char **argv)
{
    opts_t o;
    if (parse_opts(argc, argv, &o, 0, 1) != 0)
        return 2;
    if (o.help || o.npos != 1 || strcmp(o.pos[0], "rotate") != 0 || o.new_key == NULL) {
        puts("usage: aigw keys rotate --new-key FILE [--config FILE]\n"
             "  Re-wraps every user's data key under the master key in FILE (create it with aigw keygen);\n"
             "  bodies are not touched. Stop the gateways using this database first. Afterwards point\n"
             "  master_key_file at FILE and destroy the old key file: from then on backups taken before\n"
             "  an erasure no longer decrypt the erased users' bodies.");
        return o.help ? 0 : 2;
    }
    gw_store_t *st = gw_cli_open_store("aigw", o.config, NULL);
    if (st == NULL)
        return 1;
    int rc = gw_store_rotate_master_key(st, o.new_key);
    if (rc == 0)
        printf("every user key is now wrapped by master key %s (%s)\n"
               "next: set master_key_file to %s in the config, restart, then destroy the old key file\n",
               gw_store_master_key_id(st), o.new_key, o.new_key);
    else
        fprintf(stderr, "aigw keys rotate: failed; nothing was changed\n");
    gw_store_close(st);
    return rc == 0 ? 0 : 1;
}
