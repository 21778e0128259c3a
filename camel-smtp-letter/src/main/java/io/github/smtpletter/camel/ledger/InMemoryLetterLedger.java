package io.github.smtpletter.camel.ledger;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SendStatus;

/**
 * A {@link LetterLedger} in the memory of one JVM: shared by every endpoint, route and CamelContext given the same
 * instance, lost when the JVM stops. Use it to send each letter once across exchanges (a body copied by a processor,
 * the same letter arriving twice) inside one application; across restarts and instances use
 * {@link JdbcLetterLedger}.
 * <p>
 * Bounded: it keeps at most {@code maxEntries} keys. When a claim would go past that, the results stored longest ago
 * are forgotten first (a forgotten letter would be sent again if it came back); keys being sent are never forgotten,
 * and when every kept key is being sent a claim fails with {@link LedgerException}. Thread-safe.
 */
public class InMemoryLetterLedger implements LetterLedger {

    /** The default bound on the number of keys kept. */
    public static final int DEFAULT_MAX_ENTRIES = 100_000;

    private final int maxEntries;
    // ordered by the last change: the first DONE entries are the oldest results
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

    /** A ledger keeping at most {@value #DEFAULT_MAX_ENTRIES} keys. */
    public InMemoryLetterLedger() {
        this(DEFAULT_MAX_ENTRIES);
    }

    /**
     * A ledger keeping at most {@code maxEntries} keys.
     *
     * @param maxEntries the bound, at least 1
     */
    public InMemoryLetterLedger(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, got " + maxEntries);
        }
        this.maxEntries = maxEntries;
    }

    @Override
    public synchronized LedgerClaim claim(String key, String messageId, Duration lease, UnknownPolicy policy) {
        checkKey(key);
        long leaseNanos = leaseNanos(lease);
        Objects.requireNonNull(policy, "policy");
        long now = System.nanoTime();
        Entry e = entries.get(key);
        if (e != null) {
            if (e.result == null && now - e.deadline < 0) {
                return LedgerClaim.held(key);
            }
            boolean expired = e.result == null;
            if (policy == UnknownPolicy.REPORT || !expired && e.result.status() != SendStatus.UNKNOWN) {
                if (expired) {
                    e.result = LetterLedger.expiredClaimResult(e.messageId, e.lease);
                    touch(key, e);
                }
                return LedgerClaim.done(key, e.result);
            }
            // RETRY: an expired claim or a stored UNKNOWN result is taken over
            entries.remove(key);
        }
        makeRoom();
        String token = UUID.randomUUID().toString();
        entries.put(key, new Entry(token, messageId, lease, now + leaseNanos));
        return LedgerClaim.granted(key, token);
    }

    @Override
    public synchronized boolean complete(LedgerClaim claim, SendResult result) {
        Objects.requireNonNull(result, "result");
        Entry e = held(claim);
        if (e == null) {
            return false;
        }
        e.result = result;
        touch(claim.key(), e);
        return true;
    }

    @Override
    public synchronized void release(LedgerClaim claim) {
        if (held(claim) != null) {
            entries.remove(claim.key());
        }
    }

    @Override
    public synchronized Optional<SendResult> result(String key) {
        Entry e = entries.get(key);
        return e == null ? Optional.empty() : Optional.ofNullable(e.result);
    }

    /** @return how many keys are kept (claimed or done) */
    public synchronized int size() {
        return entries.size();
    }

    /** @return the bound on the number of keys kept */
    public int maxEntries() {
        return maxEntries;
    }

    private Entry held(LedgerClaim claim) {
        if (claim == null || claim.state() != LedgerClaim.State.NEW) {
            throw new IllegalArgumentException("not a NEW claim: " + claim);
        }
        Entry e = entries.get(claim.key());
        return e != null && e.token.equals(claim.token()) ? e : null;
    }

    private void touch(String key, Entry e) {
        entries.remove(key);
        entries.put(key, e);
    }

    private void makeRoom() {
        Iterator<Entry> it = entries.values().iterator();
        while (entries.size() >= maxEntries && it.hasNext()) {
            if (it.next().result != null) {
                it.remove();
            }
        }
        if (entries.size() >= maxEntries) {
            throw new LedgerException("the in-memory letter ledger is full: all of its " + maxEntries
                                      + " keys are being sent", null);
        }
    }

    static void checkKey(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("a ledger key must not be null or blank");
        }
    }

    static long leaseNanos(Duration lease) {
        if (lease == null || lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("a ledger lease must be positive, got " + lease);
        }
        return lease.toNanos();
    }

    private static final class Entry {
        final String token;
        final String messageId;
        final Duration lease;
        final long deadline;
        SendResult result;

        Entry(String token, String messageId, Duration lease, long deadline) {
            this.token = token;
            this.messageId = messageId;
            this.lease = lease;
            this.deadline = deadline;
        }
    }
}
