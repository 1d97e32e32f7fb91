"""The EPCC v4 tests and the ompsweep construct kernels that measure the
same construct, for the side-by-side drivers here (method/compare.py,
rounds20/rounds.py): MAP[(EPCC program, its test name)] = kernel."""
MAP = {
    ("syncbench", "PARALLEL"): "sync_parallel", ("syncbench", "FOR"): "sync_for",
    ("syncbench", "PARALLEL FOR"): "sync_parallel_for", ("syncbench", "BARRIER"): "sync_barrier",
    ("syncbench", "SINGLE"): "sync_single", ("syncbench", "CRITICAL"): "sync_critical",
    ("syncbench", "LOCK_CONTENDED"): "sync_lock", ("syncbench", "ORDERED"): "sync_ordered",
    ("syncbench", "ATOMIC"): "sync_atomic", ("syncbench", "REDUCTION"): "sync_reduction",
    ("taskbench", "PARALLEL TASK"): "task_parallel", ("taskbench", "MASTER TASK"): "task_master",
    ("taskbench", "MASTER TASK BUSY SLAVES"): "task_master_busy",
    ("taskbench", "CONDITIONAL TASK"): "task_conditional", ("taskbench", "TASK WAIT"): "task_wait",
    ("taskbench", "TASK BARRIER"): "task_barrier", ("taskbench", "NESTED TASK"): "task_nested",
    ("taskbench", "BRANCH TASK TREE"): "task_branch_tree",
    ("taskbench", "LEAF TASK TREE"): "task_leaf_tree",
}
for _size in (1, 729, 59049):
    for _clause in ("PRIVATE", "FIRSTPRIVATE", "COPYPRIVATE", "COPYIN"):
        MAP[("arraybench_%d" % _size, "%s %d" % (_clause, _size))] = "array_%s_%d" % (
            _clause.lower(), _size)
