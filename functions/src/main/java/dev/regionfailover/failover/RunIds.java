package dev.regionfailover.failover;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/** Run identifiers that sort by time, so the journal lists runs in the order they started. */
final class RunIds {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private RunIds() {
    }

    static String next(Instant now) {
        return TIME.format(now) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
