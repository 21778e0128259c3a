package io.github.smtpletter.examples.kafkascaleout;

import javax.sql.DataSource;

import io.github.smtpletter.camel.ledger.JdbcLetterLedger;
import io.github.smtpletter.camel.ledger.LetterLedger;

/** Makes the ledger the instances share. */
final class Ledgers {

    private Ledgers() {
    }

    /**
     * The JDBC ledger in its default table, created when missing. Instances starting together may race to create
     * it: a failed {@code CREATE TABLE IF NOT EXISTS} is tried once more, when the other instance has made it.
     */
    static LetterLedger jdbc(DataSource dataSource) {
        JdbcLetterLedger ledger = new JdbcLetterLedger(dataSource);
        try {
            ledger.createTable();
        } catch (RuntimeException raced) {
            ledger.createTable();
        }
        return ledger;
    }
}
