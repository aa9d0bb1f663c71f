package dev.usagemetrics.targets.spring;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.Callable;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;

/**
 * The application's DataSource: its HikariCP pool, except for a thread inside {@link #during},
 * which is sent to a loopback port that refuses connections (a socket bound there and never
 * listening, held for the application's life, so nothing else can take the port): a real,
 * immediate "connection refused" (PostgreSQL driver, SQLState 08001).
 */
final class OutageDataSource extends AbstractRoutingDataSource implements AutoCloseable {

  private final ThreadLocal<Boolean> outage = ThreadLocal.withInitial(() -> Boolean.FALSE);
  private final HikariDataSource pool;
  private final Socket refusingPort;

  OutageDataSource(HikariDataSource pool) throws IOException {
    this.pool = pool;
    this.refusingPort = new Socket();
    refusingPort.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    PGSimpleDataSource refused = new PGSimpleDataSource();
    refused.setServerNames(new String[] {InetAddress.getLoopbackAddress().getHostAddress()});
    refused.setPortNumbers(new int[] {refusingPort.getLocalPort()});
    refused.setDatabaseName("unreachable");
    setTargetDataSources(Map.of(Boolean.FALSE, pool, Boolean.TRUE, refused));
    setDefaultTargetDataSource(pool);
  }

  /** Runs {@code call} with this thread's new connections refused. */
  <T> T during(Callable<T> call) throws Exception {
    outage.set(Boolean.TRUE);
    try {
      return call.call();
    } finally {
      outage.set(Boolean.FALSE);
    }
  }

  @Override
  protected Object determineCurrentLookupKey() {
    return outage.get();
  }

  @Override
  public void close() throws IOException {
    pool.close();
    refusingPort.close();
  }
}
