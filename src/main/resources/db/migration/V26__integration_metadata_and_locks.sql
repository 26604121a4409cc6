-- Spring Integration's JDBC metadata store and lock registry (spring-integration-jdbc's
-- schema-postgresql.sql, the two tables the hub uses): the file drops remember which files they took
-- (one node takes a file, once) and lock a file while it is imported. Boot's own schema initializer for
-- Spring Integration is off (spring.integration.jdbc.initialize-schema: never): Flyway owns the schema.
CREATE TABLE INT_METADATA_STORE (
    METADATA_KEY   VARCHAR(255) NOT NULL,
    METADATA_VALUE VARCHAR(4000),
    REGION         VARCHAR(100) NOT NULL,
    CONSTRAINT INT_METADATA_STORE_PK PRIMARY KEY (METADATA_KEY, REGION)
);

CREATE TABLE INT_LOCK (
    LOCK_KEY      CHAR(36)     NOT NULL,
    REGION        VARCHAR(100) NOT NULL,
    CLIENT_ID     CHAR(36),
    CREATED_DATE  TIMESTAMP    NOT NULL,
    EXPIRED_AFTER TIMESTAMP    NOT NULL,
    CONSTRAINT INT_LOCK_PK PRIMARY KEY (LOCK_KEY, REGION)
);
