package dev.regionfailover.bench.probe;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Records every AWS call a function makes, for the benchmark only: a global SDK interceptor (registered in
 * software/amazon/awssdk/global/handlers/execution.interceptors of this jar), which bin/bench puts on the
 * function's class path next to the Lambda runtime client. It is never part of function.zip.
 *
 * <p>One line per call, appended to the file named by the system property {@code bench.probe.out} ({@code %p} is
 * replaced by the process id), tab-separated:
 *
 * <pre>
 * CALL  service  operation  start  firstSent  lastReceived  end  roundTrip  attempts  outcome
 * </pre>
 *
 * Times are microseconds since the epoch (wall clock, so they compare with the benchmark's own clock on the same
 * machine). {@code start}/{@code end} bracket the whole SDK call (marshalling, signing, retries, unmarshalling);
 * {@code roundTrip} is the sum over attempts of request sent to response received (beforeTransmission to
 * afterTransmission): the time spent waiting on AWS. Without the property the interceptor does nothing.
 */
public final class RoundTripRecorder implements ExecutionInterceptor {

    private static final ExecutionAttribute<Long> START = new ExecutionAttribute<>("bench.probe.start");
    private static final ExecutionAttribute<Long> SENT = new ExecutionAttribute<>("bench.probe.sent");
    private static final ExecutionAttribute<Long> FIRST_SENT = new ExecutionAttribute<>("bench.probe.firstSent");
    private static final ExecutionAttribute<Long> LAST_RECEIVED = new ExecutionAttribute<>("bench.probe.lastReceived");
    private static final ExecutionAttribute<Long> ROUND_TRIP = new ExecutionAttribute<>("bench.probe.roundTrip");
    private static final ExecutionAttribute<Integer> ATTEMPTS = new ExecutionAttribute<>("bench.probe.attempts");

    private static final Object LOCK = new Object();
    private static Writer out;
    private static boolean opened;

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(START, now());
        attributes.putAttribute(ROUND_TRIP, 0L);
        attributes.putAttribute(ATTEMPTS, 0);
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        long sent = now();
        attributes.putAttribute(SENT, sent);
        if (attributes.getAttribute(FIRST_SENT) == null) {
            attributes.putAttribute(FIRST_SENT, sent);
        }
        attributes.putAttribute(ATTEMPTS, value(attributes.getAttribute(ATTEMPTS)) + 1);
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        long received = now();
        Long sent = attributes.getAttribute(SENT);
        if (sent != null && sent >= 0) {
            attributes.putAttribute(ROUND_TRIP, value(attributes.getAttribute(ROUND_TRIP)) + (received - sent));
            attributes.putAttribute(SENT, -1L);
        }
        attributes.putAttribute(LAST_RECEIVED, received);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        write(attributes, "ok");
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        Long sent = attributes.getAttribute(SENT);
        if (sent != null && sent >= 0) {
            // An attempt that never got a response (connection refused, time-out): it still waited on the network.
            long failed = now();
            attributes.putAttribute(ROUND_TRIP, value(attributes.getAttribute(ROUND_TRIP)) + (failed - sent));
            attributes.putAttribute(LAST_RECEIVED, failed);
        }
        write(attributes, "error:" + context.exception().getClass().getSimpleName());
    }

    private static void write(ExecutionAttributes attributes, String outcome) {
        String line = String.join("\t", "CALL",
                attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
                attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                String.valueOf(value(attributes.getAttribute(START))),
                String.valueOf(value(attributes.getAttribute(FIRST_SENT))),
                String.valueOf(value(attributes.getAttribute(LAST_RECEIVED))),
                String.valueOf(now()),
                String.valueOf(value(attributes.getAttribute(ROUND_TRIP))),
                String.valueOf(value(attributes.getAttribute(ATTEMPTS))),
                outcome) + "\n";
        synchronized (LOCK) {
            Writer writer = writer();
            if (writer == null) {
                return;
            }
            try {
                writer.write(line);
                writer.flush();
            } catch (IOException e) {
                // The benchmark reads what was written; a recorder must never fail the function.
            }
        }
    }

    private static Writer writer() {
        if (!opened) {
            opened = true;
            String target = System.getProperty("bench.probe.out");
            if (target != null && !target.isBlank()) {
                try {
                    out = Files.newBufferedWriter(Path.of(target.replace("%p",
                            String.valueOf(ProcessHandle.current().pid()))), StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                } catch (IOException e) {
                    out = null;
                }
            }
        }
        return out;
    }

    private static long value(Long value) {
        return value == null ? 0 : value;
    }

    private static int value(Integer value) {
        return value == null ? 0 : value;
    }

    private static long now() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
