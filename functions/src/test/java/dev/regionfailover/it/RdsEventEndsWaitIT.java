package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.regionfailover.tools.FreshOrders;
import dev.regionfailover.tools.Topology;

/**
 * Issue 12 item 6: a wait ends on the RDS event where AWS emits one. The emulator emits RDS-EVENT-0238 when
 * Aurora's managed failover ends and RDS-EVENT-0397 when the global writer endpoint's DNS has moved, onto the
 * standby region's default bus; a rule with the template's pattern delivers them to a queue, and this test hands
 * each one to the rds-event function as EventBridge would, while the operator's failover runs in another
 * invocation (its own thread: Lambda would run it in another sandbox, so the two share only DynamoDB). The waits
 * poll AWS every 30 s here: only the events can end them within seconds.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "manual-failover"),
        @ResourceArg(name = "databaseKind", value = "aurora-global"),
        @ResourceArg(name = "dnsStrategy", value = "global-writer-endpoint"),
        @ResourceArg(name = "replicaLagSeconds", value = "0"),
        @ResourceArg(name = "failover.timeouts.poll-interval", value = "PT30S"),
        @ResourceArg(name = "failover.timeouts.event-check-interval", value = "PT0.1S"),
        @ResourceArg(name = "EMULATOR_GLOBAL_FAILOVER_SECONDS", value = "2"),
        @ResourceArg(name = "EMULATOR_GLOBAL_ENDPOINT_DNS_SECONDS", value = "1") })
class RdsEventEndsWaitIT {

    private static final Duration POLL = Duration.ofSeconds(30);

    @Inject
    @Named("manual-failover")
    RequestStreamHandler operatorHandler;

    @Inject
    @Named("rds-event")
    RequestStreamHandler rdsEventHandler;

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void theFailoversWaitsEndOnAuroras0238And0397NotOnTheirPolls() throws Exception {
        try (Topology world = EmulatorResource.topology()) {
            String queue = world.routeRdsEvents();
            AwsCallRecorder.clear();

            CompletableFuture<JsonNode> failover = CompletableFuture.supplyAsync(
                    () -> invoke(operatorHandler, FreshOrders.stamp(Lambda.read("events/manual-failover.json"))));
            List<String> delivered = new ArrayList<>();
            List<JsonNode> answers = new ArrayList<>();
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(25);
            while (!failover.isDone() && System.nanoTime() < giveUp) {
                for (String event : world.receiveRdsEvents(queue)) {
                    delivered.add(mapper.readTree(event).path("detail").path("EventID").asText());
                    answers.add(invoke(rdsEventHandler, event));
                }
            }
            JsonNode response = failover.get(POLL.toSeconds() * 3, TimeUnit.SECONDS);

            assertEquals("COMPLETED", response.path("outcome").asText(), response.toPrettyString());
            assertEquals(List.of("RDS-EVENT-0238", "RDS-EVENT-0397"), delivered, answers.toString());
            for (JsonNode answer : answers) {
                assertEquals("DUPLICATE", answer.path("outcome").asText(), "the event changes no lease: "
                        + answer.toPrettyString());
                assertTrue(answer.path("reason").asText().contains("journaled for a wait on "),
                        answer.toPrettyString());
            }
            JsonNode awaitWriter = step(response, "AWAIT_WRITER");
            assertTrue(awaitWriter.path("detail").asText().contains("(looked at once on RDS-EVENT-0238 of "),
                    awaitWriter.toPrettyString());
            assertTrue(millis(awaitWriter) < POLL.toMillis() / 2, "ended by the event, not by the 30 s poll: "
                    + awaitWriter.toPrettyString());
            JsonNode repoint = step(response, "REPOINT_DNS");
            assertTrue(repoint.path("detail").asText().contains("(looked at once on RDS-EVENT-0397 of "),
                    repoint.toPrettyString());
            assertTrue(millis(repoint) < POLL.toMillis() / 2, repoint.toPrettyString());
            JsonNode rto = response.path("report").path("rto");
            assertEquals("RDS-EVENT-0238", rto.path("noticedOn").asText(), rto.toPrettyString());
            assertTrue(rto.path("noticeLagSeconds").asDouble() < 2, "measured from the event's time: " + rto);
            assertTrue(rto.path("expectedNoticeLagSeconds").isMissingNode(), rto.toPrettyString());
            assertEquals(world.auroraSecondary().endpoint().toLowerCase(java.util.Locale.ROOT),
                    response.path("report").path("newWriter").asText().toLowerCase(java.util.Locale.ROOT));
        }
    }

    private JsonNode invoke(RequestStreamHandler handler, String event) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), output, null);
            return mapper.readTree(output.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode step(JsonNode response, String name) {
        for (JsonNode step : response.path("report").path("steps")) {
            if (step.path("name").asText().equals(name)) {
                return step;
            }
        }
        throw new AssertionError("no step " + name + " in " + response.toPrettyString());
    }

    private static long millis(JsonNode step) {
        return Duration.between(java.time.Instant.parse(step.path("startedAt").asText()),
                java.time.Instant.parse(step.path("endedAt").asText())).toMillis();
    }
}
