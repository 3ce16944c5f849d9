package ntio.kernel.executive;

/**
 * A snapshot of one work queue, for diagnostics. Counters are read one after another while work
 * goes on, so they are each exact but not necessarily from the same instant.
 *
 * @param type the queue
 * @param threads how many worker threads serve it
 * @param queued work items accepted since the queue started
 * @param completed work items that have returned (normally or not)
 * @param depth work items waiting for a thread
 * @param running work items a thread is running right now
 */
public record WorkQueueStats(
    WorkQueueType type, int threads, long queued, long completed, long depth, long running) {}
