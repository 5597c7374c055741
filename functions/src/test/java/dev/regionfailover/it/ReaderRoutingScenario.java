package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import jakarta.inject.Inject;

import io.quarkus.test.junit.QuarkusMock;
import io.restassured.path.json.JsonPath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.regionfailover.failover.StepBoundaries;
import dev.regionfailover.failover.StepName;
import dev.regionfailover.readiness.Readiness;
import dev.regionfailover.readiness.ReadinessEvaluator;
import dev.regionfailover.tools.Topology;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * Reader routing through a failover and a failback: the reader name has a latency record per region, each with a
 * health check following its alarm. What a client in each region gets is read back through TestDNSAnswer,
 * before, during (at the step boundaries of the run), and after each run. Run once per DNS strategy.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ReaderRoutingScenario {

    static final String EAST = Topology.PRIMARY_REGION;
    static final String WEST = Topology.STANDBY_REGION;
    static final String FAILBACK_WRITER = Topology.PRIMARY_ID + "-g1";
    static final String NEW_REPLICA = Topology.REPLICA_ID + "-g1";

    private final ObjectMapper mapper = new ObjectMapper();

    @Inject
    ReadinessEvaluator readiness;

    /** What the strategy does to a withdrawn region's record: kept (health-check-switch) or deleted. */
    abstract boolean withdrawnRecordsAreDeleted();

    @AfterEach
    void removeTheProbe() {
        QuarkusMock.installMockForType(new StepBoundaries(), StepBoundaries.class);
    }

    @Test
    @Order(1)
    void beforeAFailoverEachRegionReadsFromItsOwnDatabaseAndTheDryRunSaysWhatWouldChange() {
        try (Topology world = EmulatorResource.topology()) {
            assertEquals(world.primaryReaderEndpoint(), world.readerAnswer(EAST));
            assertEquals(world.standbyReaderEndpoint(), world.readerAnswer(WEST));
            assertTrue(readersCheck().ok(), readersCheck().detail());
            AwsCallRecorder.clear();

            JsonPath response = Lambda.invokeFile("events/dry-run.json");

            assertEquals("DRY_RUN", response.getString("outcome"), response.prettify());
            String readers = step(response, "ROUTE_READERS");
            assertTrue(readers.contains("would route latency records of " + Topology.READER_RECORD)
                    && readers.contains(EAST + ": withdrawn"), readers);
            assertEquals(List.of(), AwsCallRecorder.mutatingCalls());
        }
    }

    @Test
    @Order(2)
    void aFailoverWithdrawsTheFailedRegionsReaderOnceTheWriterMovedAndTheStandbyKeepsServingReads()
            throws Exception {
        try (Topology world = EmulatorResource.topology()) {
            String standbyReader = world.standbyReaderEndpoint();
            Map<StepName, Map<String, String>> during = probeReaderAnswersAt(StepName.REPOINT_DNS,
                    StepName.ROUTE_READERS);
            AwsCallRecorder.clear();

            JsonPath response = Lambda.invokeFile("events/manual-failover.json");

            assertEquals("COMPLETED", response.getString("outcome"), response.prettify());
            assertEquals(Map.of(EAST, world.primaryReaderEndpoint(), WEST, standbyReader),
                    during.get(StepName.REPOINT_DNS), "during, until the writer has moved: reads as before");
            assertEquals(Map.of(EAST, standbyReader, WEST, standbyReader), during.get(StepName.ROUTE_READERS),
                    "during, once the readers are routed: every client reads from the promoted region");
            assertEquals(standbyReader, world.readerAnswer(EAST), "after");
            assertEquals(standbyReader, world.readerAnswer(WEST), "after");
            assertEquals(StateValue.ALARM, world.readerAlarmState(EAST));
            assertEquals(StateValue.OK, world.readerAlarmState(WEST));
            assertEquals(withdrawnRecordsAreDeleted() ? List.of(WEST) : List.of(EAST, WEST),
                    List.copyOf(world.readerRecords().keySet()));

            List<String> changes = response.getList("report.readerChanges");
            assertEquals(1, changes.size(), changes.toString());
            assertTrue(changes.get(0).startsWith(EAST + ": withdrawn"), changes.toString());
            assertEquals(Topology.READER_RECORD, response.getString("report.readerRecord"));
            assertTrue(journalDetail(world, "ROUTE_READERS").contains(EAST + ": withdrawn"), "journal");
            JsonNode notified = mapper.readTree(mapper.readTree(world.receiveNotifications().get(0))
                    .get("Message").asText());
            assertEquals(changes.get(0), notified.get("readerChanges").get(0).asText(), "notification");
            assertStrategyCalls();
            // readiness (after the run: its reads are its own) sees the primary region's reader withdrawn
            Readiness.Check check = readersCheck();
            assertTrue(!check.ok() && check.detail().contains(EAST + ": serves reads from "), check.detail());
        }
    }

    @Test
    @Order(3)
    void aFailbackShiftsReadsOffTheFencedWriterAndEndsWithBothRegionsServingReadsAgain() {
        try (Topology world = EmulatorResource.topology()) {
            world.reportReplicaLag(EAST, FAILBACK_WRITER, 0);
            Map<StepName, Map<String, String>> during = probeReaderAnswersAt(StepName.SHIFT_READERS,
                    StepName.REPOINT_DNS);

            JsonPath response = Lambda.invoke(Lambda.read("events/failback.json"));

            assertEquals("COMPLETED", response.getString("outcome"), response.prettify());
            String failbackWriter = world.instance(EAST, FAILBACK_WRITER).endpoint().address();
            String newReplica = world.instance(WEST, NEW_REPLICA).endpoint().address();
            assertEquals(Map.of(EAST, failbackWriter, WEST, failbackWriter), during.get(StepName.SHIFT_READERS),
                    "before the writer in " + WEST + " is fenced, its region's reads go to the replica in " + EAST);
            assertEquals(during.get(StepName.SHIFT_READERS), during.get(StepName.REPOINT_DNS),
                    "and stay there while the writer moves back");
            assertEquals(failbackWriter, world.dnsAnswer(), "the writer's name is back on the primary region");
            assertEquals(failbackWriter, world.readerAnswer(EAST), "after");
            assertEquals(newReplica, world.readerAnswer(WEST), "after");
            assertEquals(Map.of(EAST, failbackWriter, WEST, newReplica), world.readerRecords());
            assertEquals(StateValue.OK, world.readerAlarmState(EAST));
            assertEquals(StateValue.OK, world.readerAlarmState(WEST));
            assertTrue(readersCheck().ok(), readersCheck().detail());
            List<String> changes = response.getList("report.readerChanges");
            assertTrue(changes.stream().anyMatch(c -> c.startsWith(WEST + ": withdrawn")), changes.toString());
            assertTrue(changes.stream().anyMatch(c -> c.startsWith(WEST + ": serves reads from " + newReplica)),
                    changes.toString());
        }
    }

    @Test
    @Order(4)
    void theReArmedPlanFailsOverAgainSendingWritersAndReadersToTheNewStandby() {
        try (Topology world = EmulatorResource.topology()) {
            world.reportReplicaLag(WEST, NEW_REPLICA, 3);
            AwsCallRecorder.clear();

            JsonPath response = Lambda.invokeFile("events/manual-failover.json");

            assertEquals("COMPLETED", response.getString("outcome"), response.prettify());
            String newReplica = world.instance(WEST, NEW_REPLICA).endpoint().address();
            assertEquals(newReplica, world.dnsAnswer(), "writers go to the standby built by the failback");
            assertEquals(newReplica, world.readerAnswer(EAST));
            assertEquals(newReplica, world.readerAnswer(WEST));
            assertStrategyCalls();
        }
    }

    /** Readiness's check of the reader routing: each region reads from its own database. */
    private Readiness.Check readersCheck() {
        return readiness.evaluate().checks().stream().filter(check -> check.name().equals("readers-in-both-regions"))
                .findFirst().orElseThrow();
    }

    /** Route 53 calls of the last run: none at all with health-check-switch. */
    private void assertStrategyCalls() {
        List<String> route53 = AwsCallRecorder.calls().stream().filter(call -> call.startsWith("Route53"))
                .collect(Collectors.toList());
        if (withdrawnRecordsAreDeleted()) {
            assertTrue(route53.stream().anyMatch(call -> call.contains("ChangeResourceRecordSets")), route53.toString());
        } else {
            assertEquals(List.of(), route53, "health-check-switch: no Route 53 control-plane call");
        }
    }

    /** What clients of each region get for the reader name right after each of these steps. */
    private static Map<StepName, Map<String, String>> probeReaderAnswersAt(StepName... steps) {
        Map<StepName, Map<String, String>> seen = new java.util.concurrent.ConcurrentHashMap<>();
        List<StepName> wanted = new ArrayList<>(List.of(steps));
        QuarkusMock.installMockForType(new StepBoundaries() {
            @Override
            public void passed(String runId, StepName step) {
                if (wanted.contains(step)) {
                    try (Topology world = EmulatorResource.topology()) {
                        seen.put(step, Map.of(EAST, world.readerAnswer(EAST), WEST, world.readerAnswer(WEST)));
                    }
                }
            }
        }, StepBoundaries.class);
        return seen;
    }

    private static String step(JsonPath response, String name) {
        return response.getString("report.steps.find { it.name == '" + name + "' }.detail");
    }

    private static String journalDetail(Topology world, String step) {
        return world.journal().stream().filter(item -> item.containsKey("step") && item.get("step").s().equals(step))
                .map(item -> item.get("detail").s()).reduce((first, last) -> last).orElseThrow();
    }
}
