package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.regionfailover.tools.Topology;

/**
 * The function that serves the stack's operator bus (the rehearsal right, the default path): a stale order is
 * refused and told to people; a forced order is refused (forcing is the force bus's right); a fresh forced dry run
 * is a rehearsal and is admitted. A refusal moves nothing: no database, name or journal call.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "manual-failover") })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorBusTrustIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** What a refused order may call: the (rate-limited) notice to people and to EventBridge. */
    private static final List<String> NOTICE = List.of("Sns:Publish", "EventBridge:PutEvents");

    private Topology world;
    private String recordBefore;

    @BeforeEach
    void clearRecordedCalls() {
        AwsCallRecorder.clear();
    }

    private void assertNothingMoved() {
        assertTrue(world.replica().readReplicaSourceDBInstanceIdentifier() != null, "still a replica");
        assertEquals(recordBefore, world.recordTarget());
        assertEquals(List.of(), world.journal());
    }

    @Test
    @Order(1)
    void aStaleOrderIsRefusedAndNotified() throws Exception {
        try (Topology topology = EmulatorResource.topology(); LogCapture logs = new LogCapture()) {
            world = topology;
            recordBefore = world.recordTarget();
            String sent = Instant.now().minus(16, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
            AwsCallRecorder.clear();

            JsonPath response = Lambda.invokeAsWritten(Lambda.read("events/manual-failover.json")
                    .replace("\"2026-11-22T14:12:05Z\"", "\"" + sent + "\""));

            assertEquals("REJECTED", response.getString("outcome"));
            String reason = response.getString("reason");
            assertTrue(reason.startsWith("STALE: the order was sent at " + sent + ", PT16M"), reason);
            assertTrue(reason.contains("longer than failover.operator.max-order-age PT15M"), reason);
            assertTrue(logs.messages().stream().anyMatch(m -> m.contains("rejected an event (STALE): the order was "
                    + "sent at " + sent)), logs.messages().toString());
            assertEquals(NOTICE, AwsCallRecorder.calls());
            JsonNode notice = MAPPER.readTree(world.receiveNotifications().get(0));
            assertTrue(notice.get("Subject").asText().contains("STALE operator event refused"), notice.toString());
            assertEquals("Stale Operator Event", MAPPER.readTree(world.receiveLifecycleEvents().get(0))
                    .get("detail-type").asText());
            assertNothingMoved();
        }
    }

    @Test
    @Order(2)
    void aForcedOrderOnTheOperatorBusIsRefused() {
        try (Topology topology = EmulatorResource.topology(); LogCapture logs = new LogCapture()) {
            world = topology;
            recordBefore = world.recordTarget();
            AwsCallRecorder.clear();

            JsonPath response = Lambda.invoke(Lambda.read("events/manual-failover.json")
                    .replace("\"force\": false", "\"force\": true"));

            assertEquals("REJECTED", response.getString("outcome"));
            String reason = response.getString("reason");
            assertTrue(reason.startsWith("UNAUTHORISED: force (promote past the data-loss budget) may be ordered "
                    + "only on the force bus"), reason);
            assertTrue(reason.endsWith("this function serves the operator-bus path"), reason);
            assertTrue(logs.messages().stream().anyMatch(m -> m.contains("rejected an event (UNAUTHORISED): force")),
                    logs.messages().toString());
            // The notice of order 1 was less than a minute ago: this one is logged, not told again.
            assertTrue(NOTICE.containsAll(AwsCallRecorder.calls()), AwsCallRecorder.calls().toString());
            assertNothingMoved();
        }
    }

    @Test
    @Order(3)
    void aForcedDryRunIsARehearsalAndIsAdmitted() {
        JsonPath response = Lambda.invoke(Lambda.read("events/dry-run.json")
                .replace("\"force\": false", "\"force\": true"));

        assertEquals("DRY_RUN", response.getString("outcome"), response.prettify());
        assertEquals(List.of(), AwsCallRecorder.mutatingCalls());
    }
}
