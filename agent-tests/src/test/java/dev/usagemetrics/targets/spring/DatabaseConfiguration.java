package dev.usagemetrics.targets.spring;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The DataSource: HikariCP on {@code spring.datasource.*}, behind the switch the outage scenario uses. */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

  /** Four workers, each with a transaction and another connection that blocks or interferes with it. */
  private static final int POOL_SIZE = 12;

  @Bean
  OutageDataSource dataSource(DataSourceProperties properties) throws IOException {
    HikariDataSource pool =
        properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
    pool.setPoolName("usage");
    pool.setMaximumPoolSize(POOL_SIZE);
    return new OutageDataSource(pool);
  }
}
