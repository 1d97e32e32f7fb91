/* compare_driver: `osw_cmd_compare` through the library alone, for the
 * compare tests until and besides `ompsweep compare` (same arguments:
 * compare_driver compare BASE_DIR NEW_DIR ...). */
#include "commands.h"

int main(int argc, char **argv)
{
    return osw_cmd_compare(argc - 1, argv + 1);
}
