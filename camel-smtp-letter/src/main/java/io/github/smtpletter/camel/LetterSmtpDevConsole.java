package io.github.smtpletter.camel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.smtpletter.smtp.SendStatus;
import io.github.smtpletter.smtp.SmtpStatistics;
import org.apache.camel.Component;
import org.apache.camel.spi.annotations.DevConsole;
import org.apache.camel.support.console.AbstractDevConsole;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;

/**
 * The {@code letter-smtp} dev console (group {@code camel}): for each letter-smtp component of the CamelContext, per
 * server, the letters per status, recipients, bytes, AUTH failures, the mean time per letter and the connection
 * pool; then the last letters that were not sent to every recipient. Nothing secret is shown: error texts of results
 * never carry a password or token.
 */
@DevConsole(name = "letter-smtp", displayName = "Letter SMTP",
            description = "Letters per status, connection pools and last errors of the letter-smtp component")
public class LetterSmtpDevConsole extends AbstractDevConsole {

    public LetterSmtpDevConsole() {
        super("camel", "letter-smtp", "Letter SMTP",
                "Letters per status, connection pools and last errors of the letter-smtp component");
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        StringBuilder sb = new StringBuilder();
        for (var c : components()) {
            sb.append("Component: ").append(c.getKey()).append('\n');
            for (SmtpStatistics.Server s : servers(c.getValue())) {
                sb.append("  Server: ").append(s.address()).append('\n');
                sb.append("    Letters:");
                for (SendStatus status : SendStatus.values()) {
                    sb.append(' ').append(status.name()).append('=').append(s.letters(status));
                }
                sb.append('\n');
                sb.append("    Recipients: accepted=").append(s.acceptedRecipients()).append(" rejected=")
                        .append(s.rejectedRecipients()).append('\n');
                sb.append("    Bytes sent: ").append(s.bytesSent()).append("  AUTH failures: ")
                        .append(s.authFailures()).append(String.format(Locale.ROOT, "  Mean time per letter: %.1f ms",
                                meanMillis(s)))
                        .append('\n');
                SmtpStatistics.Pool p = s.pool();
                sb.append("    Pool: open=").append(p.open()).append(" idle=").append(p.idle()).append(" leased=")
                        .append(p.leased()).append(" waiting=").append(p.waiting()).append('\n');
            }
            List<SmtpStatistics.LastError> errors = c.getValue().lastErrors();
            sb.append("  Last errors: ").append(errors.isEmpty() ? "none" : "").append('\n');
            for (SmtpStatistics.LastError e : errors) {
                sb.append("    ").append(line(e)).append('\n');
            }
        }
        return sb.toString();
    }

    @Override
    protected Map<String, Object> doCallJson(Map<String, Object> options) {
        JsonObject root = new JsonObject();
        JsonArray list = new JsonArray();
        for (var c : components()) {
            JsonObject jc = new JsonObject();
            jc.put("component", c.getKey());
            JsonArray servers = new JsonArray();
            for (SmtpStatistics.Server s : servers(c.getValue())) {
                JsonObject js = new JsonObject();
                js.put("server", s.address());
                JsonObject letters = new JsonObject();
                for (SendStatus status : SendStatus.values()) {
                    letters.put(status.name(), s.letters(status));
                }
                js.put("letters", letters);
                js.put("acceptedRecipients", s.acceptedRecipients());
                js.put("rejectedRecipients", s.rejectedRecipients());
                js.put("bytesSent", s.bytesSent());
                js.put("authFailures", s.authFailures());
                js.put("meanLetterTimeMillis", meanMillis(s));
                SmtpStatistics.Pool p = s.pool();
                JsonObject pool = new JsonObject();
                pool.put("open", p.open());
                pool.put("idle", p.idle());
                pool.put("leased", p.leased());
                pool.put("waiting", p.waiting());
                js.put("pool", pool);
                servers.add(js);
            }
            jc.put("servers", servers);
            JsonArray errors = new JsonArray();
            for (SmtpStatistics.LastError e : c.getValue().lastErrors()) {
                JsonObject je = new JsonObject();
                je.put("time", e.time().toString());
                je.put("server", e.server());
                je.put("status", e.status().name());
                je.put("messageId", e.messageId());
                je.put("error", e.error());
                errors.add(je);
            }
            jc.put("lastErrors", errors);
            list.add(jc);
        }
        root.put("components", list);
        return root;
    }

    /** One line for a last error: time, server, status, Message-ID and the error text. */
    static String line(SmtpStatistics.LastError e) {
        return e.time() + " " + e.server() + " " + e.status() + " " + e.messageId() + ": " + e.error();
    }

    private List<Map.Entry<String, SmtpStatistics>> components() {
        List<Map.Entry<String, SmtpStatistics>> found = new ArrayList<>();
        for (String name : getCamelContext().getComponentNames()) {
            Component c = getCamelContext().hasComponent(name);
            if (c instanceof LetterSmtpComponent lc && lc.getStatistics() != null) {
                found.add(Map.entry(name, lc.getStatistics()));
            }
        }
        return found;
    }

    private static List<SmtpStatistics.Server> servers(SmtpStatistics statistics) {
        List<SmtpStatistics.Server> servers = new ArrayList<>(statistics.servers());
        servers.sort(Comparator.comparing(SmtpStatistics.Server::address));
        return servers;
    }

    private static double meanMillis(SmtpStatistics.Server s) {
        long n = s.timedLetters();
        return n == 0 ? 0 : s.sendingTime().toNanos() / 1e6 / n;
    }
}
