package dev.regionfailover.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.event.OperatorCommand;
import dev.regionfailover.failover.RunKind;
import dev.regionfailover.failover.RunState;

/**
 * The plan of three pairs is explored only if a run can get through it: an operator's failover completes on every
 * pair (those the first invocation had no time left for resume on the next ticks), each name then names its own
 * pair's promoted standby, so that the exploration's passing histories are not runs that all paused or failed.
 */
class PlanExploredSystemTest {

    static {
        java.util.logging.Logger.getLogger("dev.regionfailover").setLevel(java.util.logging.Level.OFF);
    }

    @Test
    void anOperatorsFailoverCompletesOnEveryPairOfThePlan() {
        List<Action> actions = List.of(
                new Action.Order(OperatorCommand.Action.FAILOVER, false, true),
                new Action.Advance(Duration.ofMinutes(20)), new Action.Tick(false),
                new Action.Advance(Duration.ofMinutes(20)), new Action.Tick(false));
        List<FailoverConfig.FailoverMode> modes = List.of(FailoverConfig.FailoverMode.RPO_BOUNDED,
                FailoverConfig.FailoverMode.PLANNED_ONLY, FailoverConfig.FailoverMode.AVAILABILITY_FIRST);
        ExploredSystem world = new History(History.seedOf(actions), modes, List.of(0.0, 0.0, 0.0)).play(actions)
                .world();
        for (int pair = 0; pair < world.pairs.size(); pair++) {
            InMemoryJournal journal = world.journalOf(pair);
            assertEquals(List.of(RunKind.FAILOVER + " " + RunState.COMPLETED), journal.runs.values().stream()
                    .map(run -> run.spec.kind() + " " + run.state).toList(), world.pairs.get(pair).name());
            String standby = world.pairs.get(pair).standbyId();
            assertEquals(world.aws.instances.get(standby).endpoint(),
                    world.aws.writerNames.get(world.pairs.get(pair).name()), "the name follows its own pair's writer");
        }
    }
}
