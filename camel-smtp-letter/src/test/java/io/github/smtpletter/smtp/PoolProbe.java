package io.github.smtpletter.smtp;

/** Test access to the pool counts of a {@link SmtpClient} from other packages (the camel tests). */
public final class PoolProbe {

    private PoolProbe() {
    }

    /** @return {open, idle, leased} of the client's pool for these parameters (zeros when there is none) */
    public static int[] stats(SmtpClient client, SmtpConnectionParameters parameters) {
        ConnectionPool.Stats s = client.poolStats(parameters);
        return new int[] { s.open(), s.idle(), s.leased() };
    }

    /** @return connections of the pool for these parameters currently handed out to a sender */
    public static int leased(SmtpClient client, SmtpConnectionParameters parameters) {
        return client.poolStats(parameters).leased();
    }
}
