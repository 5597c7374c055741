package dev.regionfailover.tools;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Operator orders count only while fresh (failover.operator.max-order-age), so a sample order kept in a file must
 * be sent with the time of sending, as EventBridge stamps it at PutEvents. Only the envelope's {@code time} is
 * replaced, in the text itself: every other byte of the event stays as written (hostile cases depend on them).
 */
public final class FreshOrders {

    /** The operator source of the seeded topology and of the sample orders in events/. */
    public static final String OPERATOR_SOURCE = "regionfailover.operator";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FreshOrders() {
    }

    /**
     * The event with its {@code time} set to {@code now}, if it is an operator order whose {@code time} is a valid
     * date; any other text (other events, orders with a missing or broken time, text that is not JSON) unchanged.
     */
    public static String stamp(String event, Instant now) {
        JsonNode json;
        try {
            json = MAPPER.readTree(event);
        } catch (IOException notJson) {
            return event;
        }
        if (json == null || !json.isObject() || !OPERATOR_SOURCE.equals(json.path("source").asText(null))
                || !json.path("time").isTextual()) {
            return event;
        }
        String time = json.get("time").asText();
        try {
            OffsetDateTime.parse(time);
        } catch (DateTimeParseException notADate) {
            return event;
        }
        // The same separator, and the same length for a time written to the second: a case sized to the byte stays so.
        Matcher field = Pattern.compile("(\"time\"\\s*:\\s*\")" + Pattern.quote(time) + "\"").matcher(event);
        return field.replaceAll("$1" + Matcher.quoteReplacement(now.truncatedTo(ChronoUnit.SECONDS) + "\""));
    }

    /** {@link #stamp(String, Instant)} at the current time. */
    public static String stamp(String event) {
        return stamp(event, Instant.now());
    }
}
