package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

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

import dev.regionfailover.event.EventBridgeEnvelope;
import dev.regionfailover.event.OperatorCommand;
import dev.regionfailover.failover.Deadline;
import dev.regionfailover.handler.HandlerResponse;
import dev.regionfailover.service.FailoverService;
import dev.regionfailover.tools.Topology;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * approval-required, against the emulator: a FAILED verdict checks everything, changes nothing and asks (once);
 * the alarms of the storm find the run still waiting; an approval of another run approves nothing; an expired
 * request is closed and notified, and the next FAILED verdict asks again; a primary that recovers before anyone
 * approved withdraws the request; when it fails again, the approval of the new run fails over.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "alarm"),
        @ResourceArg(name = "failover.approval.mode", value = "approval-required"),
        @ResourceArg(name = "failover.approval.window", value = "PT30M") })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApprovalIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static String firstRun;
    private static String secondRun;
    private static String thirdRun;

    @Inject
    FailoverService service;

    @BeforeEach
    void clearRecordedCalls() {
        AwsCallRecorder.clear();
    }

    @Test
    @Order(1)
    void theDryRunShowsTheGateThatAnOperatorsOrderSkips() {
        HandlerResponse response = service.onOperator(order(OperatorCommand.Action.FAILOVER, true, List.of()),
                Deadline.unbounded(), "dry");

        assertEquals("DRY_RUN", response.outcome(), response.reason());
        var gate = response.report().steps().stream().filter(step -> step.name().name().equals("AWAIT_APPROVAL"))
                .findFirst().orElseThrow();
        assertEquals("SKIPPED", gate.status().name());
        assertTrue(gate.detail().contains("would wait here up to PT30M for a Failover Approved"), gate.detail());
        assertEquals(List.of(), AwsCallRecorder.mutatingCalls());
    }

    @Test
    @Order(2)
    void aFailedVerdictChangesNothingAndAsksOnce() throws Exception {
        try (Topology world = EmulatorResource.topology()) {
            world.stopPrimary();
            Topology.WATCHED_ALARMS.forEach(alarm -> world.setAlarm(alarm, StateValue.ALARM, "outage"));
            assertEquals("EVALUATED", Lambda.invokeFile("events/alarm-eventbridge.json").getString("outcome"));
            world.discardNotifications();
            AwsCallRecorder.clear();

            JsonPath waiting = Lambda.invokeFile("events/alarm-lambda-action.json");

            assertEquals("AWAITING_APPROVAL", waiting.getString("outcome"), waiting.prettify());
            firstRun = waiting.getString("report.runId");
            assertTrue(waiting.getString("reason").contains("awaits an operator's approval until"),
                    waiting.getString("reason"));
            assertEquals(List.of("ACQUIRE_LEASE", "CHECK_RPO", "AWAIT_APPROVAL"), waiting.getList("report.steps.name"));
            assertEquals("IN_PROGRESS", waiting.getString("report.steps[2].status"));
            assertNothingChanged(world);
            List<String> sns = world.receiveNotifications();
            assertEquals(1, sns.size(), sns.toString());
            JsonNode message = MAPPER.readTree(sns.get(0));
            assertTrue(message.path("Subject").asText().contains("APPROVAL NEEDED"), message.toString());
            assertTrue(message.path("Message").asText().contains(firstRun), "the request names the run");
            assertEquals(List.of("Failover Approval Requested"), detailTypes(world));

            JsonPath storm = Lambda.invokeFile("events/alarm-eventbridge.json");

            assertEquals("AWAITING_APPROVAL", storm.getString("outcome"), storm.prettify());
            assertEquals(firstRun, storm.getString("report.runId"), "the storm resumes the same run");
            assertNothingChanged(world);
            assertEquals(List.of(), world.receiveNotifications(), "asked once");
        }
    }

    @Test
    @Order(3)
    void anApprovalOfAnotherRunApprovesNothingAndWritesNothing() {
        HandlerResponse response = service.onOperator(order(OperatorCommand.Action.APPROVE, false,
                List.of("20261122T141802Z-5d2c9a41")), Deadline.unbounded(), "operator-1");

        assertEquals("NOT_APPLICABLE", response.outcome(), response.reason());
        assertTrue(response.reason().contains("20261122T141802Z-5d2c9a41: no such run is under way"),
                response.reason());
        assertEquals(List.of(), AwsCallRecorder.mutatingCalls());
    }

    @Test
    @Order(4)
    void anExpiredRequestIsClosedAndNotifiedAndTheNextFailedVerdictAsksAgain() throws Exception {
        try (Topology world = EmulatorResource.topology()) {
            // half an hour passes unanswered: the request's expiry, as the journal holds it, lies behind us
            Map<String, AttributeValue> header = new HashMap<>(world.journal().stream()
                    .filter(item -> item.get("sk").s().equals("RUN#" + firstRun)).findFirst().orElseThrow());
            header.put("approvalExpiresAt", AttributeValue.fromN(String.valueOf(System.currentTimeMillis() - 1000)));
            world.putJournalItem(header);
            world.discardNotifications();

            JsonPath closed = Lambda.invokeFile("events/alarm-eventbridge.json");

            assertEquals("REFUSED", closed.getString("outcome"), closed.prettify());
            assertEquals(firstRun, closed.getString("report.runId"));
            assertTrue(closed.getString("reason").contains("expired at"), closed.getString("reason"));
            assertNothingChanged(world);
            assertEquals(List.of("Failover Refused"), detailTypes(world));
            HandlerResponse late = service.onOperator(order(OperatorCommand.Action.APPROVE, false,
                    List.of(firstRun)), Deadline.unbounded(), "operator-late");
            assertEquals("NOT_APPLICABLE", late.outcome(), late.reason());
            world.discardNotifications();

            JsonPath again = Lambda.invokeFile("events/alarm-lambda-action.json");

            assertEquals("AWAITING_APPROVAL", again.getString("outcome"), again.prettify());
            secondRun = again.getString("report.runId");
            assertTrue(!secondRun.equals(firstRun), "a new run asks again");
            assertEquals(1, world.receiveNotifications().size());
            assertNothingChanged(world);
        }
    }

    @Test
    @Order(5)
    void aPrimaryThatRecoversBeforeAnyoneApprovedWithdrawsTheRequest() throws Exception {
        try (Topology world = EmulatorResource.topology()) {
            world.startPrimary();
            Topology.WATCHED_ALARMS.forEach(alarm -> world.setAlarm(alarm, StateValue.OK, "recovered"));
            world.discardNotifications();

            HandlerResponse tick = service.onSchedule(new EventBridgeEnvelope("tick-recovered", "aws.events",
                    "Scheduled Event", Topology.ACCOUNT, Topology.STANDBY_REGION, "", MAPPER.createObjectNode()),
                    Deadline.unbounded(), "schedule-1");

            assertEquals("REFUSED", tick.outcome(), tick.reason());
            assertEquals(secondRun, tick.report().runId());
            assertTrue(tick.reason().contains("the primary recovered"), tick.reason());
            assertNothingChanged(world);
            assertEquals(List.of("Failover Refused"), detailTypes(world));

            // it fails again: a new run asks again
            world.stopPrimary();
            Topology.WATCHED_ALARMS.forEach(alarm -> world.setAlarm(alarm, StateValue.ALARM, "outage again"));
            Lambda.invokeFile("events/alarm-eventbridge.json");
            JsonPath again = Lambda.invokeFile("events/alarm-lambda-action.json");
            assertEquals("AWAITING_APPROVAL", again.getString("outcome"), again.prettify());
            thirdRun = again.getString("report.runId");
            assertNothingChanged(world);
        }
    }

    @Test
    @Order(6)
    void anApprovalOfTheWaitingRunFailsOverWithTheRpoCheckedAgain() {
        try (Topology world = EmulatorResource.topology()) {
            HandlerResponse approved = service.onOperator(order(OperatorCommand.Action.APPROVE, false,
                    List.of(thirdRun)), Deadline.unbounded(), "operator-2");

            assertEquals("COMPLETED", approved.outcome(), approved.reason());
            assertEquals(thirdRun, approved.report().runId());
            assertEquals("ALARM", approved.report().trigger().kind().name(), "the run keeps what started it");
            var gate = approved.report().steps().stream()
                    .filter(step -> step.name().name().equals("AWAIT_APPROVAL")).findFirst().orElseThrow();
            assertEquals("DONE", gate.status().name());
            assertTrue(gate.detail().startsWith("approved by alice@example.com at "), gate.detail());
            assertTrue(gate.detail().contains("the RPO guard again: "), gate.detail());
            assertNull(world.replica().readReplicaSourceDBInstanceIdentifier(), "promoted");
            assertEquals(world.replica().endpoint().address(), world.recordTarget());
            assertEquals(1, AwsCallRecorder.count("PromoteReadReplica"));
            Map<String, AttributeValue> header = world.journal().stream()
                    .filter(item -> item.get("sk").s().equals("RUN#" + thirdRun)).findFirst().orElseThrow();
            assertEquals("alice@example.com", header.get("approvedBy").s());
            assertNotNull(header.get("approvedAt"));

            HandlerResponse twice = service.onOperator(order(OperatorCommand.Action.APPROVE, false,
                    List.of(thirdRun)), Deadline.unbounded(), "operator-3");
            assertEquals("NOT_APPLICABLE", twice.outcome(), "the run has ended: " + twice.reason());
        }
    }

    /** Neither database nor DNS moved: the replica still replicates and the name still goes to the primary. */
    private static void assertNothingChanged(Topology world) {
        assertEquals(List.of(), AwsCallRecorder.mutatingCalls().stream()
                .filter(call -> call.startsWith("Rds:") || call.startsWith("Route53:")).toList());
        assertNotNull(world.replica().readReplicaSourceDBInstanceIdentifier());
        assertEquals(world.primary().endpoint().address(), world.recordTarget());
        assertEquals(List.of(Topology.APP_SECURITY_GROUP), world.primary().vpcSecurityGroups().stream()
                .map(group -> group.vpcSecurityGroupId()).toList(), "not fenced");
    }

    private static List<String> detailTypes(Topology world) throws Exception {
        List<String> types = new java.util.ArrayList<>();
        for (String body : world.receiveLifecycleEvents()) {
            types.add(MAPPER.readTree(body).path("detail-type").asText());
        }
        return types;
    }

    private static OperatorCommand order(OperatorCommand.Action action, boolean dryRun, List<String> runIds) {
        return new OperatorCommand(action, "approval test", dryRun, false, "alice@example.com",
                "regionfailover.operator", Topology.ACCOUNT, "approval-" + action, runIds);
    }
}
