package io.github.smtpletter.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A lenient SMTP server loop for {@link ScriptedSmtpPeer}: answers EHLO/HELO (with the given extension lines), AUTH
 * with an initial response (235), MAIL, RCPT (250 unless a rule says otherwise), DATA, BDAT, RSET, NOOP and QUIT in
 * any order and in pipelined flights, and records every message it receives. Use it as a whole script ({@link #run})
 * or to go on serving a connection after scripted steps ({@link #serve}). Ends quietly when the client closes the
 * connection or stays silent past the peer's read timeout (as a real server's idle timeout would).
 */
public final class SmtpResponder implements ScriptedSmtpPeer.Script {

    /** One message received (taken or refused, see {@link #code()}). */
    public record Received(int connection, String mailFrom, List<String> recipients, byte[] data, int code) {

        private static final Pattern MESSAGE_ID = Pattern.compile("(?im)^Message-ID:\\s*<([^>\\r\\n]+)>");

        /** @return the message as text (still dot-stuffed when it came through DATA) */
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }

        /** @return the Message-ID header's value without angle brackets, or {@code null} */
        public String messageId() {
            Matcher m = MESSAGE_ID.matcher(text());
            return m.find() ? m.group(1) : null;
        }
    }

    private final List<String> extensions;
    private volatile Function<String, String> rcptRule = address -> null;
    private volatile BiFunction<Received, Integer, String> dataRule = (message, nth) -> null;
    private final List<Received> attempts = new CopyOnWriteArrayList<>();
    private final AtomicInteger queueIds = new AtomicInteger();

    /**
     * @param extensions the EHLO extension lines, e.g. {@code "PIPELINING"}, {@code "SIZE 10000"}
     */
    public SmtpResponder(String... extensions) {
        this.extensions = List.of(extensions);
    }

    /**
     * Sets how RCPT is answered: the rule gets the address and returns a whole reply line ({@code "550 5.1.1 no"})
     * or {@code null} for 250.
     */
    public SmtpResponder rcpt(Function<String, String> rule) {
        this.rcptRule = rule;
        return this;
    }

    /**
     * Sets how the end of a message is answered: the rule gets the message (its code not yet known) and its number
     * on the connection (1 for the first) and returns a whole reply line ({@code "451 4.3.0 later"}) or
     * {@code null} for 250.
     */
    public SmtpResponder data(BiFunction<Received, Integer, String> rule) {
        this.dataRule = rule;
        return this;
    }

    /** @return the messages accepted (answered 2xx) so far, in order */
    public List<Received> messages() {
        return attempts.stream().filter(m -> m.code() / 100 == 2).toList();
    }

    /** @return every message received so far, accepted or refused, in order */
    public List<Received> attempts() {
        return List.copyOf(attempts);
    }

    /** @return the Message-IDs of the messages accepted so far */
    public List<String> messageIds() {
        return messages().stream().map(Received::messageId).toList();
    }

    /** @return how many times a message with this Message-ID was received (accepted or refused) */
    public long received(String messageId) {
        return attempts.stream().filter(m -> messageId.equals(m.messageId())).count();
    }

    /** @return how many times a message with this Message-ID was accepted */
    public long accepted(String messageId) {
        return messages().stream().filter(m -> messageId.equals(m.messageId())).count();
    }

    /** Greets, then {@link #serve serves} the connection. */
    @Override
    public void run(ScriptedSmtpPeer.Conn c) throws IOException {
        c.send("220 responder.test ESMTP");
        serve(c);
    }

    /** Serves commands on a connection that was already greeted until QUIT, the client's close or silence. */
    public void serve(ScriptedSmtpPeer.Conn c) throws IOException {
        String from = null;
        int nth = 0;
        List<String> rcpts = new ArrayList<>();
        ByteArrayOutputStream chunks = null;
        while (true) {
            String line;
            try {
                line = c.readLine();
            } catch (EOFException | SocketTimeoutException e) {
                return;
            } catch (SocketException e) {
                return; // the client reset the connection
            }
            String upper = line.toUpperCase(Locale.ROOT);
            if (upper.startsWith("EHLO ")) {
                String[] texts = new String[extensions.size() + 1];
                texts[0] = "responder.test";
                for (int i = 0; i < extensions.size(); i++) {
                    texts[i + 1] = extensions.get(i);
                }
                c.reply(250, texts);
            } else if (upper.startsWith("HELO ")) {
                c.send("250 responder.test");
            } else if (upper.startsWith("MAIL FROM:")) {
                from = line.substring(10);
                rcpts = new ArrayList<>();
                chunks = null;
                c.send("250 2.1.0 Ok");
            } else if (upper.startsWith("RCPT TO:")) {
                String address = line.substring(8);
                int lt = address.indexOf('<');
                int gt = address.indexOf('>');
                if (lt >= 0 && gt > lt) {
                    address = address.substring(lt + 1, gt);
                }
                String reply = rcptRule.apply(address);
                if (reply == null) {
                    rcpts.add(address);
                    c.send("250 2.1.5 Ok");
                } else {
                    c.send(reply);
                }
            } else if (upper.equals("DATA")) {
                if (from == null || rcpts.isEmpty()) {
                    c.send("554 5.5.1 Error: no valid recipients");
                    continue;
                }
                c.send("354 End data with <CR><LF>.<CR><LF>");
                byte[] data = c.readData();
                answer(c, from, rcpts, data, ++nth);
                from = null;
            } else if (upper.startsWith("BDAT ")) {
                String[] parts = line.split(" ");
                byte[] chunk = c.readBytes(Integer.parseInt(parts[1]));
                if (chunks == null) {
                    chunks = new ByteArrayOutputStream();
                }
                chunks.writeBytes(chunk);
                if (parts.length > 2 && parts[2].equalsIgnoreCase("LAST")) {
                    if (from == null || rcpts.isEmpty()) {
                        c.send("554 5.5.1 Error: no valid recipients");
                    } else {
                        answer(c, from, rcpts, chunks.toByteArray(), ++nth);
                    }
                    from = null;
                    chunks = null;
                } else {
                    c.send("250 2.0.0 " + chunk.length + " octets received");
                }
            } else if (upper.startsWith("AUTH ")) {
                c.send("235 2.7.0 Authentication successful"); // any mechanism with an initial response
            } else if (upper.equals("RSET")) {
                from = null;
                chunks = null;
                c.send("250 2.0.0 Ok");
            } else if (upper.equals("NOOP")) {
                c.send("250 2.0.0 Ok");
            } else if (upper.equals("QUIT")) {
                c.send("221 2.0.0 Bye");
                return;
            } else {
                c.send("502 5.5.2 Error: command not recognized");
            }
        }
    }

    private void answer(ScriptedSmtpPeer.Conn c, String from, List<String> rcpts, byte[] data, int nth)
            throws IOException {
        Received message = new Received(c.index(), from, List.copyOf(rcpts), data, 0);
        String reply = dataRule.apply(message, nth);
        if (reply == null) {
            reply = "250 2.0.0 Ok: queued as R" + queueIds.incrementAndGet();
        }
        attempts.add(new Received(c.index(), from, List.copyOf(rcpts), data, Integer.parseInt(reply.substring(0, 3))));
        c.send(reply);
    }
}
