package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.regionfailover.event.AlarmSignal;
import dev.regionfailover.event.OperatorCommand;
import dev.regionfailover.failover.Deadline;
import dev.regionfailover.handler.HandlerResponse;
import dev.regionfailover.service.FailoverService;
import dev.regionfailover.tools.Topology;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * Anti-flapping: after a failover and its failback, a primary that fails again within the cooldown is notified
 * (once), not flipped; an operator's acknowledgement re-arms automatic failover, and the next failing verdict
 * fails over.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS,
        initArgs = @ResourceArg(name = "handler", value = "manual-failover"))
class CooldownIT {

    private static final String FAILED_BACK_PRIMARY = Topology.PRIMARY_ID + "-g1";
    private static final String NEW_REPLICA = Topology.REPLICA_ID + "-g1";

    @Inject
    FailoverService service;

    @Test
    void aPrimaryThatFailsAgainWithinTheCooldownIsNotifiedNotFlipped() throws Exception {
        try (Topology world = EmulatorResource.topology()) {
            assertEquals("COMPLETED", operator(OperatorCommand.Action.FAILOVER).outcome());
            world.reportReplicaLag(Topology.PRIMARY_REGION, FAILED_BACK_PRIMARY, 0);
            assertEquals("COMPLETED", operator(OperatorCommand.Action.FAILBACK).outcome());
            world.receiveNotifications();

            world.stopInstance(Topology.PRIMARY_REGION, FAILED_BACK_PRIMARY);
            world.reportReplicaLag(Topology.STANDBY_REGION, NEW_REPLICA, 5);
            Topology.WATCHED_ALARMS.forEach(alarm -> world.setAlarm(alarm, StateValue.ALARM, "flapping"));
            AwsCallRecorder.clear();
            assertEquals("EVALUATED", alarm().outcome(), "first failing evaluation");
            HandlerResponse suppressed = alarm();
            HandlerResponse again = alarm();

            assertEquals("COOLING_DOWN", suppressed.outcome(), suppressed.reason());
            assertEquals("COOLING_DOWN", again.outcome());
            assertEquals(0, AwsCallRecorder.count("PromoteReadReplica"), "not flipped");
            List<String> told = world.receiveNotifications();
            assertEquals(1, told.size(), "told once");
            assertTrue(new ObjectMapper().readTree(told.get(0)).get("Subject").asText().contains("NOT carried out"));

            assertEquals("ACKNOWLEDGED", operator(OperatorCommand.Action.ACKNOWLEDGE_COOLDOWN).outcome());
            HandlerResponse rearmed = alarm();

            assertEquals("COMPLETED", rearmed.outcome(), rearmed.reason());
            assertEquals(1, AwsCallRecorder.count("PromoteReadReplica"));
            assertEquals(world.instance(Topology.STANDBY_REGION, NEW_REPLICA).endpoint().address(),
                    world.recordTarget());
        }
    }

    private HandlerResponse alarm() {
        return service.onAlarm(new AlarmSignal(Topology.WATCHED_ALARMS.get(0), "", Topology.PRIMARY_REGION,
                Topology.ACCOUNT, AlarmSignal.AlarmState.ALARM, AlarmSignal.AlarmState.OK, "flapping", "",
                AlarmSignal.Shape.EVENTBRIDGE), Deadline.unbounded(), "alarm-" + System.nanoTime());
    }

    private HandlerResponse operator(OperatorCommand.Action action) {
        return service.onOperator(new OperatorCommand(action, "cooldown test", false, false, "oncall",
                "regionfailover.operator", Topology.ACCOUNT, "op"), Deadline.unbounded(), "op-" + System.nanoTime());
    }
}
