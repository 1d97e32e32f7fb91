/* error.h: the suite's error codes and exit statuses.
 *
 * Functions below main return 0 or a negative code: either -errno (from the C
 * library) or one of the OSW_E* codes below. Only main turns a code into an
 * exit status and prints it. */
#ifndef OSW_ERROR_H
#define OSW_ERROR_H

/* Project codes, far below any -errno. */
enum {
    OSW_EUSAGE = -10000, /* bad flag, list, size, kernel or schedule */
    OSW_ETOOBIG,         /* the arrays would not fit in memory */
    OSW_EEXIST,          /* the out dir exists and is not empty (use --force) */
    OSW_EFORMAT,         /* a file read back is malformed */
    OSW_EINTR,           /* interrupted by a signal */
    OSW_ELOCKED,         /* the output directory is being written by another process */
    OSW_ETHREADS,        /* the OpenMP runtime could not start the threads */
};

/* Exit statuses (docs/errors.md: every command's, in one table). */
enum {
    OSW_EXIT_OK = 0,       /* every result verified */
    OSW_EXIT_VERIFY = 1,   /* at least one configuration failed verification */
    OSW_EXIT_USAGE = 2,    /* bad command line, environment or input file */
    OSW_EXIT_RESOURCE = 3, /* memory, threads, disk or output directory */
};

/* Returns a static, human-readable text for code (negative). */
const char *osw_strerror(int code);

/* Maps a negative code to the exit status main should return. */
int osw_exit_status(int code);

#endif
