package dev.usagemetrics.targets.spring;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

/**
 * A configured persist target: Spring Data implements it with a JDK dynamic proxy, the only class
 * that implements this interface.
 */
public interface UsageRecordRepository extends JpaRepository<UsageRecord, Long> {

  /** The persist methods, as the agent's configuration names them (inherited from Spring Data). */
  List<String> PERSIST_METHODS = List.of("save", "saveAll", "saveAndFlush", "saveAllAndFlush");
}
