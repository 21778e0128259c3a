package io.github.smtpletter.smtp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The service extensions a server announced in its EHLO reply (RFC 5321 section 4.1.1.1), parsed once:
 * keywords (upper case) with their parameters, plus the values we use (SIZE limit, AUTH mechanisms).
 * After a HELO fallback the set is empty.
 */
final class SmtpCapabilities {

    static final String SIZE = "SIZE";
    static final String AUTH = "AUTH";
    static final String PIPELINING = "PIPELINING";
    static final String CHUNKING = "CHUNKING";
    static final String EIGHT_BIT_MIME = "8BITMIME";
    static final String SMTPUTF8 = "SMTPUTF8";
    static final String DSN = "DSN";
    static final String STARTTLS = "STARTTLS";
    static final String ENHANCEDSTATUSCODES = "ENHANCEDSTATUSCODES";

    private static final SmtpCapabilities NONE = new SmtpCapabilities(null, Map.of(), Set.of(), -1, false);

    private final String serverName;
    private final Map<String, List<String>> extensions;
    private final Set<String> authMechanisms;
    private final long sizeLimit;
    private final boolean esmtp;

    private SmtpCapabilities(String serverName, Map<String, List<String>> extensions, Set<String> authMechanisms,
                             long sizeLimit, boolean esmtp) {
        this.serverName = serverName;
        this.extensions = extensions;
        this.authMechanisms = authMechanisms;
        this.sizeLimit = sizeLimit;
        this.esmtp = esmtp;
    }

    /** No extensions (before EHLO, or after a HELO fallback). */
    static SmtpCapabilities none() {
        return NONE;
    }

    /** Parses a positive EHLO reply: first line is the server's name, every further line one extension. */
    static SmtpCapabilities parse(SmtpReply ehlo) {
        Map<String, List<String>> ext = new LinkedHashMap<>();
        Set<String> mechs = new LinkedHashSet<>();
        long size = -1;
        List<String> lines = ehlo.lines();
        String name = lines.isEmpty() ? null : firstWord(lines.get(0));
        for (int i = 1; i < lines.size(); i++) {
            String[] words = lines.get(i).trim().split("[ \t]+");
            if (words.length == 0 || words[0].isEmpty()) {
                continue;
            }
            String keyword = words[0].toUpperCase(Locale.ROOT);
            List<String> params = List.of(words).subList(1, words.length);
            if (keyword.startsWith("AUTH=")) {
                // legacy form "AUTH=LOGIN PLAIN" announced by old servers
                params = new ArrayList<>(params);
                params.add(0, keyword.substring(5));
                keyword = AUTH;
            }
            if (AUTH.equals(keyword)) {
                for (String p : params) {
                    if (!p.isEmpty()) {
                        mechs.add(p.toUpperCase(Locale.ROOT));
                    }
                }
                params = List.copyOf(mechs); // AUTH and AUTH= lines accumulate
            }
            if (SIZE.equals(keyword)) {
                size = 0;
                if (!params.isEmpty()) {
                    try {
                        size = Math.max(0, Long.parseLong(params.get(0)));
                    } catch (NumberFormatException e) {
                        size = 0;
                    }
                }
            }
            ext.put(keyword, List.copyOf(params));
        }
        return new SmtpCapabilities(name, Collections.unmodifiableMap(ext), Collections.unmodifiableSet(mechs), size,
                true);
    }

    private static String firstWord(String line) {
        String t = line.trim();
        int sp = t.indexOf(' ');
        return sp < 0 ? t : t.substring(0, sp);
    }

    /** @return whether the server announced this extension keyword (case-insensitive) */
    boolean has(String keyword) {
        return extensions.containsKey(keyword.toUpperCase(Locale.ROOT));
    }

    /** @return the parameters of an announced extension, empty when none or not announced */
    List<String> params(String keyword) {
        return extensions.getOrDefault(keyword.toUpperCase(Locale.ROOT), List.of());
    }

    /** @return all announced keywords (upper case) with their parameters */
    Map<String, List<String>> extensions() {
        return extensions;
    }

    /** @return SIZE limit in bytes: -1 when SIZE is not announced, 0 when announced without a limit */
    long sizeLimit() {
        return sizeLimit;
    }

    /** @return the AUTH mechanisms offered (upper case), empty when AUTH is not announced */
    Set<String> authMechanisms() {
        return authMechanisms;
    }

    /** @return the name the server gave on the first EHLO line, or {@code null} */
    String serverName() {
        return serverName;
    }

    @Override
    public String toString() {
        return esmtp ? extensions.toString() : "{HELO}";
    }
}
