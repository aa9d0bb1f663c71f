package dev.usagemetrics.targets;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Uses a {@link Backlog} in every way elements can enter or leave it, and compares the agent's
 * gauge with the queue's own {@code size()}. The gauge must equal {@code size() - uncounted},
 * where {@code uncounted} is what the backlog held when the agent started counting (after a
 * runtime attach). It starts once the gauge shows a first offered element, then prints:
 *
 * <ul>
 *   <li>{@code CONCURRENT size= gauge= uncounted= initial= accepted= rejected= taken= empty_polls=}:
 *       after 4 producers and 4 consumers ran concurrently, with rejected offers and empty polls,
 *       while two thread pools (over a plain {@code ArrayBlockingQueue} and {@code
 *       LinkedBlockingQueue}) ran tasks, and a closing burst of concurrent offers filled it;
 *   <li>{@code STEP <operation> size= gauge= change=}: after each operation alone;
 *   <li>{@code PLAIN elements= size= gauge=}: after filling two plain JDK queues, left non-empty.
 * </ul>
 */
final class QueueWorkout {

  static final int CAPACITY = 8;
  private static final int PRODUCERS = 4;
  private static final int CONSUMERS = 4;
  private static final int OPERATIONS_PER_PRODUCER = 2_000;
  private static final long SHORT_WAIT_MICROS = 100;
  private static volatile long workResult;

  private final Backlog backlog;
  private final ScrapedGauge gauge;
  private final long uncounted;

  QueueWorkout(Backlog backlog, ScrapedGauge gauge) {
    this.backlog = backlog;
    this.gauge = gauge;
    this.uncounted = backlog.size();
  }

  void run() throws InterruptedException {
    awaitLiveGauge();
    concurrently();
    everyOperationAlone();
    plainQueuesAlongside();
  }

  /** One element offered and seen by the gauge: from then on, the agent records live. */
  private void awaitLiveGauge() throws InterruptedException {
    if (!backlog.offer(-1)) {
      throw new IllegalStateException("the backlog must have room to start");
    }
    gauge.awaitValue(backlog.size() - uncounted);
  }

