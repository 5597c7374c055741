package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import dev.regionfailover.tools.Topology;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * RDS events: other events are answered and left alone; the event that says a global failover completed
 * resumes the run whose invocation died while waiting for it, and the run finishes from its journal.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "rds-event"),
        @ResourceArg(name = "databaseKind", value = "aurora-global") })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuroraRdsEventIT {

    static final String RUN = "20261122T220000Z-deadbeef";

    @ParameterizedTest
    @Order(1)
    @ValueSource(strings = { "aws-events/eb-rds-db-cluster-event-patched.json",
            "aws-events/eb-rds-db-instance-event-backup-no-eventid.json",
            "aws-events/eb-rds-db-instance-event-multi-az-failover.json" })
    void otherRdsEventsAreAnsweredAndLeftAlone(String file) {
        AwsCallRecorder.clear();
        JsonPath response = Lambda.invokeFile(file);
        assertEquals("IGNORED", response.getString("outcome"));
        assertTrue(response.getString("reason").contains("does not concern a running failover"));
        assertEquals(List.of(), AwsCallRecorder.calls());
    }

    @Test
    @Order(2)
    void aCompletionEventWithNoRunningFailoverStartsNothing() {
        AwsCallRecorder.clear();
        JsonPath response = Lambda.invokeFile("events/rds-global-failover-completed.json");
        assertEquals("NOTHING_TO_RESUME", response.getString("outcome"), response.prettify());
        assertEquals(List.of(), AwsCallRecorder.mutatingCalls());
    }

    @Test
    @Order(3)
    void theCompletionEventResumesARunWhoseInvocationDied() {
        try (Topology world = EmulatorResource.topology()) {
            stageRunThatDiedAfterPromoting(world);
            AwsCallRecorder.clear();

            JsonPath response = Lambda.invokeFile("events/rds-global-failover-completed.json");

            assertEquals("COMPLETED", response.getString("outcome"), response.prettify());
            assertEquals(RUN, response.getString("report.runId"));
            // The report names what started the run; the resumption by the RDS event is in its lease step.
            assertTrue(response.getString("report.steps[0].detail").startsWith("resumed failover run " + RUN),
                    response.getString("report.steps[0].detail"));
            assertEquals(0, AwsCallRecorder.count("FailoverGlobalCluster"), "the promotion is not started again");
            assertEquals(List.of("ACQUIRE_LEASE", "CHECK_RPO", "FENCE_OLD_PRIMARY", "PROMOTE_REPLICA", "AWAIT_WRITER",
                    "REPOINT_DNS", "ROUTE_READERS", "NOTIFY"), response.getList("report.steps.name"));
            assertEquals(world.auroraSecondary().endpoint(), world.recordTarget());
            Map<String, AttributeValue> run = world.journal().stream()
                    .filter(item -> item.get("sk").s().equals("RUN#" + RUN)).findFirst().orElseThrow();
            assertEquals("COMPLETED", run.get("state").s());
        }
    }

    /** As the journal looks when a Lambda invocation is killed after PROMOTE_REPLICA, its lease expired. */
    static void stageRunThatDiedAfterPromoting(Topology world) {
        world.startGlobalFailover();
        stageJournalOfRunThatDiedAfterPromoting(world);
    }

    /** The journal of such a run, without starting the failover it had asked for. */
    static void stageJournalOfRunThatDiedAfterPromoting(Topology world) {
        Instant then = Instant.now().minusSeconds(1200);
        world.putJournalItem(Map.of("pk", s(Topology.PLAN), "sk", s("STATE"), "phase", s("RUNNING"), "runId", s(RUN),
                "leaseOwner", s("dead-invocation"), "leaseExpiresAt", n(then.plusSeconds(960).toEpochMilli()),
                "version", n(1)));
        world.putJournalItem(Map.of("pk", s(Topology.PLAN), "sk", s("RUN#" + RUN), "runId", s(RUN),
                "state", s("RUNNING"), "trigger", s("ALARM"), "startedAt", s(then.toString())));
        int index = 1;
        for (String step : List.of("CHECK_RPO", "FENCE_OLD_PRIMARY", "PROMOTE_REPLICA")) {
            world.putJournalItem(Map.of("pk", s(Topology.PLAN), "sk", s(String.format("RUN#%s#STEP#%02d#%s", RUN,
                    index++, step)), "step", s(step), "status", s("DONE"), "startedAt", s(then.toString()),
                    "endedAt", s(then.toString()), "detail", s("done by the invocation that died")));
        }
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
