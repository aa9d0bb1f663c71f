-- The Spring target's schema, created anew at each start. The model column is shorter than the
-- entity's validation allows, so a long model name is refused by PostgreSQL itself (22001).
DROP TABLE IF EXISTS usage_record;
DROP SEQUENCE IF EXISTS usage_record_seq;
CREATE SEQUENCE usage_record_seq INCREMENT BY 50;
CREATE TABLE usage_record (
  id BIGINT PRIMARY KEY,
  request_id VARCHAR(36) NOT NULL UNIQUE,
  model VARCHAR(16) NOT NULL,
  tokens BIGINT NOT NULL,
  cost NUMERIC(12, 6) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
