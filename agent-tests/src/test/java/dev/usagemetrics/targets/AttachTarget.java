package dev.usagemetrics.targets;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Already running its workload when the agent is attached. It works in phases, each started by
 * a signal file the test creates, so that exactly the calls of phases 2 and 3 happen after the
 * attach:
 *
 * <ol>
 *   <li>before the attach: persist calls on a loaded {@link EarlyStore}, and a loaded
 *       {@link Backlog} (all methods inherited from {@code ArrayBlockingQueue}) left holding
 *       elements the agent will never see enter; prints {@code READY};
 *   <li>after {@code attached}: persist calls (some failing), calls on {@link LateStore} loaded
 *       only now, the {@link QueueWorkout} on the backlog, and elements offered to a
 *       {@link LateBacklog} loaded only now; prints {@code PHASE2};
 *   <li>after {@code second-attach-done}: more persist calls; prints {@code ATTACH success=
 *       validation= uncounted= late_queued= backlog_size=}: what it did after the attach.
 * </ol>
 *
 * Arguments: the folder of the signal files, and the port of the agent's Prometheus endpoint.
 */
public final class AttachTarget {

  /** Configured persist target, method [persist]. */
  public interface Store {
    void persist(Object record);
  }

  /** Loaded before the attach: retransformed by it. */
  public static final class EarlyStore implements Store {
    @Override
    public void persist(Object record) {
      if (record == null) {
        throw new IllegalArgumentException("no record");
      }
    }
  }

  /** Loaded after the attach. */
  public static final class LateStore implements Store {
    @Override
    public void persist(Object record) {}
  }

  /** A subclass of the configured queue loaded after the attach. */
  public static final class LateBacklog extends Backlog {
    private static final long serialVersionUID = 1L;

    LateBacklog(int capacity) {
      super(capacity);
    }
  }

  private static final int UNCOUNTED = 3;

  private AttachTarget() {}

  public static void main(String[] args) throws Exception {
    Path signals = Path.of(args[0]);
    Store early = new EarlyStore();
    Backlog backlog = new Backlog(QueueWorkout.CAPACITY);
    persist(early, 23);
    for (int i = 0; i < UNCOUNTED; i++) {
      backlog.offer(i);
    }
    System.out.println("READY");

    awaitSignal(signals.resolve("attached"));
    long success = persist(early, 31);
    long validation = 0;
    for (int i = 0; i < 4; i++) {
      try {
        early.persist(null);
      } catch (IllegalArgumentException expected) {
        validation++;
      }
    }
    success += persist(new LateStore(), 5);
    new QueueWorkout(backlog, new ScrapedGauge(Integer.parseInt(args[1]))).run();
    LateBacklog late = new LateBacklog(4);
    late.offer(1);
    late.offer(2);
    late.offer(3);
    late.poll();
    System.out.println("PHASE2");

    awaitSignal(signals.resolve("second-attach-done"));
    success += persist(early, 7);
    System.out.println("ATTACH success=" + success + " validation=" + validation + " uncounted="
        + UNCOUNTED + " late_queued=" + late.size() + " backlog_size=" + backlog.size());
  }

  private static long persist(Store store, int calls) {
    for (int i = 0; i < calls; i++) {
      store.persist(i);
    }
    return calls;
  }

  private static void awaitSignal(Path file) throws InterruptedException {
    while (!Files.exists(file)) {
      Thread.sleep(20);
    }
  }
}
