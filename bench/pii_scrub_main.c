/*
 * Stand-alone `aigw scrub` (gw_cmd_scrub) for the PII benchmarks and the regression scorer,
 * usable before/without the full gateway binary: `build/pii_scrub_main [--config FILE]`.
 */
#include "gateway/cmd_scrub.h"

int main(int argc, char **argv)
{
    return gw_cmd_scrub(argc, argv);
}
