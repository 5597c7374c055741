package dev.regionfailover.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.event.OperatorCommand;
import dev.regionfailover.failover.RunKind;
import dev.regionfailover.failover.RunState;

/**
 * The Aurora world is explored only if a run can get through it: an operator's failover and failback complete
 * over the fake global database, with the managed calls AuroraGlobalGateway makes, the roles swapped and the
 * fences lifted, so that the exploration's passing histories are not runs that all failed early.
 */
class AuroraExploredSystemTest {

    static {
        java.util.logging.Logger.getLogger("dev.regionfailover").setLevel(java.util.logging.Level.OFF);
    }

    @Test
    void anOperatorsFailoverAndFailbackCompleteOverTheGlobalDatabase() {
        List<Action> actions = List.of(
                new Action.Order(OperatorCommand.Action.FAILOVER, false, true),
                new Action.Advance(Duration.ofMinutes(20)),
                new Action.Order(OperatorCommand.Action.FAILBACK, false, false));
        History history = new History(History.seedOf(actions), FailoverConfig.DatabaseKind.AURORA_GLOBAL,
                FailoverConfig.FailoverMode.RPO_BOUNDED, 0).play(actions);
        ExploredSystem world = history.world();
        List<String> ended = world.notices.stream().filter(notice -> notice.report() != null)
                .map(notice -> notice.report().kind() + " " + notice.report().state()).toList();
        assertEquals(List.of(RunKind.FAILOVER + " " + RunState.COMPLETED, RunKind.FAILBACK + " " + RunState.COMPLETED),
                ended, () -> "steps: " + world.journal.runs.keySet().stream().map(world.journal::steps).toList());
        List<String> managed = world.aws.calls.stream().filter(FakeAws.Call::promotion)
                .map(call -> call.action() + " " + call.target()).toList();
        assertEquals(List.of("FailoverGlobalCluster " + ExploredSystem.STANDBY_CLUSTER_ID,
                "SwitchoverGlobalCluster " + ExploredSystem.PRIMARY_CLUSTER_ID), managed);
        FakeAws.Cluster primary = world.aws.clusters.get(ExploredSystem.PRIMARY_CLUSTER_ID);
        FakeAws.Cluster standby = world.aws.clusters.get(ExploredSystem.STANDBY_CLUSTER_ID);
        assertTrue(primary.isWriter && !standby.isWriter, "the writer is back in the primary region");
        assertEquals(primary.endpoint(), world.aws.writerNames.get(ExploredSystem.PLAN));
        assertNull(primary.fencedFrom, "the failback lifted the fence the failover put on the old primary");
        assertNull(standby.fencedFrom, "the failback lifted the fence it put on the writer it demoted");
    }
}
