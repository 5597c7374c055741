package dev.regionfailover.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import dev.regionfailover.explore.VirtualClock;
import software.amazon.awssdk.core.waiters.Waiter;
import software.amazon.awssdk.core.waiters.WaiterAcceptor;

/** A telling only makes a wait look sooner: what ends it is always what the look at AWS saw. */
class CadenceTest {

    private static final Instant START = Instant.parse("2026-12-04T03:00:00Z");
    private static final String SOURCE = "us-west-2/orders-west";

    private final VirtualClock clock = new VirtualClock(START);
    private final Map<String, Cadence.Told> journal = new HashMap<>();
    private final AtomicInteger looks = new AtomicInteger();
    private final Cadence cadence = Cadence.everyOrWhenTold(Duration.ofSeconds(5), Duration.ofMillis(250),
            source -> Optional.ofNullable(journal.get(source)), clock);
    private final Supplier<Integer> looking = cadence.looking(SOURCE, looks::incrementAndGet);

    @Test
    void betweenPollsOnlyANewTellingAboutItsOwnSourceMakesItLook() {
        assertEquals(1, looking.get(), "the first attempt looks");
        clock.advance(Duration.ofMillis(250));
        assertEquals(1, looking.get(), "nothing told: the last answer, no call to AWS");
        journal.put("us-west-2/someone-else", new Cadence.Told("RDS-EVENT-0238", START));
        clock.advance(Duration.ofMillis(250));
        assertEquals(1, looking.get(), "another cluster's event is not this wait's");
        Cadence.Told told = new Cadence.Told("RDS-EVENT-0238", START.plusMillis(400));
        journal.put(SOURCE, told);
        clock.advance(Duration.ofMillis(250));
        assertEquals(2, looking.get(), "told: looked at once");
        assertEquals(Optional.of(told), cadence.lookedBecauseOf());
        clock.advance(Duration.ofMillis(250));
        assertEquals(2, looking.get(), "the same telling twice (EventBridge delivers at least once) is one");
        clock.advance(Duration.ofMillis(5000));
        assertEquals(3, looking.get(), "the poll interval passed: looked");
        assertEquals(Optional.empty(), cadence.lookedBecauseOf(), "that look was the poll's, not the event's");
    }

    @Test
    void aTellingJournaledBeforeTheWaitBeganIsNotNews() {
        journal.put(SOURCE, new Cadence.Told("RDS-EVENT-0238", START.minusSeconds(1)));
        assertEquals(1, looking.get());
        clock.advance(Duration.ofMillis(250));
        assertEquals(1, looking.get(), "already seen by the first look");
    }

    @Test
    void aWaitWithoutTellingsLooksAtEveryAttempt() {
        Cadence every = Cadence.every(Duration.ofSeconds(5));
        Supplier<Integer> plain = every.looking(SOURCE, looks::incrementAndGet);
        assertEquals(1, plain.get());
        assertEquals(2, plain.get());
        assertEquals(Duration.ofSeconds(5), every.tick());
    }

    /**
     * The SDK waiter around it: an event that says the failover completed while AWS still reports it under way
     * does not end the wait; the look that sees it done does.
     */
    @Test
    void anEventAheadOfAwsDoesNotEndTheWaitTheLookThatSeesItDoneDoes() {
        List<String> aws = new ArrayList<>(List.of("failing-over", "failing-over", "available"));
        List<String> seen = new ArrayList<>();
        AtomicInteger checks = new AtomicInteger();
        Cadence.Told completed = new Cadence.Told("RDS-EVENT-0238", Instant.now());
        // The event is journaled while the wait runs: from the wait's third check of the journal on.
        Cadence fast = Cadence.everyOrWhenTold(Duration.ofMillis(200), Duration.ofMillis(5),
                source -> checks.incrementAndGet() >= 3 ? Optional.of(completed) : Optional.empty(),
                Clock.systemUTC());
        Supplier<String> look = fast.looking(SOURCE, () -> {
            String status = aws.size() > 1 ? aws.remove(0) : aws.get(0);
            seen.add(status);
            return status;
        });
        Waiter<String> waiter = Waiter.builder(String.class)
                .addAcceptor(WaiterAcceptor.successOnResponseAcceptor("available"::equals))
                .addAcceptor(WaiterAcceptor.retryOnResponseAcceptor(status -> true))
                .overrideConfiguration(fast.bounded(Duration.ofSeconds(10)))
                .build();

        assertEquals("available", Polling.await(waiter, look));
        assertEquals(List.of("failing-over", "failing-over", "available"), seen,
                "each status AWS reported was looked at once; the event alone ended nothing");
        assertTrue(fast.lookedBecauseOf().isEmpty(), "the telling's look saw it under way; the poll saw it done");
    }
}
