package io.github.smtpletter.camel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.smtpletter.letter.MailAddress;
import io.github.smtpletter.smtp.PoolProbe;
import io.github.smtpletter.smtp.RecipientFailure;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SmtpClient;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Shared by the camel tests: results described in one line, checks of the component's SMTP client. */
final class LetterSmtpTestHelper {

    private LetterSmtpTestHelper() {
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
    static void assertNoThreadInSmtpClient() {
        // the sender returned already; a worker of a parallel slice may still be handing its lease back
        await("no thread inside the SMTP client").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .until(LetterSmtpTestHelper::threadsInSmtpClient, List::isEmpty);
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
    static void awaitNoComponentThreads(CamelContext context) {
        await("no thread of the letter-smtp component left").atMost(Duration.ofSeconds(5))
                .until(() -> componentThreads(context).isEmpty());
    }
}
