package dev.usagemetrics.targets.spring;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A configured persist target: Spring runs it as a CGLIB subclass whose overrides commit after
 * the method body has returned, so failures at commit happen inside the call. Every method reaches
 * the repository, a call nested in this one.
 */
@Service
public class UsageRecordService {

  /** The persist methods, as the agent's configuration names them. */
  public static final List<String> PERSIST_METHODS =
      List.of("record", "recordNow", "recordAll", "recordWithin", "amendBoth", "amendAfterRead");

  private final UsageRecordRepository repository;
  private final JdbcTemplate jdbc;

  public UsageRecordService(UsageRecordRepository repository, JdbcTemplate jdbc) {
    this.repository = repository;
    this.jdbc = jdbc;
  }

  /** Inserted at commit. */
  @Transactional
  public UsageRecord record(UsageRecord record) {
    return repository.save(record);
  }

  /** Inserted before the method returns. */
  @Transactional
  public UsageRecord recordNow(UsageRecord record) {
    return repository.saveAndFlush(record);
  }

  @Transactional
  public List<UsageRecord> recordAll(List<UsageRecord> records) {
    return repository.saveAll(records);
  }

  /** Inserted before the method returns, waiting no longer than {@code limit} allows. */
  @Transactional
  public UsageRecord recordWithin(UsageRecord record, WaitLimit limit) {
    limit.apply(jdbc);
    return repository.saveAndFlush(record);
  }

  /** Sets both records' tokens, one after the other, in one transaction. */
  @Transactional
  public void amendBoth(long firstId, long secondId, long tokens, Runnable betweenUpdates) {
    amend(firstId, tokens);
    betweenUpdates.run();
    amend(secondId, tokens);
  }

  /** Sets a record's tokens as of a snapshot taken when it was read. */
  @Transactional(isolation = Isolation.REPEATABLE_READ)
  public void amendAfterRead(long id, long tokens, Runnable afterRead) {
    UsageRecord record = repository.findById(id).orElseThrow();
    afterRead.run();
    record.setTokens(tokens);
    repository.saveAndFlush(record);
  }

  private void amend(long id, long tokens) {
    UsageRecord record = repository.findById(id).orElseThrow();
    record.setTokens(tokens);
    repository.saveAndFlush(record);
  }
}
