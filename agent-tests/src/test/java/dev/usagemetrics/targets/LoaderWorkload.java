package dev.usagemetrics.targets;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;

/**
 * What {@link ClassLoaderTarget} runs in each class loader: persist calls that all end one way
 * (half of them through a returned future), and a {@link Backlog} left holding some elements. The
 * exceptions are this class's own, so each loader's copy throws its own exception classes.
 */
public final class LoaderWorkload implements Runnable {

  /** Configured persist target, methods [persist, persistAsync]. */
  public interface Store {
    void persist(Object record) throws Exception;

    CompletableFuture<Void> persistAsync(Object record);
  }

  /** A validation failure of this loader's own: classified through its JDK superclass. */
  public static final class RejectedRecord extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    RejectedRecord(String message) {
      super(message);
    }
  }

  /** A database failure of this loader's own. */
  public static final class StorageFailure extends SQLException {
    private static final long serialVersionUID = 1L;

    StorageFailure(String message) {
      super(message);
    }
  }

  /** Succeeds, or fails with {@code outcome}: "validation" or "db_error". */
  static final class OutcomeStore implements Store {
    private final String outcome;

    OutcomeStore(String outcome) {
      this.outcome = outcome;
    }

    @Override
    public void persist(Object record) throws Exception {
      Exception failure = failure(record);
      if (failure != null) {
        throw failure;
      }
    }

    @Override
    public CompletableFuture<Void> persistAsync(Object record) {
      Exception failure = failure(record);
      return failure == null
          ? CompletableFuture.completedFuture(null)
          : CompletableFuture.failedFuture(failure);
    }

    private Exception failure(Object record) {
      switch (outcome) {
        case "success":
          return null;
        case "validation":
          return new RejectedRecord("rejected " + record);
        case "db_error":
          return new StorageFailure("cannot store " + record);
        default:
          throw new IllegalArgumentException("unknown outcome " + outcome);
      }
    }
  }

  private static final int CHURN = 5;

  private final String outcome;
  private final int calls;
  private final int leftQueued;

  public LoaderWorkload(String outcome, int calls, int leftQueued) {
    this.outcome = outcome;
    this.calls = calls;
    this.leftQueued = leftQueued;
  }

  @Override
  public void run() {
    Store store = new OutcomeStore(outcome);
    for (int i = 0; i < calls; i++) {
      try {
        if (i % 2 == 0) {
          store.persist(i);
        } else {
          store.persistAsync(i).join();
        }
      } catch (Exception expected) {
        // The outcome this loader's calls were planned to have.
      }
    }
    Backlog backlog = new Backlog(leftQueued + CHURN);
    for (int i = 0; i < leftQueued + CHURN; i++) {
      backlog.offer(i);
    }
    for (int i = 0; i < CHURN; i++) {
      backlog.poll();
    }
    if (backlog.size() != leftQueued) {
      throw new IllegalStateException("backlog holds " + backlog.size());
    }
  }
}
