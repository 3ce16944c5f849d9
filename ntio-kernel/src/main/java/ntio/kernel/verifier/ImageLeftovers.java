package ntio.kernel.verifier;

import java.util.List;

/**
 * What an image still has running or registered when it is unmapped, as the I/O manager tracks
 * it: the input of the verifier's unload scan beyond pool (DV8).
 *
 * @param setTimers timers still in the timer queue
 * @param workItems work items queued or running with no reference on the image ({@code
 *     ExQueueWorkItem})
 * @param threads System threads the image started that are still running
 * @param traceProviders trace providers still registered ({@code EtwRegister} without {@code
 *     EtwUnregister})
 * @param queuedDpcs DPCs of the image still in a processor's DPC queue, its timers' included
 */
public record ImageLeftovers(List<Item> setTimers, List<Item> workItems, List<Item> threads,
    List<Item> traceProviders, List<Item> queuedDpcs) {

  /** Copies the lists. */
  public ImageLeftovers {
    setTimers = List.copyOf(setTimers);
    workItems = List.copyOf(workItems);
    threads = List.copyOf(threads);
    traceProviders = List.copyOf(traceProviders);
    queuedDpcs = List.copyOf(queuedDpcs);
  }

  /**
   * One resource.
   *
   * @param address the resource's kernel address, as the bug check's parameter 2 shows it
   * @param description what it is, naming the driver routine it would run
   */
  public record Item(long address, String description) {}
}
