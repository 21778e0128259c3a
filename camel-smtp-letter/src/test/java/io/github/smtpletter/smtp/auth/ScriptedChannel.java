package io.github.smtpletter.smtp.auth;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import io.github.smtpletter.smtp.SmtpCommandChannel;
import io.github.smtpletter.smtp.SmtpReply;

/** A fake session: records every line sent (and whether it was flagged sensitive) and answers from a script. */
final class ScriptedChannel implements SmtpCommandChannel {

    /** One line the client sent. */
    record Sent(String line, boolean sensitive) {
    }

    private final Deque<Object> script = new ArrayDeque<>();
    private final List<Sent> sent = new ArrayList<>();

    /** Queues a reply without an enhanced status code. */
    ScriptedChannel then(int code, String text) {
        script.add(SmtpReply.of(code, text));
        return this;
    }

    /** Queues a reply with an enhanced status code. */
    ScriptedChannel then(int code, String enhancedCode, String text) {
        script.add(new SmtpReply(code, enhancedCode, List.of(text)));
        return this;
    }

    /** Queues a connection failure. */
    ScriptedChannel thenFail(IOException e) {
        script.add(e);
        return this;
    }

    @Override
    public SmtpReply exchange(String line, boolean sensitive) throws IOException {
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
            throw new AssertionError("the client sent a line with CR/LF in it: " + line);
        }
        sent.add(new Sent(line, sensitive));
        Object next = script.poll();
        if (next == null) {
            throw new AssertionError("unexpected line after the script ended: " + line);
        }
        if (next instanceof IOException e) {
            throw e;
        }
        return (SmtpReply) next;
    }

    /** The lines sent, in order. */
    List<String> lines() {
        return sent.stream().map(Sent::line).toList();
    }

    /** The lines sent with their sensitive flags. */
    List<Sent> sent() {
        return sent;
    }

    /** Whether every scripted reply has been used. */
    boolean finished() {
        return script.isEmpty();
    }
}
