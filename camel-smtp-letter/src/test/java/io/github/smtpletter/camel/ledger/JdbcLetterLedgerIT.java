package io.github.smtpletter.camel.ledger;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import io.github.smtpletter.testsupport.PostgresExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ledger contract on {@link JdbcLetterLedger} against a real PostgreSQL (a private cluster of
 * {@link PostgresExtension}), where every claim goes through the database as other instances' claims would: each
 * ledger operation of the contract's racing threads uses its own connection.
 */
@Timeout(300)
class JdbcLetterLedgerIT extends LetterLedgerContract {

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    private static JdbcLetterLedger ledger;
    private static HikariDataSource pool;

    @BeforeAll
    static void createTable() {
        pool = POSTGRES.pooledDataSource(20);
        ledger = new JdbcLetterLedger(pool);
        ledger.createTable();
        ledger.createTable(); // IF NOT EXISTS: a second instance starting does no harm
    }

    @AfterAll
    static void closePool() {
        if (pool != null) {
            pool.close();
        }
    }

    @Override
    LetterLedger ledger() {
        return ledger;
    }

    @Test
    void twoLedgerObjectsOnOneTableAreOneLedger() throws Exception {
        JdbcLetterLedger other = new JdbcLetterLedger(POSTGRES.dataSource(), "public.letter_ledger"); // unpooled
        String k = key("shared");
        List<LedgerClaim.State> states = race(8, () -> (Math.random() < 0.5 ? ledger : other)
                .claim(k, k, LONG, UnknownPolicy.REPORT).state());
        assertEquals(1, states.stream().filter(s -> s == LedgerClaim.State.NEW).count(), states.toString());
    }

    @Test
    void theRowIsReadableBySql() throws Exception {
        String k = key("sql");
        ledger.complete(ledger.claim(k, "mid", LONG, UnknownPolicy.REPORT), partiallySent("mid"));
        try (Connection c = POSTGRES.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT status, message_id, reply_code, done_at IS NOT NULL"
                                              + " FROM letter_ledger WHERE letter_key = '" + k + "'")) {
            assertTrue(rs.next());
            assertEquals("PARTIALLY_SENT", rs.getString(1));
            assertEquals("mid", rs.getString(2));
            assertEquals(250, rs.getInt(3));
            assertTrue(rs.getBoolean(4));
        }
    }

    @Test
    void aMissingTableIsALedgerException() {
        JdbcLetterLedger missing = new JdbcLetterLedger(POSTGRES.dataSource(), "no_such_table");
        LedgerException e = assertThrows(LedgerException.class,
                () -> missing.claim(key("missing"), null, LONG, UnknownPolicy.REPORT));
        assertTrue(e.getMessage().contains("no_such_table"), e.getMessage());
    }

    @Test
    void anUnreachableDatabaseIsALedgerExceptionWithoutThePassword() {
        PGSimpleDataSource ds = (PGSimpleDataSource) POSTGRES.dataSource();
        ds.setPassword("a-wrong-secret");
        LedgerException wrong = assertThrows(LedgerException.class,
                () -> new JdbcLetterLedger(ds).claim(key("down"), null, LONG, UnknownPolicy.REPORT));
        assertFalse(wrong.getMessage().contains("a-wrong-secret"), wrong.getMessage());
        PGSimpleDataSource nowhere = (PGSimpleDataSource) POSTGRES.dataSource();
        nowhere.setUrl("jdbc:postgresql://127.0.0.1:1/letters");
        assertThrows(LedgerException.class,
                () -> new JdbcLetterLedger(nowhere).claim(key("down"), null, LONG, UnknownPolicy.REPORT));
    }

    @Test
    void badTableNamesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new JdbcLetterLedger(POSTGRES.dataSource(), "x; DROP"));
    }
}
