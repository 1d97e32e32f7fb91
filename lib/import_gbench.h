/* import_gbench.h: Google Benchmark JSON (from ompsweep-gbench) to an ompsweep
 * results directory, so the report and plot tools read both alike.
 *
 * Reads the file written by `ompsweep-gbench --benchmark_out=FILE
 * --benchmark_out_format=json`, with or without --benchmark_repetitions and
 * --benchmark_report_aggregates_only, and writes out_dir/summary.csv (one row
 * per kernel, n, threads, schedule and chunk), out_dir/samples.csv (one row per
 * repetition, i.e. per iteration row, with a run's schema; aggregates are not
 * samples) and out_dir/meta.json (gbench's
 * context block, "source": "google-benchmark"), reading the input with cJSON. */
#ifndef OSW_IMPORT_GBENCH_H
#define OSW_IMPORT_GBENCH_H

/* Converts json_path into out_dir. Nothing is written unless the whole input
 * parses: out_dir is created only then, and each file is written to a
 * temporary name and renamed. Returns 0; OSW_EUSAGE when json_path cannot be
 * read (missing, a directory, denied: the input is the user's); OSW_EFORMAT
 * for a malformed or foreign input (a kernel name or schedule ompsweep does
 * not write included); OSW_EEXIST when out_dir exists, is not empty and
 * force is 0; -ENOMEM; -errno when out_dir cannot be written. err (256
 * bytes) gets one line naming the file and the problem. */
int osw_import_gbench(const char *json_path, const char *out_dir, int force, char *err);

#endif
