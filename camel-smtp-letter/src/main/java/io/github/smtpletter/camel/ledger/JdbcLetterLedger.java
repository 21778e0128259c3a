package io.github.smtpletter.camel.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.github.smtpletter.letter.Checks;
import io.github.smtpletter.smtp.SendResult;

/**
 * A {@link LetterLedger} in a database table, shared by every instance of the application that uses the same
 * database: the ledger that makes "sent once" hold across restarts, replays and instances. Written for PostgreSQL
 * (tested on 15): a claim is an {@code INSERT ... ON CONFLICT DO NOTHING} on the key's primary key, and every change
 * of a claimed row is an {@code UPDATE} or {@code DELETE} conditional on the claim's token (and, to take an expired
 * claim over, on the lease having ended), each one statement in its own transaction, so that two instances can never
 * both hold a key. Lease times are the database's clock ({@code now()}), so instances need no common clock.
 * <p>
 * The table (create it with {@link #createTable()}, or with the DDL of {@link #createTableSql()}):
 *
 * <pre>
 * CREATE TABLE IF NOT EXISTS letter_ledger (
 *   letter_key     TEXT PRIMARY KEY,        -- the key claimed
 *   token          TEXT NOT NULL,           -- which claim holds it
 *   message_id     TEXT,                    -- the letter's Message-ID
 *   lease_ms       BIGINT NOT NULL,         -- the lease of the claim
 *   lease_until    TIMESTAMPTZ NOT NULL,    -- when the claim expires
 *   claimed_at     TIMESTAMPTZ NOT NULL,
 *   done_at        TIMESTAMPTZ,             -- when the result was stored
 *   status         TEXT,                    -- NULL while claimed; SENT, PARTIALLY_SENT, REJECTED, UNKNOWN (FAILED is not kept)
 *   accepted       TEXT,                    -- accepted recipients, one a line
 *   rejected       TEXT,                    -- refused recipients, one a line: address TAB code TAB enhanced code TAB text
 *   reply_code     INTEGER,                 -- the server's final reply
 *   reply_enhanced TEXT,
 *   reply_text     TEXT,
 *   error          TEXT,
 *   retryable      BOOLEAN NOT NULL DEFAULT FALSE)
 * </pre>
 *
 * A row whose {@code status} is set is the letter's final result and is kept until someone deletes it (delete old
 * rows by {@code done_at} when a replay past that age is impossible). The {@link DataSource} should pool connections
 * (each operation takes one connection for one statement or two); a connection or SQL failure is a
 * {@link LedgerException}, so the letter is not sent.
 */
public class JdbcLetterLedger implements LetterLedger {

    /** The default table name. */
    public static final String DEFAULT_TABLE = "letter_ledger";

    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
    private static final String RESULT_COLUMNS = "status, message_id, accepted, rejected, reply_code, reply_enhanced, reply_text, error, retryable";
    private static final int MAX_ROUNDS = 8;

    private final DataSource dataSource;
    private final String table;
    private final String insert;
    private final String select;
    private final String takeOver;
    private final String expire;
    private final String store;
    private final String delete;
    private final String selectResult;

    /**
     * A ledger in the table {@value #DEFAULT_TABLE}.
     *
     * @param dataSource where the table is
     */
    public JdbcLetterLedger(DataSource dataSource) {
        this(dataSource, DEFAULT_TABLE);
    }

