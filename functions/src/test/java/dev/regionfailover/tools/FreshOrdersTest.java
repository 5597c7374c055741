package dev.regionfailover.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The harness sends sample orders with the time of sending, and changes nothing else. */
class FreshOrdersTest {

    private static final Instant NOW = Instant.parse("2026-12-02T12:34:56.789Z");

    @Test
    void anOrdersTimeBecomesNowAndEveryOtherByteStays() {
        String order = "{ \"source\":\"regionfailover.operator\",\n  \"time\" :  \"2026-11-22T10:00:00Z\",\"x\":1}";
        assertEquals("{ \"source\":\"regionfailover.operator\",\n  \"time\" :  \"2026-12-02T12:34:56Z\",\"x\":1}",
                FreshOrders.stamp(order, NOW));
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"source\":\"aws.cloudwatch\",\"time\":\"2026-11-22T10:00:00Z\"}",
            "{\"source\":\"regionfailover.operator\",\"time\":\"yesterday\"}",
            "{\"source\":\"regionfailover.operator\",\"time\":42}", "{\"source\":\"regionfailover.operator\"}",
            "{\"source\":\"regionfailover.operator\",\"time\":\"2026-11-22T10:00:00Z\"", "[]", "" })
    void anythingElseIsSentAsWritten(String event) {
        assertEquals(event, FreshOrders.stamp(event, NOW));
    }
}
