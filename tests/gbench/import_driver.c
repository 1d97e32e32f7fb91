/* import_driver.c: `ompsweep import-gbench`'s behaviour for the gbench tests,
 * built against osw_harness alone (the tests also run the real CLI when the
 * ompsweep target exists).
 * Usage: osw-import-gbench-driver import-gbench FILE.json --out DIR [--force] */
#include "error.h"
#include "import_gbench.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    const char *file = NULL, *out = NULL;
    int force = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "import-gbench") == 0 && i == 1)
            continue;
        if (strcmp(argv[i], "--force") == 0)
            force = 1;
        else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (!file && argv[i][0] != '-')
            file = argv[i];
        else {
            fprintf(stderr, "osw-import-gbench-driver: unexpected argument '%s'\n", argv[i]);
            return OSW_EXIT_USAGE;
        }
    }
    if (!file || !out) {
        fprintf(stderr, "usage: osw-import-gbench-driver import-gbench FILE.json --out DIR "
                        "[--force]\n");
        return OSW_EXIT_USAGE;
    }
    char err[256] = "";
    int rc = osw_import_gbench(file, out, force, err);
    if (rc != 0) {
        fprintf(stderr, "ompsweep: %s\n", err[0] ? err : osw_strerror(rc));
        return osw_exit_status(rc);
    }
    return OSW_EXIT_OK;
}
