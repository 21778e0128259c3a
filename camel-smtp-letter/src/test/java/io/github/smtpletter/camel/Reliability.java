package io.github.smtpletter.camel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.github.smtpletter.letter.MailAddress;
import io.github.smtpletter.smtp.PoolProbe;
import io.github.smtpletter.smtp.RecipientFailure;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SmtpClient;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Helpers shared by the reliability tests of the camel package. */
final class Reliability {

    private Reliability() {
    }

    /**
     * One line per result, for exact comparisons: {@code STATUS [retryable] [+accepted ...] [-rejected:code ...]},
     * e.g. {@code "PARTIALLY_SENT +a@t -b@t:550 -c@t:452"}.
     */
    static String describe(SendResult r) {
        StringBuilder sb = new StringBuilder(r.status().name());
        if (r.isRetryable()) {
            sb.append(" retryable");
        }
        for (MailAddress a : r.acceptedRecipients()) {
            sb.append(" +").append(a.address());
        }
        for (RecipientFailure f : r.rejectedRecipients()) {
            sb.append(" -").append(f.recipient().address()).append(':').append(f.code());
        }
        return sb.toString();
    }

    static List<String> describe(List<?> results) {
        List<String> out = new ArrayList<>();
        for (Object o : results) {
            out.add(describe((SendResult) o));
        }
        return out;
    }

    /** The SMTP client of the context's letter-smtp component. */
    static SmtpClient client(CamelContext context) {
        return context.getComponent("letter-smtp", LetterSmtpComponent.class).client();
    }

    /** Asserts that no connection of the endpoint's pool is still handed out, and how many are open. */
    static void assertPool(CamelContext context, Endpoint endpoint, int open) {
        LetterSmtpEndpoint e = (LetterSmtpEndpoint) endpoint;
        int[] stats = PoolProbe.stats(client(context), e.connectionParameters());
        assertEquals(0, stats[2], "connections still leased");
        assertEquals(open, stats[0], "open connections (idle " + stats[1] + ")");
        assertEquals(open, client(context).openConnections(), "open connections over all pools");
    }

    /** Asserts that no thread is inside the SMTP client (waiting for a reply, a connection or a write). */
    static void assertNoThreadInSmtpClient() throws InterruptedException {
        // the sender returned already; a worker of a parallel slice may still be handing its lease back
        await("no thread inside the SMTP client", Duration.ofSeconds(5), () -> threadsInSmtpClient().isEmpty());
    }

    static List<String> threadsInSmtpClient() {
        List<String> busy = new ArrayList<>();
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            for (StackTraceElement f : e.getValue()) {
                String c = f.getClassName();
                if (c.startsWith("io.github.smtpletter.smtp.SmtpSession")
                    || c.startsWith("io.github.smtpletter.smtp.SmtpTransaction")
                    || c.startsWith("io.github.smtpletter.smtp.SmtpReplyReader")
                    || c.startsWith("io.github.smtpletter.smtp.ConnectionPool")) {
                    busy.add(e.getKey().getName() + " at " + f);
                    break;
                }
            }
        }
        return busy;
    }

    /** The live threads of the context's letter-smtp component (named by Camel's ExecutorServiceManager). */
    static List<String> componentThreads(CamelContext context) {
        String prefix = "Camel (" + context.getName() + ") thread ";
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (t.isAlive() && name.startsWith(prefix)
                && (name.endsWith(" - LetterSmtpSender") || name.endsWith(" - LetterSmtpTimer"))) {
                names.add(name);
            }
        }
        return names;
    }

    /** Waits until no thread of the context's letter-smtp component is alive (after the context stopped). */
    static void awaitNoComponentThreads(CamelContext context) throws InterruptedException {
        await("no thread of the letter-smtp component left", Duration.ofSeconds(5),
                () -> componentThreads(context).isEmpty());
    }

    /** Waits (bounded) for a condition; fails when it does not hold in time. */
    static void await(String what, Duration max, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        Object lock = new Object();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + max + " waiting for " + what);
            }
            synchronized (lock) {
                lock.wait(TimeUnit.MILLISECONDS.toMillis(10));
            }
        }
    }
}
