package dev.usagemetrics.targets;

/**
 * Runs the {@link QueueWorkout} on a {@link Backlog} created after the agent started. Argument:
 * the port of the agent's Prometheus endpoint. Prints the workout's lines, then
 * {@code BACKLOG final_size=}.
 */
public final class BacklogTarget {

  private BacklogTarget() {}

  public static void main(String[] args) throws InterruptedException {
    Backlog backlog = new Backlog(QueueWorkout.CAPACITY);
    new QueueWorkout(backlog, new ScrapedGauge(Integer.parseInt(args[0]))).run();
    System.out.println("BACKLOG final_size=" + backlog.size());
  }
}
