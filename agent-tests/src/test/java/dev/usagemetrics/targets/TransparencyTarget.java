package dev.usagemetrics.targets;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;

/**
 * A purpose-built target proving the agent is invisible to the application: return values of
 * every type come back unchanged, and the very exception instance thrown is the one caught.
 * Prints {@code TRANSPARENCY ...} with what it checked; any difference is counted as a mismatch.
 */
public final class TransparencyTarget {

  /** The configured persist target. */
  public static class Store {
    public Object save(Object record) {
      return record;
    }

    public long saveAll(long count) {
      return count * 2;
    }

    public int saveInt(int value) {
      return value + 1;
    }

    public void saveVoid(int[] sink) {
      sink[0]++;
    }

    public void saveFailing(Exception failure) throws Exception {
      throw failure;
    }
  }

  private TransparencyTarget() {}

  public static void main(String[] args) {
    int calls = Integer.parseInt(args[0]);
    Store store = new Store();
    long mismatches = 0;
    long failures = 0;
    int[] sink = new int[1];
    for (int i = 0; i < calls; i++) {
      Object record = new Object();
      mismatches += store.save(record) == record ? 0 : 1;
      mismatches += store.saveAll(i) == i * 2L ? 0 : 1;
      mismatches += store.saveInt(i) == i + 1 ? 0 : 1;
      store.saveVoid(sink);
      Exception failure = i % 2 == 0
          ? new SQLTimeoutException("slow " + i)
          : new SQLException("broken " + i, "08006");
      try {
        store.saveFailing(failure);
        mismatches++;
      } catch (Exception caught) {
        failures++;
        mismatches += caught == failure ? 0 : 1;
      }
    }
    mismatches += sink[0] == calls ? 0 : 1;
    System.out.println(
        "TRANSPARENCY calls=" + calls + " failures=" + failures + " mismatches=" + mismatches);
  }
}
