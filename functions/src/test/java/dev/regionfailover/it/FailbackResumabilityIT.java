package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;

import dev.regionfailover.event.OperatorCommand;
import dev.regionfailover.failover.Deadline;
import dev.regionfailover.failover.StepBoundaries;
import dev.regionfailover.failover.StepName;
import dev.regionfailover.handler.HandlerResponse;
import dev.regionfailover.service.FailoverService;
import dev.regionfailover.tools.Topology;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * A failback cut short at any of its step boundaries (RDS pair, record-update, reader routing) is finished by the
 * operator's next Failback Requested, from its journal, with every side effect once: two replicas created, one
 * fence, one promotion, three Route 53 changes (the writer's name, the readers shifted, the readers restored), one
 * notification; and it ends as an uninterrupted failback does.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "manual-failover"), @ResourceArg(name = "leaseSeconds", value = "1"),
        @ResourceArg(name = "readers", value = "true") })
class FailbackResumabilityIT {

    private static final String FAILBACK_WRITER = Topology.PRIMARY_ID + "-g1";
    private static final String NEW_REPLICA = Topology.REPLICA_ID + "-g1";

    @Inject
    FailoverService service;

    @AfterEach
    void restoreTheWorld() {
        QuarkusMock.installMockForType(new StepBoundaries(), StepBoundaries.class);
        try (Topology world = EmulatorResource.topology()) {
            world.reset(5);
        }
    }

    @ParameterizedTest
    @EnumSource(value = StepName.class, names = { "ACQUIRE_LEASE", "PREPARE_FAILBACK_REPLICA",
            "AWAIT_FAILBACK_REPLICA", "UNFENCE_FAILBACK_TARGET", "SHIFT_READERS", "FENCE_OLD_PRIMARY",
            "AWAIT_CATCH_UP", "PROMOTE_REPLICA", "AWAIT_WRITER", "REPOINT_DNS", "REBUILD_STANDBY_REPLICA",
            "AWAIT_STANDBY_REPLICA", "UNFENCE_NEW_STANDBY", "REARM_DNS", "ROUTE_READERS", "NOTIFY" })
    void aFailbackKilledAtAnyBoundaryIsFinishedByTheNextRequestWithEverySideEffectOnce(StepName killedAfter)
            throws Exception {
        try (Topology world = EmulatorResource.topology()) {
            assertEquals("COMPLETED", operator(OperatorCommand.Action.FAILOVER, "failover").outcome());
            world.receiveNotifications();
            world.reportReplicaLag(Topology.PRIMARY_REGION, FAILBACK_WRITER, 0);
            AwsCallRecorder.clear();
            ResumabilityIT.killInvocationsAfter(killedAfter);
            assertThrows(ResumabilityIT.Killed.class, () -> operator(OperatorCommand.Action.FAILBACK, "first"));
            QuarkusMock.installMockForType(new StepBoundaries(), StepBoundaries.class);
            Thread.sleep(1200); // the dead invocation's lease runs out

            HandlerResponse second = operator(OperatorCommand.Action.FAILBACK, "second");

            assertEquals("COMPLETED", second.outcome(), second.reason());
            DBInstance writer = world.instance(Topology.PRIMARY_REGION, FAILBACK_WRITER);
            assertNull(writer.readReplicaSourceDBInstanceIdentifier());
            assertEquals(writer.endpoint().address(), world.recordTarget());
            String newReplica = world.instance(Topology.STANDBY_REGION, NEW_REPLICA).endpoint().address();
            assertEquals(Map.of(Topology.PRIMARY_REGION, writer.endpoint().address(), Topology.STANDBY_REGION,
                    newReplica), world.readerRecords());
            assertEquals(2, AwsCallRecorder.count("CreateDBInstanceReadReplica"), "two replicas created, once each");
            assertEquals(1, AwsCallRecorder.count("ModifyDBInstance"), "one fence");
            assertEquals(1, AwsCallRecorder.count("PromoteReadReplica"), "promotion once");
            assertEquals(3, AwsCallRecorder.count("ChangeResourceRecordSets"), "writer, readers shifted, restored");
            assertEquals(1, AwsCallRecorder.count("Publish"), "notification once");
            assertEquals(1, world.receiveNotifications().size());
        }
    }

    private HandlerResponse operator(OperatorCommand.Action action, String invocation) {
        return service.onOperator(new OperatorCommand(action, "failback resumability test", false, false, "test",
                "regionfailover.operator", Topology.ACCOUNT, invocation), Deadline.unbounded(), invocation);
    }
}
