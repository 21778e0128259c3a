package io.github.smtpletter.smtp;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.Socket;

/**
 * The name the client gives in EHLO/HELO when none is configured: the local host name when it is a usable domain
 * name (looked up once), otherwise the address literal of the connection's local end (RFC 5321 section 4.1.3).
 */
final class EhloName {

    private static final String LOCAL_HOST_NAME = lookup();

    private EhloName() {
    }

    /**
     * @param  configured the configured name, or {@code null}
     * @param  socket     the connected socket
     * @return            the name to send
     */
    static String of(String configured, Socket socket) {
        if (configured != null) {
            return configured;
        }
        if (LOCAL_HOST_NAME != null) {
            return LOCAL_HOST_NAME;
        }
        InetAddress local = socket.getLocalAddress();
        if (local instanceof Inet6Address) {
            String a = local.getHostAddress();
            int scope = a.indexOf('%');
            return "[IPv6:" + (scope < 0 ? a : a.substring(0, scope)) + "]";
        }
        return "[" + local.getHostAddress() + "]";
    }

    private static String lookup() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            if (name != null && name.indexOf('.') > 0 && name.matches("[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // fall back to an address literal
        }
        return null;
    }
}