    /**
     * A ledger in the given table.
     *
     * @param dataSource where the table is
     * @param table      the table name, optionally with a schema: letters, digits and {@code _} ({@code schema.table})
     */
    public JdbcLetterLedger(DataSource dataSource, String table) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        if (table == null || !TABLE_NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("invalid ledger table name " + (table == null ? "null"
                    : Checks.quote(table)) + ": expected letters, digits and _ (optionally schema.table)");
        }
        this.table = table;
        String lease = "now() + ? * INTERVAL '1 millisecond'";
        insert = "INSERT INTO " + table + " (letter_key, token, message_id, lease_ms, lease_until, claimed_at)"
                 + " VALUES (?, ?, ?, ?, " + lease + ", now()) ON CONFLICT (letter_key) DO NOTHING";
        select = "SELECT token, lease_until < now() AS expired, lease_ms, " + RESULT_COLUMNS + " FROM " + table
                 + " WHERE letter_key = ?";
        takeOver = "UPDATE " + table + " SET token = ?, message_id = ?, lease_ms = ?, lease_until = " + lease
                   + ", claimed_at = now(), done_at = NULL, status = NULL, accepted = NULL, rejected = NULL,"
                   + " reply_code = NULL, reply_enhanced = NULL, reply_text = NULL, error = NULL, retryable = FALSE"
                   + " WHERE letter_key = ? AND token = ?"
                   + " AND (status = 'UNKNOWN' OR status IS NULL AND lease_until < now())";
        expire = "UPDATE " + table + " SET status = 'UNKNOWN', error = ?, done_at = now()"
                 + " WHERE letter_key = ? AND token = ? AND status IS NULL AND lease_until < now()";
        store = "UPDATE " + table + " SET status = ?, message_id = ?, accepted = ?, rejected = ?, reply_code = ?,"
                + " reply_enhanced = ?, reply_text = ?, error = ?, retryable = ?, done_at = now()"
                + " WHERE letter_key = ? AND token = ?";
        delete = "DELETE FROM " + table + " WHERE letter_key = ? AND token = ?";
        selectResult = "SELECT " + RESULT_COLUMNS + " FROM " + table + " WHERE letter_key = ? AND status IS NOT NULL";
    }

    /** @return the table's name */
    public String table() {
        return table;
    }

    /** @return the {@code CREATE TABLE IF NOT EXISTS} statement of this ledger's table (PostgreSQL) */
    public String createTableSql() {
        return "CREATE TABLE IF NOT EXISTS " + table + " (letter_key TEXT PRIMARY KEY, token TEXT NOT NULL,"
               + " message_id TEXT, lease_ms BIGINT NOT NULL, lease_until TIMESTAMPTZ NOT NULL,"
               + " claimed_at TIMESTAMPTZ NOT NULL, done_at TIMESTAMPTZ, status TEXT, accepted TEXT, rejected TEXT,"
               + " reply_code INTEGER, reply_enhanced TEXT, reply_text TEXT, error TEXT,"
               + " retryable BOOLEAN NOT NULL DEFAULT FALSE)";
    }

    /**
     * Creates the table when it does not exist.
     *
     * @throws LedgerException when the database refuses
     */
    public void createTable() {
        try (Connection c = connection(); Statement s = c.createStatement()) {
            s.execute(createTableSql());
        } catch (SQLException e) {
            throw failure("cannot create the ledger table", e);
        }
    }

    @Override
    public LedgerClaim claim(String key, String messageId, Duration lease, UnknownPolicy policy) {
        InMemoryLetterLedger.checkKey(key);
        long leaseMs = Math.max(1, InMemoryLetterLedger.leaseNanos(lease) / 1_000_000);
        Objects.requireNonNull(policy, "policy");
        String token = UUID.randomUUID().toString();
        try (Connection c = connection()) {
            // each round either decides or saw the row change under it (released, taken over): then it looks again
            for (int round = 0; round < MAX_ROUNDS; round++) {
                try (PreparedStatement ps = c.prepareStatement(insert)) {
                    ps.setString(1, key);
                    ps.setString(2, token);
                    ps.setString(3, messageId);
                    ps.setLong(4, leaseMs);
                    ps.setLong(5, leaseMs);
                    if (ps.executeUpdate() == 1) {
                        return LedgerClaim.granted(key, token);
                    }
                }
                Row row = read(c, key);
                if (row == null) {
                    continue; // released between the insert and the select
                }
                if (row.columns.status == null && !row.expired) {
                    return LedgerClaim.held(key);
                }
                boolean unknown = row.columns.status == null || "UNKNOWN".equals(row.columns.status);
                if (policy == UnknownPolicy.RETRY && unknown) {
                    if (takeOver(c, key, row.token, token, messageId, leaseMs)) {
                        return LedgerClaim.granted(key, token);
                    }
                    continue;
                }
                if (row.columns.status != null) {
                    return LedgerClaim.done(key, row.columns.toResult());
                }
                SendResult expired = LetterLedger.expiredClaimResult(row.columns.messageId,
                        Duration.ofMillis(row.leaseMs));
                try (PreparedStatement ps = c.prepareStatement(expire)) {
                    ps.setString(1, expired.error());
                    ps.setString(2, key);
                    ps.setString(3, row.token);
                    if (ps.executeUpdate() == 1) {
                        return LedgerClaim.done(key, expired);
                    }
                }
            }
            // the row kept changing under this claim: another attempt is at work on it
            return LedgerClaim.held(key);
        } catch (SQLException e) {
            throw failure("cannot claim a letter", e);
        }
    }

    @Override
    public boolean complete(LedgerClaim claim, SendResult result) {
        checkNew(claim);
        ResultColumns r = ResultColumns.of(Objects.requireNonNull(result, "result"));
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(store)) {
            ps.setString(1, r.status);
            ps.setString(2, r.messageId);
            ps.setString(3, r.accepted);
            ps.setString(4, r.rejected);
            if (r.replyCode == null) {
                ps.setNull(5, Types.INTEGER);
            } else {
                ps.setInt(5, r.replyCode);
            }
            ps.setString(6, r.replyEnhancedCode);
            ps.setString(7, r.replyText);
            ps.setString(8, r.error);
            ps.setBoolean(9, r.retryable);
            ps.setString(10, claim.key());
            ps.setString(11, claim.token());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failure("cannot store a letter's result", e);
        }
    }

    @Override
    public void release(LedgerClaim claim) {
        checkNew(claim);
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(delete)) {
            ps.setString(1, claim.key());
            ps.setString(2, claim.token());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("cannot release a letter's claim", e);
        }
    }

    @Override
    public Optional<SendResult> result(String key) {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(selectResult)) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(columns(rs).toResult()) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("cannot read a letter's result", e);
        }
    }

    private boolean takeOver(Connection c, String key, String oldToken, String token, String messageId, long leaseMs)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(takeOver)) {
            ps.setString(1, token);
            ps.setString(2, messageId);
            ps.setLong(3, leaseMs);
            ps.setLong(4, leaseMs);
            ps.setString(5, key);
            ps.setString(6, oldToken);
            return ps.executeUpdate() == 1;
        }
    }

    private Row read(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(select)) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new Row(rs.getString("token"), rs.getBoolean("expired"), rs.getLong("lease_ms"), columns(rs));
            }
        }
    }

    private static ResultColumns columns(ResultSet rs) throws SQLException {
        int code = rs.getInt("reply_code");
        Integer replyCode = rs.wasNull() ? null : code;
        return new ResultColumns(rs.getString("status"), rs.getString("message_id"), rs.getString("accepted"),
                rs.getString("rejected"), replyCode, rs.getString("reply_enhanced"), rs.getString("reply_text"),
                rs.getString("error"), rs.getBoolean("retryable"));
    }

    private Connection connection() throws SQLException {
        Connection c = dataSource.getConnection();
        if (!c.getAutoCommit()) {
            c.setAutoCommit(true); // every statement is its own atomic step
        }
        return c;
    }

    private static void checkNew(LedgerClaim claim) {
        if (claim == null || claim.state() != LedgerClaim.State.NEW) {
            throw new IllegalArgumentException("not a NEW claim: " + claim);
        }
    }

    private LedgerException failure(String what, SQLException e) {
        return new LedgerException("letter ledger (table " + table + "): " + what + ": " + e.getMessage(), e);
    }

    @Override
    public String toString() {
        return "JdbcLetterLedger[" + table + "]";
    }

    private record Row(String token, boolean expired, long leaseMs, ResultColumns columns) {
    }
}
