package dev.regionfailover.it;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.formatters.PatternFormatter;

/** The functions' log messages ({@code dev.regionfailover.*}), formatted as the log shows them, while open. */
final class LogCapture extends Handler implements AutoCloseable {

    private static final PatternFormatter MESSAGE_ONLY = new PatternFormatter("%s");
    private final Queue<String> messages = new ConcurrentLinkedQueue<>();
    private final Logger functions = Logger.getLogger("dev.regionfailover");

    LogCapture() {
        setLevel(Level.ALL);
        functions.addHandler(this);
    }

    List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void publish(LogRecord record) {
        messages.add(record instanceof org.jboss.logmanager.ExtLogRecord ? MESSAGE_ONLY.format(record)
                : String.valueOf(record.getMessage()));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        functions.removeHandler(this);
    }
}
