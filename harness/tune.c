/* tune.c: placeholder until `ompsweep tune` lands (issue 9). */
#include "commands.h"
#include "error.h"

#include <stdio.h>

int osw_cmd_tune(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("ompsweep: tune is not available in this build yet\n", stderr);
    return OSW_EXIT_USAGE;
}
