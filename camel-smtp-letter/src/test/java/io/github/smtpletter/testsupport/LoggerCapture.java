package io.github.smtpletter.testsupport;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Captures chosen loggers only, at a chosen level, and keeps them off the console meanwhile (compare
 * {@link LogCapture}, which records everything that reaches the root logger): everything the given loggers (and
 * their children) log at the given level and above, while open: each
 * event as {@code LEVEL logger - message} followed by the stack trace of its throwable, if any. The captured
 * loggers do not write to the console meanwhile.
 */
public final class LoggerCapture implements AutoCloseable {

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final AbstractAppender appender;
    private final LoggerContext ctx;
    private final List<Runnable> undo = new ArrayList<>();

    private LoggerCapture(Level level, String... loggers) {
        appender = new AbstractAppender("capture-" + System.identityHashCode(this), null, null, true,
                Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                StringBuilder sb = new StringBuilder().append(event.getLevel()).append(' ')
                        .append(event.getLoggerName()).append(" - ")
                        .append(event.getMessage().getFormattedMessage());
                if (event.getThrown() != null) {
                    StringWriter w = new StringWriter();
                    event.getThrown().printStackTrace(new PrintWriter(w));
                    sb.append('\n').append(w);
                }
                events.add(sb.toString());
            }
        };
        appender.start();
        ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
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
                undo.add(() -> {
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
                undo.add(() -> config.removeLogger(name));
            }
        }
        ctx.updateLoggers();
    }

    /** Starts capturing the named loggers at {@code level} and above. */
    public static LoggerCapture start(Level level, String... loggers) {
        return new LoggerCapture(level, loggers);
    }

    /** @return the events captured so far */
    public List<String> events() {
        return List.copyOf(events);
    }

    /** @return every event captured so far, one after the other */
    public String all() {
        return String.join("\n", events);
    }

    /** @return the events at WARN or above whose text contains {@code text} */
    public List<String> warnings(String text) {
        return events.stream().filter(e -> (e.startsWith("WARN") || e.startsWith("ERROR")) && e.contains(text))
                .toList();
    }

    @Override
    public void close() {
        for (int i = undo.size() - 1; i >= 0; i--) {
            undo.get(i).run();
        }
        ctx.updateLoggers();
        appender.stop();
    }
}
