package dev.regionfailover.event;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.regionfailover.event.RejectedEvent.Kind;

class OperatorEventParserTest {

    private static final String SOURCE = "regionfailover.operator";
    private static final String ACCOUNT = "123456789012";

    private final OperatorEventParser parser = new OperatorEventParser("orders-db", List.of(SOURCE),
            Optional.of(List.of(ACCOUNT)));

    @ParameterizedTest(name = "{0}")
    @CsvSource({"manual-failover.json, false", "dry-run.json, true",
            "reader-routing-dry-run.json, true"})
    void ourSampleRequestsParse(String file, boolean dryRun) {
        OperatorCommand command = parser.parse(EventFiles.ownFile(file));
        assertAll(file,
                () -> assertEquals(dryRun, command.dryRun()),
                () -> assertFalse(command.force()),
                () -> assertEquals("alice@example.com", command.requestedBy()),
                () -> assertEquals(SOURCE, command.source()),
                () -> assertEquals(ACCOUNT, command.account()),
                () -> assertFalse(command.eventId().isBlank()),
                () -> assertTrue(command.reason().length() > 10, command.reason()));
    }

    @Test
    void optionalFieldsDefault() {
        OperatorCommand command = parser.parse(request(detail -> {
            detail.remove(List.of("plan", "dryRun", "force", "requestedBy"));
            detail.put("reason", "drill");
        }));
        assertEquals(new OperatorCommand(OperatorCommand.Action.FAILOVER, "drill", false, false, "unknown", SOURCE, ACCOUNT,
                "3f8e2d1c-0b9a-4c7d-8e6f-5a4b3c2d1e0f"), command);
    }

