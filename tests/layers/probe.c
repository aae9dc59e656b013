/*
 * Layer probe (tests/layers/check_layers.py): compiled with one layer's include directories and
 * PROBE_HEADER set to a header of that layer or of another; the check expects a header of a layer
 * below (or of the layer itself) to compile and one of a layer above to be missing.
 */
#include PROBE_HEADER

int aigw_layer_probe(void);

int aigw_layer_probe(void)
{
    return 0;
}
