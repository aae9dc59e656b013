/*
 * aigw command line: `aigw <command> [options]`. Each command lives in its own module
 * (serve: gateway/server.c; scrub: gateway/cmd_scrub.c; ...); this file only dispatches and
 * prints help, so it stays small (h2o's src/main.c is the model).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "gateway/cmd_keys.h"
#include "gateway/cli.h"
#include "gateway/cmd_meter.h"
#include "gateway/cmd_scrub.h"
#include "gateway/cmd_store.h"
#include "gateway/config.h"
#include "gateway/config_check.h"
#include "gateway/server.h"

#define AIGW_VERSION "0.1.0"

static const char usage[] =
    "aigw " AIGW_VERSION " - privacy-enforcing gateway for AI provider APIs\n"
    "\n"
    "usage: aigw <command> [options]\n"
    "\n"
    "commands:\n"
    "  serve [--config FILE]     run the gateway (without --config: embedded defaults,\n"
    "                            keys from AIGW_CLIENT_KEY and OPENAI_API_KEY)\n"
    "  check --config FILE       validate a config file and exit\n"
    "  scrub [--config FILE]     JSON lines {\"text\": ...} on stdin -> scrubbed text and entities\n"
    "                            (Unicode code point offsets) on stdout, same engine as serve\n"
    "  keygen [FILE]             write a new master key (mode 0600; default: the config's master_key_file)\n"
    "  purge [--dry-run]         delete what is past its retention now, print counts per class\n"
    "  user forget ID            erasure: destroy the user's data key, delete their rows, print a receipt\n"
    "  user export ID            the user's calls (decrypted), redactions and consent as JSON\n"
    "  user consent ID [on|off]  set or show the user's training consent\n"
    "  keys rotate --new-key F   re-wrap every user key under a new master key\n"
    "  keys add client NAME | add admin ROLE | list | revoke ID\n"
    "                            client keys and admin tokens in the store (secret shown once)\n"
    "  keys hash [--new]         \"key_hash\" form of a secret (stdin) for the config file\n"
    "  user grant ID --credits N | --microcredits N   add credits to a user (--reason R)\n"
    "  user balance ID           balance and open reservations\n"
    "  report usage --from D --to D --group-by user|provider|model|client|day --format table|csv|json\n"
    "  help                      this text\n"
    "\n"
    "Commands other than serve/check/help take --config FILE (default: the embedded config); those\n"
    "that only touch the store read only its settings and the master key (no other secret needed).\n"
    "SIGHUP makes a running serve reload its config (see README, Operations).\n"
    "\n"
    "options:\n"
    "  -h, --help                help (also after a command)\n"
    "  -v, --version             print the version\n"
    "\n"
    "Config reference: docs/config.md. Routes and examples: README.md.\n";

static const char *opt_config(int argc, char **argv, int *bad)
{
    const char *path = NULL;
    *bad = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--config") == 0 || strcmp(argv[i], "-c") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "aigw %s: --config needs a file name\n", argv[0]);
                *bad = 1;
                return NULL;
            }
            path = argv[++i];
        } else if (strncmp(argv[i], "--config=", 9) == 0) {
            path = argv[i] + 9;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            *bad = 2;
            return NULL;
        } else {
            fprintf(stderr, "aigw %s: unknown option %s (see aigw --help)\n", argv[0], argv[i]);
            *bad = 1;
            return NULL;
        }
    }
    return path;
}

static int cmd_serve(int argc, char **argv)
{
    int bad;
    const char *path = opt_config(argc, argv, &bad);
    if (bad)
        return bad == 2 ? 0 : 2;
    gw_config_t *cfg = gw_cli_load_config("aigw", path, GW_CLI_CONFIG_FULL);
    if (cfg == NULL)
        return 1;
    int rc = gw_server_run(cfg);
    gw_config_free(cfg);
    return rc;
}

static int cmd_check(int argc, char **argv)
{
    int bad;
    const char *path = opt_config(argc, argv, &bad);
    if (bad)
        return bad == 2 ? 0 : 2;
    gw_config_t *cfg = gw_cli_load_config("aigw", path, GW_CLI_CONFIG_FULL);
    if (cfg == NULL)
        return 1;
    char err[768];
    if (gw_config_validate(cfg, err, sizeof(err)) != 0) {
        fprintf(stderr, "aigw: config error: %s: %s\n", cfg->path, err);
        gw_config_free(cfg);
        return 1;
    }
    printf("%s: OK (%zu listeners, %zu clients, %zu providers)\n", cfg->path, cfg->nlisten, cfg->nclients, cfg->nproviders);
    gw_config_free(cfg);
    return 0;
}

/* glibc's heap trimming, primed once (issue 12 session 13). glibc returns the free top of a heap
 * to the kernel on free() as soon as it exceeds M_TRIM_THRESHOLD, 128 KiB at start; a thread
 * arena's heap shrinks with madvise(MADV_DONTNEED) and the next request faults the pages in again.
 * An aigw worker's arena hovers around that size under load: `wrk -c64` on one worker, SQLite
 * store on, took 0.1-0.2 minor faults per request (sysmalloc, madvise, page-table work on the loop).
 * The threshold is dynamic: freeing an mmap()ed block (a block above
 * M_MMAP_THRESHOLD, 128 KiB at start) raises M_MMAP_THRESHOLD to its size and M_TRIM_THRESHOLD
 * to twice that (mallopt(3)), but a request of small bodies never frees one. Setting either
 * threshold with mallopt() would switch that adjustment off, and large bodies (256 KiB) then went
 * through mmap / munmap or the trim on every request: 4-10x the faults of glibc's default
 * (docs/BENCHMARKS.md "Issue 12, session 13"). So one block of GW_MALLOC_PRIME_BYTES is allocated
 * (above 128 KiB: mmap()ed) and freed at start, before any thread: the thresholds become 1 MiB and
 * 2 MiB and still rise with larger blocks as glibc's default does. Under that load: ~0.005 faults
 * per request, and the loop's CPU for the store 20-22 -> 7-8 us per request (a loaded machine).
 * Cost: each arena may keep up to 2 MiB of free memory at its top instead of 128 KiB (a few
 * arenas: the workers, the store's writer, pool threads). An operator who tuned malloc through
 * GLIBC_TUNABLES (any glibc.malloc.* tunable) is left alone. */
