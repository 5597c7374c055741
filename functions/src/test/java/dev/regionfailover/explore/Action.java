package dev.regionfailover.explore;

import java.time.Duration;

import dev.regionfailover.event.OperatorCommand;
import dev.regionfailover.failover.StepName;

/**
 * One thing that happens to the plan in a generated history. Each record's {@code toString} is how a shrunk
 * counterexample reads in a test report, and how it is written again as a named test.
 */
interface Action {

    void apply(History history);

    /** A watched alarm enters ALARM; the transition arrives {@code copies} times (EventBridge, the action, a retry). */
    record AlarmFires(int alarm, int copies) implements Action {
        @Override
        public void apply(History history) {
            history.alarm(ExploredSystem.WATCHED_ALARMS.get(alarm), "ALARM", copies);
        }
    }

    record AlarmClears(int alarm) implements Action {
        @Override
        public void apply(History history) {
            history.alarm(ExploredSystem.WATCHED_ALARMS.get(alarm), "OK", 1);
        }
    }

    /** An alarm this plan does not watch enters ALARM. */
    record OtherAlarm() implements Action {
        @Override
        public void apply(History history) {
            history.otherAlarm();
        }
    }

    /** The schedule's evaluation; {@code redelivered}: EventBridge delivers the same event id again. */
    record Tick(boolean redelivered) implements Action {
        @Override
        public void apply(History history) {
            history.tick(redelivered);
        }
    }

    /** How old an order's event time is when it arrives: within the maximum age, past it, or ahead of the clock. */
    enum Age {
        FRESH, STALE, AHEAD
    }

    /**
     * An operator's order through the manual-failover handler's gate (TriggerTrust), on the force bus: so a forced
     * order is admitted while fresh, and a stale or future-dated one is refused.
     */
    record Order(OperatorCommand.Action action, boolean dryRun, boolean force, Age age) implements Action {

        Order(OperatorCommand.Action action, boolean dryRun, boolean force) {
            this(action, dryRun, force, Age.FRESH);
        }

        @Override
        public void apply(History history) {
            history.order(action, dryRun, force, age);
        }
    }

    /** A watched alarm's name entering ALARM in another region or another account: it must be ignored. */
    record ForeignAlarm(boolean otherAccount) implements Action {
        @Override
        public void apply(History history) {
            history.foreignAlarm(otherAccount);
        }
    }

    /** An RDS event (a replica promoted, a failover finished) reaches the rds-event function. */
    record RdsEvent(String eventId) implements Action {
        @Override
        public void apply(History history) {
            history.rdsEvent(eventId);
        }
    }

    /**
     * A documented status on the writer side ({@code primary}) or the standby side of the current generation of
     * the plan's own pair. (The pair-less records stay as they were: a history's text seeds its fakes, so the
     * single-pair explorations and the named counterexamples replay as they were found.)
     */
    record Status(boolean primary, String status, Duration lasting) implements Action {
        @Override
        public void apply(History history) {
            history.status(0, primary, status, lasting);
        }
    }

    /** A human starts what was stopped or failed: the side is available again. */
    record Recovers(boolean primary) implements Action {
        @Override
        public void apply(History history) {
            history.status(0, primary, "available", Duration.ZERO);
        }
    }

    /** {@link Status} on the plan's {@code pair}-th pair (0: its own, then its additional databases). */
    record PairStatus(int pair, boolean primary, String status, Duration lasting) implements Action {
        @Override
        public void apply(History history) {
            history.status(pair, primary, status, lasting);
        }
    }

    /** {@link Recovers} on the plan's {@code pair}-th pair. */
    record PairRecovers(int pair, boolean primary) implements Action {
        @Override
        public void apply(History history) {
            history.status(pair, primary, "available", Duration.ZERO);
        }
    }

    /** {@link Lag} of the plan's {@code pair}-th pair's replica. */
    record PairLag(int pair, double seconds) implements Action {
        @Override
        public void apply(History history) {
            history.lag(pair, seconds);
        }
    }

    record RegionOutage(String region, boolean down) implements Action {
        @Override
        public void apply(History history) {
            history.region(region, down);
        }
    }

    record Route53ControlPlane(boolean down) implements Action {
        @Override
        public void apply(History history) {
            history.world().aws.route53Down = down;
        }
    }

    record Throttling(double probability) implements Action {
        @Override
        public void apply(History history) {
            history.world().aws.throttling = probability;
        }
    }

    record Lag(double seconds) implements Action {
        @Override
        public void apply(History history) {
            history.lag(0, seconds);
        }
    }

    record Advance(Duration by) implements Action {
        @Override
        public void apply(History history) {
            history.world().clock.advance(by);
        }
    }

    /**
     * A primary region outage as the hysteresis needs it to reach FAILED: both watched alarms fire and the primary
     * stops, then {@code evaluations} scheduled evaluations a minute and a half apart. In the approval-required
     * worlds it brings the histories to AWAIT_APPROVAL often enough to explore what happens there.
     */
    record SustainedOutage(int evaluations) implements Action {
        @Override
        public void apply(History history) {
            ExploredSystem.WATCHED_ALARMS.forEach(alarm -> history.alarm(alarm, "ALARM", 1));
            history.status(0, true, "stopped", Duration.ofHours(1));
            for (int i = 0; i < evaluations; i++) {
                history.world().clock.advance(Duration.ofSeconds(90));
                history.tick(false);
            }
        }
    }

    /** The next invocation is killed once it has journaled this step (a timeout or a crash). */
    record KillAfter(StepName step) implements Action {
        @Override
        public void apply(History history) {
            history.world().killAfter = step;
        }
    }

    /** The next invocations have this much Lambda time left when they start (virtual time). */
    record LambdaTime(Duration remaining) implements Action {
        @Override
        public void apply(History history) {
            history.lambdaTime(remaining);
        }
    }
}
