/* process.h: what every ompsweep process sets up first and checks last. */
#ifndef OSW_CLI_PROCESS_H
#define OSW_CLI_PROCESS_H

/* Before any file is opened: file descriptors 0, 1 and 2 are open (on
 * /dev/null where they were closed), so that no result file can become
 * stdout; SIGPIPE and SIGXFSZ are ignored, so that a closed pipe or a file
 * size limit is a write error (EPIPE, EFBIG) the code handles, never a
 * death with a half-written row. */
void osw_process_init(void);

/* After a command: flushes and closes stdout. When that fails (a full disk,
 * /dev/full, a closed pipe) the output is lost: one line on stderr, and
 * exit status 3 where the command would have said 0 (a verification
 * failure, 1, or compare's slowdown, 4, is still the news). Returns the
 * exit status. */
int osw_process_finish(const char *prefix, int status);

#endif
