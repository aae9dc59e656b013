/*
 * Metering CLI (see cmd_meter.h). Each command parses its options, loads the config like
 * `aigw serve` (gw_config_load, or the embedded defaults), opens the store with the same
 * sections and runs one blocking ledger call. Running next to a live gateway is fine: the
 * ledger serialises with transactions (SQLite busy timeout, PostgreSQL row locks).
 */
#include "gateway/cmd_meter.h"
#include "gateway/usage_report.h"
#include "gateway/cli.h"
#include "gateway/admin_privacy.h"
#include "gateway/config.h"
#include "gateway/store/store.h"
#include "gateway/store/store_ledger.h"
#include "policy/meter.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
typedef struct st_opts_t {
    const char *config, *reason, *from, *to, *group, *format, *credits, *micro;
    const char *pos[4];
    int npos, help;
} opts_t;

/* Options with a value: --config, --reason, --from, --to, --group-by, --format, --credits,
 * --microcredits (also --x=v). */
static int parse(int argc, char **argv, opts_t *o)
{
    static const char *names[] = {"--config",   "--reason", "--from",    "--to",
                                  "--group-by", "--format", "--credits", "--microcredits"};
    memset(o, 0, sizeof(*o));
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **dst[] = {&o->config, &o->reason, &o->from, &o->to, &o->group, &o->format, &o->credits, &o->micro};
        int k, matched = 0;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            o->help = 1;
            continue;
        }
        for (k = 0; k < 8; k++) {
            size_t n = strlen(names[k]);
            if (strcmp(a, names[k]) == 0 && i + 1 < argc) {
                *dst[k] = argv[++i];
                matched = 1;
            } else if (strncmp(a, names[k], n) == 0 && a[n] == '=') {
                *dst[k] = a + n + 1;
                matched = 1;
            }
            if (matched)
                break;
        }
        if (matched)
            continue;
        if (a[0] == '-' && a[1] != '\0' && !(a[1] >= '0' && a[1] <= '9')) {
            fprintf(stderr, "aigw %s: unknown option %s (see --help)\n", argv[0], a);
            return 2;
        }
        if (o->npos == 4) {
            fprintf(stderr, "aigw %s: too many arguments\n", argv[0]);
            return 2;
        }
        o->pos[o->npos++] = a;
    }
    return 0;
}

static void print_balance(const char *user, int64_t bal, int64_t res)
{
    /* user ids are printed through jansson: they may contain quotes */
    char credits[40];
    uint64_t a = bal < 0 ? (uint64_t)0 - (uint64_t)bal : (uint64_t)bal;
    snprintf(credits, sizeof(credits), "%s%" PRIu64 ".%06" PRIu64, bal < 0 ? "-" : "", a / 1000000, a % 1000000);
    json_t *o = json_pack("{s:s, s:I, s:s, s:I}", "id", user, "balance_microcredits", (json_int_t)bal, "balance_credits", credits,
                          "reserved_microcredits", (json_int_t)res);
    char *s = json_dumps(o, JSON_COMPACT);
    if (s != NULL)
        puts(s);
    free(s);
    json_decref(o);
}

