package dev.regionfailover.failover;

import java.time.Clock;
import java.time.Duration;
import java.util.function.LongSupplier;

import com.amazonaws.services.lambda.runtime.Context;

/**
 * The invocation's remaining time. Waits are bounded by it, less a margin to journal and notify, so the workflow
 * ends its run in a recorded state instead of being killed by the Lambda timeout mid-step.
 */
public final class Deadline {

    private static final Duration MARGIN = Duration.ofSeconds(20);

    private final long deadlineNanos;
    private final LongSupplier nanoTime;
    private volatile boolean cutShort;

    private Deadline(long deadlineNanos, LongSupplier nanoTime) {
        this.deadlineNanos = deadlineNanos;
        this.nanoTime = nanoTime;
    }

    public static Deadline of(Context context) {
        int remaining = context == null ? 0 : context.getRemainingTimeInMillis();
        return remaining > 0 ? after(Duration.ofMillis(remaining)) : unbounded();
    }

    public static Deadline after(Duration remaining) {
        return new Deadline(System.nanoTime() + remaining.toNanos(), System::nanoTime);
    }

    /**
     * The remaining time as {@code clock} measures it: the generated histories run invocations in virtual time,
     * where a Lambda's 15 minutes pass as the world's waits do, not as CI's seconds do.
     */
    public static Deadline after(Duration remaining, Clock clock) {
        LongSupplier nanos = () -> clock.millis() * 1_000_000L;
        return new Deadline(nanos.getAsLong() + remaining.toNanos(), nanos);
    }

    /** When the runtime gives no deadline (local runs without a Lambda context). */
    public static Deadline unbounded() {
        return new Deadline(Long.MAX_VALUE, System::nanoTime);
    }

    /** Whether the invocation is within the margin of its end: time to save the run's place and stop. */
    public boolean nearlyOver() {
        return deadlineNanos != Long.MAX_VALUE && deadlineNanos - nanoTime.getAsLong() < MARGIN.toNanos();
    }

    /** Whether a bound was shortened to fit the invocation: a wait that then ran out ran out of Lambda time. */
    public boolean cutAWaitShort() {
        return cutShort;
    }

    /** A new wait begins: whether an earlier one was cut short says nothing about it. */
    public void forgetCut() {
        cutShort = false;
    }

    /** The configured bound, shortened to what the invocation has left. */
    public Duration bound(Duration configured) {
        if (deadlineNanos == Long.MAX_VALUE) {
            return configured;
        }
        Duration left = Duration.ofNanos(deadlineNanos - nanoTime.getAsLong()).minus(MARGIN);
        if (left.isNegative() || left.isZero()) {
            throw new IllegalStateException("the invocation has less than " + MARGIN.toSeconds()
                    + " s left; stopping before the Lambda timeout would cut the step short");
        }
        if (left.compareTo(configured) < 0) {
            cutShort = true;
            return left;
        }
        return configured;
    }
}