    @Test
    void anyAccountWhenNoneConfigured() {
        for (Optional<List<String>> accounts : List.of(Optional.<List<String>>empty(), Optional.of(List.<String>of()))) {
            OperatorCommand command = new OperatorEventParser("orders-db", List.of(SOURCE), accounts)
                    .parse(envelope(event -> event.put("account", "999999999999")));
            assertEquals("999999999999", command.account());
        }
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                Arguments.of("forged source", envelope(e -> e.put("source", "aws.events")), Kind.UNAUTHORISED,
                        "source 'aws.events' may not command"),
                Arguments.of("account not allowed", envelope(e -> e.put("account", "210987654321")),
                        Kind.UNAUTHORISED, "account '210987654321' may not command"),
                Arguments.of("missing account", envelope(e -> e.remove("account")), Kind.UNAUTHORISED,
                        "account '' may not command"),
                Arguments.of("wrong detail-type", envelope(e -> e.put("detail-type", "Scheduled Event")),
                        Kind.UNKNOWN, "not an event this handler acts on"),
                Arguments.of("not EventBridge", EventFiles.corpusFile("sns-cloudwatch-alarm-single-metric.json"),
                        Kind.UNKNOWN, "not an event this handler acts on"),
                Arguments.of("misspelt dryrun", request(d -> d.put("dryrun", true)), Kind.MALFORMED,
                        "unknown field detail.dryrun"),
                Arguments.of("dryRun as a string", request(d -> d.put("dryRun", "true")), Kind.MALFORMED,
                        "dryRun must be true or false"),
                Arguments.of("force as a number", request(d -> d.put("force", 1)), Kind.MALFORMED,
                        "force must be true or false"),
                Arguments.of("missing reason", request(d -> d.remove("reason")), Kind.MALFORMED,
                        "missing field reason"),
                Arguments.of("blank reason", request(d -> d.put("reason", "  ")), Kind.MALFORMED,
                        "missing field reason"),
                Arguments.of("reason too long", request(d -> d.put("reason", "x".repeat(1025))), Kind.MALFORMED,
                        "detail.reason is longer than 1024"),
                Arguments.of("detail missing", envelope(e -> e.remove("detail")), Kind.MALFORMED,
                        "missing field detail"),
                Arguments.of("other plan", request(d -> d.put("plan", "billing-db")), Kind.UNKNOWN,
                        "plan 'billing-db'"),
                Arguments.of("a run named by a failover order", request(d -> d.put("runId", RUN)), Kind.MALFORMED,
                        "detail.runId names runs, which only a Failover Approved order does"),
                Arguments.of("an approval naming no run", approval(d -> d.remove("runId")), Kind.MALFORMED,
                        "detail.runId (one) or detail.runIds (a list), not neither"),
                Arguments.of("an approval naming runs twice", approval(d -> d.putArray("runIds").add(RUN)),
                        Kind.MALFORMED, "not both"),
                Arguments.of("an approval that forces", approval(d -> d.put("force", true)), Kind.MALFORMED,
                        "it cannot force it"),
                Arguments.of("an approval of something else", approval(d -> d.put("runId", "orders-db; DROP")),
                        Kind.MALFORMED, "'orders-db; DROP' is not a run id"),
                Arguments.of("an empty list of runs", approval(d -> {
                    d.remove("runId");
                    d.putArray("runIds");
                }), Kind.MALFORMED, "detail.runIds must be a list of 1 to 200 run ids"),
                Arguments.of("a list holding a number", approval(d -> {
                    d.remove("runId");
                    d.putArray("runIds").add(7);
                }), Kind.MALFORMED, "detail.runIds must hold run ids"),
                Arguments.of("an approval from another source", envelope(e -> {
                    e.put("detail-type", "Failover Approved");
                    e.put("source", "aws.events");
                }), Kind.UNAUTHORISED, "source 'aws.events' may not command"));
    }

    private static final String RUN = "20261122T141802Z-5d2c9a41";

    @Test
    void theSampleApprovalParsesWithItsRun() {
        OperatorCommand command = parser.parse(EventFiles.ownFile("failover-approved.json"));
        assertEquals(OperatorCommand.Action.APPROVE, command.action());
        assertEquals(List.of(RUN), command.runIds());
        assertFalse(command.force());
        assertEquals("alice@example.com", command.requestedBy());
    }

    @Test
    void anApprovalMayNameSeveralRunsEachOnce() {
        OperatorCommand command = parser.parse(approval(d -> {
            d.remove("runId");
            d.putArray("runIds").add(RUN).add("20261122T141803Z-00c0ffee").add(RUN);
        }));
        assertEquals(List.of(RUN, "20261122T141803Z-00c0ffee"), command.runIds());
    }

    /** failover-approved.json with its detail edited. */
    private static ObjectNode approval(Consumer<ObjectNode> edit) {
        ObjectNode event = (ObjectNode) EventFiles.ownFile("failover-approved.json");
        edit.accept((ObjectNode) event.get("detail"));
        return event;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectedRequests(String description, ObjectNode event, Kind kind, String fragment) {
        RejectedEvent rejected = assertThrows(RejectedEvent.class, () -> parser.parse(event));
        assertEquals(kind, rejected.kind(), rejected.getMessage());
        assertTrue(rejected.getMessage().contains(fragment),
                () -> "expected '" + fragment + "' in: " + rejected.getMessage());
    }

    @Test
    void reasonOfExactlyTheLimitIsAccepted() {
        String reason = "x".repeat(1024);
        assertEquals(reason, parser.parse(request(d -> d.put("reason", reason))).reason());
    }

    /** manual-failover.json with its envelope edited. */
    private static ObjectNode envelope(Consumer<ObjectNode> edit) {
        ObjectNode event = (ObjectNode) EventFiles.ownFile("manual-failover.json");
        edit.accept(event);
        return event;
    }

    /** manual-failover.json with its detail edited. */
    private static ObjectNode request(Consumer<ObjectNode> edit) {
        return envelope(event -> edit.accept((ObjectNode) event.get("detail")));
    }
}
