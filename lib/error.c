/* error.c: codes to text and to exit statuses. */
#define _GNU_SOURCE
#include "error.h"

#include <string.h>

const char *osw_strerror(int code)
{
    switch (code) {
    case 0:
        return "success";
    case OSW_EUSAGE:
        return "usage error";
    case OSW_ETOOBIG:
        return "problem size does not fit in memory";
    case OSW_EEXIST:
        return "output directory exists and is not empty (use --force to overwrite)";
    case OSW_EFORMAT:
        return "malformed input file";
    case OSW_EINTR:
        return "interrupted";
    case OSW_ELOCKED:
        return "output directory is being written by another process";
    case OSW_ETHREADS:
        return "the OpenMP runtime could not start the threads";
    default:
        return code < 0 && code > -4096 ? strerror(-code) : "unknown error";
    }
}

int osw_exit_status(int code)
{
    if (code == 0)
        return OSW_EXIT_OK;
    if (code == OSW_EUSAGE || code == OSW_EFORMAT)
        return OSW_EXIT_USAGE;
    return OSW_EXIT_RESOURCE;
}