#define GW_MALLOC_PRIME_BYTES ((size_t)1 << 20)

static void malloc_prime(void)
{
#if defined(__GLIBC__)
    const char *tunables = getenv("GLIBC_TUNABLES");
    if (tunables != NULL && strstr(tunables, "glibc.malloc.") != NULL)
        return;
    char *block = malloc(GW_MALLOC_PRIME_BYTES);
    /* the block handed to a library function: the compiler may drop a malloc / free pair whose block is unused */
    if (block != NULL && malloc_usable_size(block) >= GW_MALLOC_PRIME_BYTES)
        block[0] = 1;
    free(block);
#endif
}

int main(int argc, char **argv)
{
    malloc_prime();
    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    if (strcmp(cmd, "-v") == 0 || strcmp(cmd, "--version") == 0) {
        puts("aigw " AIGW_VERSION);
        return 0;
    }
    if (strcmp(cmd, "serve") == 0)
        return cmd_serve(argc - 1, argv + 1);
    if (strcmp(cmd, "scrub") == 0)
        return gw_cmd_scrub(argc - 1, argv + 1);
    if (strcmp(cmd, "check") == 0)
        return cmd_check(argc - 1, argv + 1);
    if (strcmp(cmd, "keygen") == 0)
        return gw_cmd_keygen(argc - 1, argv + 1);
    if (strcmp(cmd, "purge") == 0)
        return gw_cmd_purge(argc - 1, argv + 1);
    if (strcmp(cmd, "user") == 0) {
        if (argc >= 3 && (strcmp(argv[2], "grant") == 0 || strcmp(argv[2], "balance") == 0))
            return gw_cmd_meter_user(argc - 1, argv + 1);
        return gw_cmd_user(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "report") == 0)
        return gw_cmd_report(argc - 1, argv + 1);
    if (strcmp(cmd, "keys") == 0) {
        if (argc >= 3 && strcmp(argv[2], "rotate") == 0)
            return gw_cmd_keys(argc - 1, argv + 1);
        return gw_cmd_keys_manage(argc - 1, argv + 1);
    }
    fprintf(stderr, "aigw: unknown command \"%s\" (see aigw --help)\n", cmd);
    return 2;
}