int gw_cmd_meter_user(int argc, char **argv)
{
    opts_t o;
    int rc = parse(argc, argv, &o);
    if (rc != 0)
        return rc;
    const char *sub = o.npos > 0 ? o.pos[0] : NULL;
    int grant = sub && strcmp(sub, "grant") == 0, balance = sub && strcmp(sub, "balance") == 0;
    if (grant && o.npos == 3 && o.credits == NULL && o.micro == NULL) {
        /* issue 13: amounts are written with their unit; a bare number was read as micro-credits */
        fprintf(stderr,
                "aigw user grant: write the amount with its unit: --credits %s (credits) or --microcredits %s "
                "(1 credit = 1000000 micro-credits)\n",
                o.pos[2], o.pos[2]);
        return 2;
    }
    if (o.help || !(grant || balance) || o.npos != 2 || (grant && (o.credits == NULL) == (o.micro == NULL)) ||
        (!grant && (o.credits != NULL || o.micro != NULL))) {
        fprintf(o.help ? stdout : stderr,
                "usage: aigw user grant USER (--credits N | --microcredits N) [--reason R] [--config FILE]\n"
                "       aigw user balance USER [--config FILE]\n"
                "--credits takes credits with up to 6 decimals (2.5), --microcredits an integer (1 credit = 1000000\n"
                "micro-credits); a negative amount is an adjustment. Balances print in both units.\n");
        return o.help ? 0 : 2;
    }
    int64_t amount = 0, bal = 0, res = 0;
    if (grant && o.credits != NULL && pol_meter_parse_credits(o.credits, &amount) != 0) {
        fprintf(stderr, "aigw user grant: --credits takes a number of credits with at most 6 decimals (e.g. 5 or 2.5)\n");
        return 2;
    }
    if (grant && o.micro != NULL && pol_meter_parse_microcredits(o.micro, &amount) != 0) {
        fprintf(stderr, "aigw user grant: --microcredits takes an integer number of micro-credits (e.g. 5000000)\n");
        return 2;
    }
    int enforced = 0;
    gw_store_t *st = gw_cli_open_store("aigw", o.config, &enforced);
    if (st == NULL)
        return 1;
    if (grant)
        rc = gw_store_grant(st, o.pos[1], amount, o.reason, NULL);
    if (grant && rc == 0 && !enforced)
        fprintf(stderr, "aigw user grant: recorded; note: this config has no \"credits\" section, so credits are not enforced "
                        "(calls are not charged) until one is added\n");
    if (rc == 0)
        rc = gw_store_balance(st, o.pos[1], &bal, &res);
    if (rc == GW_STORE_E_NOTFOUND && balance) {
        fprintf(stderr, "aigw user balance: no balance for this user yet\n");
    } else if (rc == GW_STORE_E_INVAL) {
        fprintf(stderr, "aigw user: invalid user id (1 to %d bytes)\n", GW_USER_ID_MAX);
    } else if (rc != 0) {
        fprintf(stderr, "aigw user: store error (see above)\n");
    } else {
        print_balance(o.pos[1], bal, res);
    }
    gw_store_close(st);
    return rc == 0 ? 0 : 1;
}

int gw_cmd_report(int argc, char **argv)
{
    opts_t o;
    int rc = parse(argc, argv, &o);
    if (rc != 0)
        return rc;
    gw_usage_group_t g[GW_USAGE_MAX_DIMS] = {GW_USAGE_BY_DAY};
    size_t ng = 1;
    gw_usage_format_t f = GW_USAGE_TABLE;
    int64_t from = 0, to = 0;
    int bad = o.npos != 1 || strcmp(o.pos[0], "usage") != 0 || (o.group && gw_usage_groups_parse(o.group, g, &ng) != 0) ||
              (o.format && gw_usage_format_parse(o.format, &f) != 0) || (o.from && gw_admin_parse_time(o.from, &from) != 0) ||
              (o.to && gw_admin_parse_time(o.to, &to) != 0) || (o.to && to <= from);
    if (o.help || bad) {
        fprintf(o.help ? stdout : stderr,
                "usage: aigw report usage [--from DATE] [--to DATE] [--group-by G[,G]] [--format table|csv|json]\n"
                "                         [--config FILE]\n"
                "G: user|provider|model|client|day (one or two, e.g. day,provider).\n"
                "DATE: YYYY-MM-DD (UTC), YYYY-MM-DDTHH:MM:SSZ or Unix seconds; --to is exclusive.\n"
                "Defaults: all time, grouped by day, as a table. Columns: calls, credits charged and refunded\n"
                "(csv/json: *_microcredits; table: credits), input/output tokens, images, compute time.\n");
        return o.help ? 0 : 2;
    }
    gw_store_t *st = gw_cli_open_store("aigw", o.config, NULL);
    if (st == NULL)
        return 1;
    gw_buf_t out = GW_BUF_INIT;
    rc = gw_usage_report_by(st, from, to, g, ng, f, &out);
    if (rc == 0) {
        fwrite(out.base, 1, out.len, stdout);
        if (f == GW_USAGE_JSON)
            fputc('\n', stdout);
    } else {
        fprintf(stderr, "aigw report: failed (see above)\n");
    }
    gw_buf_free(&out);
    gw_store_close(st);
    return rc == 0 ? 0 : 1;
}