  private void concurrently() throws InterruptedException {
    ThreadPoolExecutor boundedPool =
        new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(10_000));
    ExecutorService unboundedPool = Executors.newFixedThreadPool(2);
    AtomicLong accepted = new AtomicLong();
    AtomicLong rejected = new AtomicLong();
    AtomicLong taken = new AtomicLong();
    AtomicLong emptyPolls = new AtomicLong();
    int initial = backlog.size();
    CountDownLatch backlogEmptied = new CountDownLatch(CONSUMERS);
    List<Thread> consumers = new ArrayList<>();
    for (int c = 0; c < CONSUMERS; c++) {
      consumers.add(new Thread(() -> consume(backlogEmptied, taken, emptyPolls), "consumer-" + c));
    }
    consumers.forEach(Thread::start);
    // Every consumer has seen the backlog empty before any producer starts: empty polls for sure.
    backlogEmptied.await();
    List<Thread> producers = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      int producer = p;
      producers.add(new Thread(
          () -> produce(producer, accepted, rejected, boundedPool, unboundedPool),
          "producer-" + p));
    }
    producers.forEach(Thread::start);
    for (Thread producer : producers) {
      producer.join();
    }
    consumers.forEach(Thread::interrupt);
    for (Thread consumer : consumers) {
      consumer.join();
    }
    // A closing burst of concurrent offers with nobody taking: the phase ends with the backlog
    // full, so the comparison below is not one of two zeros.
    List<Thread> closing = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      closing.add(new Thread(
          () -> {
            for (int i = 0; i < CAPACITY; i++) {
              (backlog.offer(i) ? accepted : rejected).incrementAndGet();
            }
          },
          "closing-producer-" + p));
    }
    closing.forEach(Thread::start);
    for (Thread producer : closing) {
      producer.join();
    }
    boundedPool.shutdown();
    unboundedPool.shutdown();
    boundedPool.awaitTermination(10, TimeUnit.SECONDS);
    unboundedPool.awaitTermination(10, TimeUnit.SECONDS);
    System.out.println(
        "CONCURRENT size=" + backlog.size() + " gauge=" + gauge.read() + " uncounted=" + uncounted
            + " initial=" + initial + " accepted=" + accepted + " rejected=" + rejected + " taken="
            + taken
            + " empty_polls=" + emptyPolls);
  }

  /** Offers in every form, faster than the consumers take: the bounded backlog rejects some. */
  private void produce(
      int producer, AtomicLong accepted, AtomicLong rejected, ExecutorService... pools) {
    try {
      for (int i = 0; i < OPERATIONS_PER_PRODUCER; i++) {
        Integer element = producer * OPERATIONS_PER_PRODUCER + i;
        boolean added;
        switch (i % 4) {
          case 0:
            added = backlog.offer(element);
            break;
          case 1:
            added = backlog.offer(element, SHORT_WAIT_MICROS, TimeUnit.MICROSECONDS);
            break;
          case 2:
            added = addOrReject(backlog, element);
            break;
          default:
            backlog.put(element);
            added = true;
        }
        (added ? accepted : rejected).incrementAndGet();
        if (i % 16 == 0) {
          for (ExecutorService pool : pools) {
            pool.execute(() -> Integer.toString(element).hashCode());
          }
        }
      }
    } catch (InterruptedException e) {
      throw new IllegalStateException("producers are never interrupted", e);
    }
  }

  /** Takes in every form until interrupted; slowed by some work per element. */
  private void consume(CountDownLatch backlogEmptied, AtomicLong taken, AtomicLong emptyPolls) {
    while (backlog.poll() != null) {
      taken.incrementAndGet();
    }
    emptyPolls.incrementAndGet();
    backlogEmptied.countDown();
    List<Integer> drained = new ArrayList<>();
    try {
      for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
        int got;
        switch (i % 5) {
          case 0:
            got = backlog.poll() == null ? 0 : 1;
            break;
          case 1:
            got = backlog.poll(SHORT_WAIT_MICROS, TimeUnit.MICROSECONDS) == null ? 0 : 1;
            break;
          case 2:
            got = removeOrEmpty(backlog) ? 1 : 0;
            break;
          case 3:
            backlog.take();
            got = 1;
            break;
          default:
            drained.clear();
            got = backlog.drainTo(drained, 2);
        }
        taken.addAndGet(got);
        if (got == 0) {
          emptyPolls.incrementAndGet();
        }
        work(got);
      }
    } catch (InterruptedException stop) {
      // Interrupted in take or poll(timeout): nothing was taken.
    }
  }

  /** Every operation alone, each followed by a comparison; the bulk ones are exact only like this. */
  private void everyOperationAlone() throws InterruptedException {
    List<Integer> sink = new ArrayList<>();
    step("clear", backlog::clear);
    step("offer", () -> backlog.offer(1));
    step("offer_timeout", () -> backlog.offer(2, SHORT_WAIT_MICROS, TimeUnit.MICROSECONDS));
    step("add", () -> backlog.add(3));
    step("put", () -> backlog.put(4));
    step("addAll", () -> backlog.addAll(List.of(5, 6, 7, 8)));
    step("rejected_offer", () -> backlog.offer(9));
    step(
        "rejected_offer_timeout", () -> backlog.offer(9, SHORT_WAIT_MICROS, TimeUnit.MICROSECONDS));
    step("rejected_add", () -> addOrReject(backlog, 9));
    step("poll", backlog::poll);
    step("poll_timeout", () -> backlog.poll(SHORT_WAIT_MICROS, TimeUnit.MICROSECONDS));
    step("take", backlog::take);
    step("remove", () -> backlog.remove());
    step("remove_object", () -> backlog.remove(Integer.valueOf(6)));
    step("absent_remove_object", () -> backlog.remove(Integer.valueOf(6)));
    // Room for five: adds five, then throws; the size difference still counts the five.
    step("addAll_overflowing", () -> addOrReject(backlog, List.of(10, 11, 12, 13, 14, 15)));
    step("drainTo_max", () -> backlog.drainTo(sink, 3));
    step("drainTo", () -> backlog.drainTo(sink));
    step("empty_poll", backlog::poll);
    step("empty_poll_timeout", () -> backlog.poll(SHORT_WAIT_MICROS, TimeUnit.MICROSECONDS));
    step("empty_remove", () -> removeOrEmpty(backlog));
    step("empty_drainTo", () -> backlog.drainTo(sink));
    step("refill", () -> backlog.addAll(List.of(0, 1, 2, 3, 4, 5, 6, 7)));
    step("removeIf", () -> backlog.removeIf(element -> element % 2 == 0));
    step("retainAll", () -> backlog.retainAll(List.of(1, 3)));
    step("removeAll", () -> backlog.removeAll(List.of(3)));
    step("refill_again", () -> backlog.addAll(List.of(20, 21, 22)));
    step("clear_nonempty", backlog::clear);
    step("final_fill", () -> backlog.addAll(List.of(30, 31, 32, 33, 34)));
  }

  /** Plain JDK queues of the same application, left holding elements: never counted. */
  private void plainQueuesAlongside() throws InterruptedException {
    BlockingQueue<Integer> array = new ArrayBlockingQueue<>(16);
    BlockingQueue<Integer> linked = new LinkedBlockingQueue<>();
    for (BlockingQueue<Integer> plain : List.of(array, linked)) {
      plain.offer(1);
      plain.offer(2, SHORT_WAIT_MICROS, TimeUnit.MICROSECONDS);
      plain.add(3);
      plain.put(4);
      plain.addAll(List.of(5, 6, 7, 8));
      plain.poll();
      plain.drainTo(new ArrayList<>(), 1);
    }
    linked.addAll(List.of(9, 10, 11, 12));
    System.out.println("PLAIN elements=" + (array.size() + linked.size()) + " size="
        + backlog.size() + " gauge=" + gauge.read());
  }

  private interface Operation {
    void run() throws InterruptedException;
  }

  private void step(String name, Operation operation) throws InterruptedException {
    int before = backlog.size();
    operation.run();
    int after = backlog.size();
    System.out.println("STEP " + name + " size=" + after + " gauge=" + gauge.read() + " change="
        + (after - before));
  }

  private static boolean addOrReject(Backlog backlog, Integer element) {
    try {
      return backlog.add(element);
    } catch (IllegalStateException full) {
      return false;
    }
  }

  private static void addOrReject(Backlog backlog, List<Integer> elements) {
    try {
      backlog.addAll(elements);
    } catch (IllegalStateException full) {
      // Expected: the backlog filled up part-way.
    }
  }

  private static boolean removeOrEmpty(Backlog backlog) {
    try {
      backlog.remove();
      return true;
    } catch (NoSuchElementException empty) {
      return false;
    }
  }

  /** Some work per element taken, so that consumers are slower than producers. */
  private static void work(int elements) {
    long hash = 0;
    for (int i = 0; i < elements * 50_000; i++) {
      hash = hash * 31 + i;
    }
    workResult = hash; // a volatile write: the loop cannot be optimised away
  }
}
