package dev.regionfailover.aws;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The clock every decision reads (leases, cooldowns, hysteresis). One bean, so the generated-history tests can
 * run the real services on virtual time.
 */
public class Clocks {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
