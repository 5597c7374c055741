package dev.regionfailover.aws;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.waiters.Waiter;
import software.amazon.awssdk.core.waiters.WaiterAcceptor;

/** A wait that ends without success is an outcome of the step, never a transient failure to try again. */
class PollingTest {

    private static Waiter<Integer> waiter(WaiterAcceptor<Integer> failure, Duration bound) {
        return Waiter.builder(Integer.class)
                .addAcceptor(WaiterAcceptor.successOnResponseAcceptor(value -> value < 0))
                .addAcceptor(failure)
                .addAcceptor(WaiterAcceptor.retryOnResponseAcceptor(value -> true))
                .overrideConfiguration(Polling.every(Duration.ofMillis(1), bound))
                .build();
    }

    @Test
    void aMatchedFailureAcceptorEndsTheWaitAndIsNotTransient() {
        Polling.WaitEnded ended = assertThrows(Polling.WaitEnded.class,
                () -> Polling.await(waiter(Polling.failWhen(value -> value == 3, "it broke"), Duration.ofSeconds(5)),
                        new AtomicInteger()::incrementAndGet));
        assertTrue(ended.getMessage().endsWith("it broke"), ended.getMessage());
        SdkClientException raw = assertThrows(SdkClientException.class,
                () -> waiter(Polling.failWhen(value -> value == 3, "it broke"), Duration.ofSeconds(5))
                        .run(new AtomicInteger()::incrementAndGet));
        assertTrue(Polling.isWaiterOutcome(raw));
        assertFalse(Transient.isTransient(raw), "trying the step again would wait the whole bound again");
    }

    /** The acceptor's own message alone, as the SDK reports it, could not be told from a failed call. */
    @Test
    void aBareSdkFailureAcceptorWouldReadAsTransient() {
        SdkClientException raw = assertThrows(SdkClientException.class,
                () -> waiter(WaiterAcceptor.errorOnResponseAcceptor(value -> value == 3, "it broke"),
                        Duration.ofSeconds(5)).run(new AtomicInteger()::incrementAndGet));
        assertTrue(Transient.isTransient(raw), "why Polling.failWhen exists: " + raw.getMessage());
    }

    @Test
    void theClockEndsAWaitAtItsBound() {
        Instant start = Instant.parse("2026-12-02T03:00:00Z");
        AtomicInteger polls = new AtomicInteger();
        // each poll takes a virtual minute: the bound of 5 minutes ends it after about 5 polls, not the SDK's timer
        Clock clock = new Clock() {
            @Override
            public Instant instant() {
                return start.plus(Duration.ofMinutes(polls.get()));
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        assertThrows(Polling.WaitEnded.class, () -> Polling.await(
                waiter(Polling.until(clock, start.plus(Duration.ofMinutes(5))), Duration.ofSeconds(30)),
                polls::incrementAndGet));
        assertTrue(polls.get() <= 7, "polled " + polls.get() + " times");
    }
}
