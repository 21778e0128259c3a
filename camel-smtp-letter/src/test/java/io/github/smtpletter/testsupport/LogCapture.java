package io.github.smtpletter.testsupport;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Records every log event of the test JVM while open (an extra appender on log4j2's root logger, which every
 * logger's events reach through additivity), with the level of the root logger lowered to {@code rootLevel} for the
 * time of the capture. {@code io.github.smtpletter} logs at DEBUG in the tests (log4j2-test.xml), so its whole SMTP
 * dialogue (masked) is in here.
 */
public final class LogCapture implements AutoCloseable {

    /** One captured event. */
    public record Line(Level level, String logger, String message, String thrown) {
        /** @return the message and the stack trace of what was thrown with it, if anything */
        public String full() {
            return thrown == null ? message : message + "\n" + thrown;
        }

        @Override
        public String toString() {
            return level + " " + logger + " - " + full();
        }
    }

    private static final String NAME = "test-capture";

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final LoggerContext context;
    private final Level previousRootLevel;
    private final AbstractAppender appender;

    private LogCapture(Level rootLevel) {
        appender = new AbstractAppender(NAME, null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                String thrown = null;
                if (event.getThrown() != null) {
                    StringWriter w = new StringWriter();
                    event.getThrown().printStackTrace(new PrintWriter(w));
                    thrown = w.toString();
                }
                lines.add(new Line(event.getLevel(), event.getLoggerName(),
                        event.getMessage().getFormattedMessage(), thrown));
            }
        };
        appender.start();
        context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        LoggerConfig root = config.getRootLogger();
        previousRootLevel = root.getLevel();
        root.addAppender(appender, Level.ALL, null);
        if (rootLevel.isLessSpecificThan(previousRootLevel)) {
            root.setLevel(rootLevel);
        }
        context.updateLoggers();
    }

    /** Starts capturing with the root logger at its configured level. */
    public static LogCapture start() {
        return new LogCapture(Level.OFF);
    }

    /** Starts capturing with the root logger lowered to {@code rootLevel} (e.g. DEBUG: Camel's own logs too). */
    public static LogCapture start(Level rootLevel) {
        return new LogCapture(rootLevel);
    }

    /** @return what was captured so far, oldest first */
    public List<Line> lines() {
        return List.copyOf(lines);
    }

    /** @return every captured message with its stack trace, one after the other */
    public String text() {
        return lines.stream().map(Line::toString).collect(Collectors.joining("\n"));
    }

    @Override
    public void close() {
        LoggerConfig root = context.getConfiguration().getRootLogger();
        root.removeAppender(NAME);
        root.setLevel(previousRootLevel);
        context.updateLoggers();
        appender.stop();
    }
}
