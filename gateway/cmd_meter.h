/*
 * CLI commands of metering (issue 6): `aigw user grant|balance` and `aigw report usage`.
 * Same conventions as cmd_store.h: `int gw_cmd_X(int argc, char **argv)`, --config FILE (else
 * the embedded default config), --help; exit status 0 OK, 1 failure (message on stderr), 2
 * usage error. Amounts are micro-credits (1 credit = 1,000,000).
 */
#ifndef AIGW_GATEWAY_CMD_METER_H
#define AIGW_GATEWAY_CMD_METER_H

/**
 * `aigw user grant USER (--credits N | --microcredits N) [--reason R]` (issue 13: the amount is
 * written with its unit; --credits takes up to 6 decimals, --microcredits an integer; negative =
 * adjustment; a bare AMOUNT is a usage error naming both flags) and `aigw user balance USER`;
 * both print {"id","balance_microcredits","balance_credits","reserved_microcredits"} as JSON
 * (balance_credits a decimal string). A grant on a config without "credits" is recorded and a
 * note says credits are not enforced. argv[0] = "user", argv[1] = "grant" | "balance".
 */
int gw_cmd_meter_user(int argc, char **argv);

/**
 * `aigw report usage --from DATE --to DATE --group-by G[,G] --format table|csv|json` (G one or two
 * of user|provider|model|client|day): the usage report (gw_usage_report_by, gateway/usage_report.h) on stdout. DATE is
 * YYYY-MM-DD (UTC midnight), an RFC 3339 UTC time or Unix seconds; --to is exclusive; both
 * optional (open ends). argv[0] = "report", argv[1] = "usage".
 */
int gw_cmd_report(int argc, char **argv);

#endif
