package dev.usagemetrics.targets;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Persist targets named by an interface ({@link Repository}) and an abstract class
 * ({@link AbstractLedger}), implemented in every way a hierarchy allows: inherited, overridden
 * with a {@code super} call, delegated, a default method, an anonymous class, a generic bridge,
 * a class loaded late. Each scenario makes a distinct number of calls (5 times a power of two), so
 * a scenario counted twice or not at all cannot be hidden by another. Prints
 * {@code HIERARCHY success=.. validation=.. timeout=.. lambda=..}: the logical calls the
 * application made, by how they ended, and separately the calls through a lambda, which are not
 * measured.
 */
public final class HierarchyTarget {

  /** Configured by name, methods [persist, persistAll]: generic, so implementations get bridge methods. */
  public interface Repository<T> {
    void persist(T record) throws Exception;

    /** A configured method with a body in the interface: one logical call, however many it makes. */
    default void persistAll(List<T> records) throws Exception {
      for (T record : records) {
        persist(record);
      }
    }
  }

  /** Implements persist once for its subclasses; its helper {@code write} is not configured. */
  public abstract static class AbstractRepository implements Repository<Object> {
    int written;

    @Override
    public void persist(Object record) throws Exception {
      write(record);
    }

    protected abstract void write(Object record) throws Exception;
  }

  /** Inherits persist and persistAll. */
  public static class PlainRepository extends AbstractRepository {
    @Override
    protected void write(Object record) {
      written++;
    }
  }

  /** An override calling super: one logical call. */
  public static class AuditingRepository extends PlainRepository {
    int audited;

    @Override
    public void persist(Object record) throws Exception {
      audited++;
      super.persist(record);
    }
  }

  /** Throws after super succeeded: one failed call. */
  public static class ValidatingRepository extends PlainRepository {
    @Override
    public void persist(Object record) throws Exception {
      super.persist(record);
      throw new IllegalArgumentException("invalid after writing " + record);
    }
  }

  /** A configured method calling another configured method: one call, timed by the outer. */
  public static class FacadeRepository implements Repository<Object> {
    private final Repository<Object> delegate;

    public FacadeRepository(Repository<Object> delegate) {
      this.delegate = delegate;
    }

    @Override
    public void persist(Object record) throws Exception {
      delegate.persist(record);
    }
  }

  /** The inner call fails, the outer recovers: one successful call, no error. */
  public static class FallbackRepository implements Repository<Object> {
    private final Repository<Object> failing = record -> {
      throw new SQLException("primary down", "08006");
    };
    private final Repository<Object> secondary = new PlainRepository();

    @Override
    public void persist(Object record) throws Exception {
      try {
        failing.persist(record);
      } catch (SQLException primaryDown) {
        secondary.persist(record);
      }
    }
  }

  /** The inner call succeeds, then the outer times out: one timeout. */
  public static class SlowRepository extends PlainRepository {
    @Override
    public void persist(Object record) throws Exception {
      super.persist(record);
      throw new TimeoutException("acknowledgement timed out");
    }
  }

  /** Narrows the type parameter: the compiler adds a bridge persist(Object) calling persist(String). */
  public static class TextRepository implements Repository<String> {
    int length;

    @Override
    public void persist(String record) {
      length += record.length();
    }
  }

  /** Loaded only when the application gets to it, long after the agent started. */
  public static class LateRepository extends PlainRepository {}

  /** Configured by name, method [record]: declared abstract here, so only implementations are timed. */
  public abstract static class AbstractLedger {
    public abstract void record(long amount);
  }

  public static class Ledger extends AbstractLedger {
    long total;

    @Override
    public void record(long amount) {
      total += amount;
    }
  }

  /** An override of an implementation of the abstract method, calling super. */
  public static class RoundingLedger extends Ledger {
    @Override
    public void record(long amount) {
      super.record(amount - amount % 10);
    }
  }

  private static final int UNIT = 5;
  private static long success;
  private static long validation;
  private static long timeout;

  private HierarchyTarget() {}

  public static void main(String[] args) throws Exception {
    repeat(1, () -> new PlainRepository().persist("inherited"));
    repeat(2, () -> new AuditingRepository().persist("override calling super"));
    repeat(4, () -> new FacadeRepository(new AuditingRepository()).persist("facade"));
    repeat(8, () -> new PlainRepository().persistAll(List.of("default", "method", "batch")));
    repeat(
        16,
        () -> new Repository<Object>() {
          @Override
          public void persist(Object record) {}
        }.persist("anonymous class"));
    Repository<String> text = new TextRepository();
    repeat(32, () -> text.persist("through the bridge method"));
    repeat(64, () -> new FallbackRepository().persist("recovered"));
    repeat(128, () -> new RoundingLedger().record(1234));
    repeat(256, () -> new Ledger().record(7));

    Thread.sleep(300);
    @SuppressWarnings("unchecked")
    Repository<Object> late =
        (Repository<Object>) Class.forName(HierarchyTarget.class.getName() + "$LateRepository")
            .getDeclaredConstructor()
            .newInstance();
    repeat(512, () -> late.persist("loaded late"));

    // A lambda's class is hidden: the JVM gives agents no chance to instrument it (see README).
    Repository<Object> lambda = record -> {};
    long lambdaCalls = 0;
    for (int i = 0; i < 7; i++, lambdaCalls++) {
      lambda.persist("not measured");
    }

    repeat(3, () -> new ValidatingRepository().persist("rejected"));
    repeat(1, () -> new SlowRepository().persist("too slow"));
    System.out.println("HIERARCHY success=" + success + " validation=" + validation + " timeout="
        + timeout + " lambda=" + lambdaCalls);
  }

  /** One logical call, as the application sees it. */
  private interface Call {
    void run() throws Exception;
  }

  private static void repeat(int units, Call call) {
    for (int i = 0; i < units * UNIT; i++) {
      try {
        call.run();
        success++;
      } catch (IllegalArgumentException e) {
        validation++;
      } catch (TimeoutException e) {
        timeout++;
      } catch (Exception e) {
        throw new IllegalStateException("unplanned failure", e);
      }
    }
  }
}
