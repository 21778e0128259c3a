package io.github.smtpletter.testsupport;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
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
 * Records log events of the test JVM while open, through an extra log4j2 appender; the one way tests look at logs.
 * <ul>
 *   <li>{@link #start()} / {@link #start(Level)}: everything that reaches the root logger (every logger's events
 *       reach it through additivity), the root level lowered for the time of the capture if asked; the console
 *       output stays as configured.</li>
 *   <li>{@link #loggers(Level, String...)}: only the named loggers and their children, at the given level and
 *       above; they do not write to the console meanwhile.</li>
 * </ul>
 * {@code io.github.smtpletter} logs at DEBUG in the tests (log4j2-test.xml), so its whole SMTP dialogue (masked) is
 * captured. Use it in try-with-resources, or open it in {@code @BeforeEach} and close it in {@code @AfterEach}.
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

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final List<Runnable> undo = new ArrayList<>();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final AbstractAppender appender;

    private LogCapture() {
        appender = new AbstractAppender("test-capture-" + System.identityHashCode(this), null, null, true,
                Property.EMPTY_ARRAY) {
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
    }

    /** Starts capturing everything that reaches the root logger, at its configured level. */
    public static LogCapture start() {
        return start(Level.OFF);
    }

    /** Starts capturing everything, with the root logger lowered to {@code rootLevel} (e.g. DEBUG: Camel's too). */
    public static LogCapture start(Level rootLevel) {
        LogCapture capture = new LogCapture();
        LoggerConfig root = capture.context.getConfiguration().getRootLogger();
        Level previous = root.getLevel();
        root.addAppender(capture.appender, Level.ALL, null);
        if (rootLevel.isLessSpecificThan(previous)) {
            root.setLevel(rootLevel);
        }
        capture.undo.add(() -> {
            root.removeAppender(capture.appender.getName());
            root.setLevel(previous);
        });
        capture.context.updateLoggers();
        return capture;
    }

    /** Starts capturing only {@code loggers} (and their children) at {@code level} and above, off the console. */
    public static LogCapture loggers(Level level, String... loggers) {
        LogCapture capture = new LogCapture();
        Configuration config = capture.context.getConfiguration();
        AbstractAppender appender = capture.appender;
        for (String name : loggers) {
            LoggerConfig existing = config.getLoggerConfig(name);
            if (existing.getName().equals(name)) {
                Level before = existing.getLevel();
                boolean additive = existing.isAdditive();
                List<String> refs = new ArrayList<>(existing.getAppenders().keySet());
                refs.forEach(existing::removeAppender);
                existing.setLevel(level);
                existing.setAdditive(false);
                existing.addAppender(appender, level, null);
                capture.undo.add(() -> {
                    existing.removeAppender(appender.getName());
                    existing.setLevel(before);
                    existing.setAdditive(additive);
                    for (String ref : refs) {
                        existing.addAppender(config.getAppender(ref), null, null);
                    }
                });
            } else {
                LoggerConfig added = new LoggerConfig(name, level, false);
                added.addAppender(appender, level, null);
                config.addLogger(name, added);
                capture.undo.add(() -> config.removeLogger(name));
            }
        }
        capture.context.updateLoggers();
        return capture;
    }

    /** @return what was captured so far, oldest first */
    public List<Line> lines() {
        return List.copyOf(lines);
    }

    /** @return the messages of the events of exactly the logger {@code logger}, oldest first */
    public List<String> messages(String logger) {
        return lines.stream().filter(l -> l.logger().equals(logger)).map(Line::message).toList();
    }

    /** @return the events at WARN or above whose message or stack trace contains {@code text} */
    public List<Line> warnings(String text) {
        return lines.stream().filter(l -> l.level().isMoreSpecificThan(Level.WARN) && l.full().contains(text))
                .toList();
    }

    /** @return every captured event ({@code LEVEL logger - message} and its stack trace), one after the other */
    public String text() {
        return lines.stream().map(Line::toString).collect(Collectors.joining("\n"));
    }

    @Override
    public void close() {
        for (int i = undo.size() - 1; i >= 0; i--) {
            undo.get(i).run();
        }
        undo.clear();
        context.updateLoggers();
        appender.stop();
    }
}
