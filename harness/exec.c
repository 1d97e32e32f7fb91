/* exec.c: placeholder until `ompsweep exec` lands (issue 9). */
#include "commands.h"
#include "error.h"

#include <stdio.h>

int osw_cmd_exec(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("ompsweep: exec is not available in this build yet\n", stderr);
    return OSW_EXIT_USAGE;
}
