package dev.regionfailover.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;

/**
 * When a wait looks at AWS: every {@code interval}, and at once when it is told that AWS has emitted an event
 * about what it waits for (an RDS event, journaled by the rds-event function while this wait runs in another
 * invocation). A telling is only a reason to look sooner, never the answer: AWS emits its events on a best-effort
 * basis, late, out of order or not at all (RDS User Guide, "Monitoring Amazon RDS events"), so the wait still ends
 * only on what the look sees, and without any telling it polls as before.
 *
 * <p>Between looks the wait asks the cheap source of tellings (a consistent read of the run's journal item) every
 * {@code listen}; a look's answer is kept and handed to the waiter again until the next look. One instance serves
 * one wait: it remembers the last telling it acted on.
 */
public final class Cadence {

    /** What an event said and when AWS says it happened. Two equal tellings are one (EventBridge may deliver twice). */
    public record Told(String what, Instant at) {
    }

    private static final Function<String, Optional<Told>> NOTHING_TOLD = source -> Optional.empty();

    private final Duration interval;
    private final Duration listen;
    private final Function<String, Optional<Told>> tellings;
    private final Clock clock;
    private Instant lastLook;
    private Optional<Told> lastTold = Optional.empty();
    private Optional<Told> lookedBecauseOf = Optional.empty();

    private Cadence(Duration interval, Duration listen, Function<String, Optional<Told>> tellings, Clock clock) {
        this.interval = interval;
        this.listen = listen;
        this.tellings = tellings;
        this.clock = clock;
    }

    /** A wait no event ends early: it looks every {@code interval}. */
    public static Cadence every(Duration interval) {
        return new Cadence(interval, interval, NOTHING_TOLD, Clock.systemUTC());
    }

    /**
     * A wait that looks every {@code interval}, and within {@code listen} of a new telling about its source
     * ({@code tellings}: the latest telling about a source, such as a cluster's ARN).
     */
    public static Cadence everyOrWhenTold(Duration interval, Duration listen,
            Function<String, Optional<Told>> tellings, Clock clock) {
        return new Cadence(interval, listen.compareTo(interval) < 0 ? listen : interval, tellings, clock);
    }

    public Duration interval() {
        return interval;
    }

    /** How long the waiter sleeps between two of its attempts. */
    public Duration tick() {
        return listen;
    }

    /** The SDK waiter's bound and fixed delay for this cadence ({@link Polling#every}). */
    public WaiterOverrideConfiguration bounded(Duration bound) {
        return Polling.every(listen, bound);
    }

    /**
     * {@code look} when a look is due (the first attempt, {@code interval} after the last look, or a new telling
     * about {@code source}), the last look's answer otherwise.
     */
    public <T> Supplier<T> looking(String source, Supplier<T> look) {
        if (tellings == NOTHING_TOLD) {
            // Every attempt of the waiter is a look, as before events could end a wait.
            return look;
        }
        AtomicReference<T> last = new AtomicReference<>();
        return () -> {
            Instant now = clock.instant();
            Optional<Told> told = Optional.empty();
            if (lastLook == null) {
                // A telling journaled before the wait began is not news: the first look is made anyway.
                lastTold = tellings.apply(source);
            } else if (now.isBefore(lastLook.plus(interval))) {
                told = newTelling(source);
                if (told.isEmpty()) {
                    return last.get();
                }
            }
            lastLook = now;
            lookedBecauseOf = told;
            last.set(look.get());
            return last.get();
        };
    }

    /** The telling that prompted the latest look, if one did (when the wait succeeds: the look that saw it end). */
    public Optional<Told> lookedBecauseOf() {
        return lookedBecauseOf;
    }

    private Optional<Told> newTelling(String source) {
        Optional<Told> told = tellings.apply(source);
        if (told.isEmpty() || told.equals(lastTold)) {
            return Optional.empty();
        }
        lastTold = told;
        return told;
    }
}
