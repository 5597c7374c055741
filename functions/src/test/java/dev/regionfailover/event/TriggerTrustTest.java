package dev.regionfailover.event;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.regionfailover.config.DatabasePair;
import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.config.FailoverConfig.DatabaseKind;
import dev.regionfailover.config.FailoverConfig.OrderPath;
import dev.regionfailover.event.AlarmSignal.AlarmState;
import dev.regionfailover.event.AlarmSignal.Shape;
import dev.regionfailover.event.OperatorCommand.Action;
import dev.regionfailover.event.RejectedEvent.Kind;

/** Every refusal reason and every admit path of {@link TriggerTrust}, with the freshness boundaries exactly. */
class TriggerTrustTest {

    private static final String ACCOUNT = "123456789012";
    private static final String PRIMARY = "us-east-1";
    private static final String STANDBY = "us-west-2";
    private static final String WATCHED = "orders-db-primary-availability";
    private static final String ALARM_ARN = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:" + WATCHED;
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private static final String MEMBER_WEST = "arn:aws:rds:us-west-2:123456789012:cluster:orders-aurora-west";

    private final FailoverConfig config = mock(FailoverConfig.class, RETURNS_DEEP_STUBS);
    private final DatabasePair rds = new DatabasePair("orders-db", DatabaseKind.RDS_INSTANCE, PRIMARY,
            Optional.of("orders-db"), STANDBY, Optional.of("orders-db-replica"), Optional.empty(), null, List.of(),
            "orders-db", null);
    private final DatabasePair aurora = new DatabasePair("orders-db", DatabaseKind.AURORA_GLOBAL, PRIMARY,
            Optional.empty(), STANDBY, Optional.empty(), Optional.of("orders-global"), null, List.of(), "orders-db",
            null);

    @BeforeEach
    void plan() {
        when(config.plan()).thenReturn("orders-db");
        when(config.accountId()).thenReturn(ACCOUNT);
        when(config.primary().region()).thenReturn(PRIMARY);
        when(config.standby().region()).thenReturn(STANDBY);
        when(config.health().watchedAlarms()).thenReturn(Optional.of(List.of(WATCHED)));
        when(config.operator().path()).thenReturn(OrderPath.OPERATOR_BUS);
        when(config.operator().defaultBusOrders()).thenReturn(false);
        when(config.operator().maxOrderAge()).thenReturn(Duration.ofMinutes(15));
        when(config.operator().clockSkew()).thenReturn(Duration.ofMinutes(1));
    }

    private TriggerTrust trust(DatabasePair... pairs) {
        return new TriggerTrust(config, List.of(pairs));
    }

    private static AlarmSignal alarm(String name, String arn, String region, String account, Shape shape) {
        return new AlarmSignal(name, arn, region, account, AlarmState.ALARM, AlarmState.OK, "outage",
                "2026-12-02T11:59:00Z", shape);
    }

    // ---- alarms

    @ParameterizedTest
    @EnumSource(Shape.class)
    void aWatchedAlarmOfThePrimaryRegionAndThePlansAccountCounts(Shape shape) {
        assertEquals(Optional.empty(), trust(rds).foreignAlarm(alarm(WATCHED, ALARM_ARN, PRIMARY, ACCOUNT, shape)));
    }

    @Test
    void anAlarmWithoutAnArnIsJudgedByItsRegionAndAccount() {
        assertEquals(Optional.empty(), trust(rds).foreignAlarm(alarm(WATCHED, "", PRIMARY, ACCOUNT, Shape.SNS)));
    }

    @Test
    void anUnwatchedAlarmIsLeftToTheService() {
        assertEquals(Optional.empty(), trust(rds).foreignAlarm(alarm("other", "x", "eu-west-1", "1", Shape.SNS)));
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void theSameNameInAnotherRegionIsAnotherAlarm(Shape shape) {
        String why = trust(rds).foreignAlarm(alarm(WATCHED, ALARM_ARN.replace(PRIMARY, STANDBY), STANDBY, ACCOUNT,
                shape)).orElseThrow();
        assertTrue(why.contains("comes from region 'us-west-2', not the primary region us-east-1"), why);
        assertTrue(why.contains(shape.name()), why);
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void theSameNameInAnotherAccountIsAnotherAlarm(Shape shape) {
        String why = trust(rds).foreignAlarm(alarm(WATCHED, ALARM_ARN.replace(ACCOUNT, "999999999999"), PRIMARY,
                "999999999999", shape)).orElseThrow();
        assertTrue(why.contains("comes from account '999999999999', not the plan's account 123456789012"), why);
    }

    @ParameterizedTest
    @ValueSource(strings = { "arn:aws:cloudwatch:us-west-2:123456789012:alarm:" + WATCHED,
            "arn:aws:cloudwatch:us-east-1:999999999999:alarm:" + WATCHED,
            "arn:aws:cloudwatch:us-east-1:123456789012:alarm:" + WATCHED + "-copy",
            "arn:aws:sns:us-east-1:123456789012:alarm:" + WATCHED, "not-an-arn" })
    void anArnThatIsNotTheWatchedAlarmsIsIgnored(String arn) {
        String why = trust(rds).foreignAlarm(alarm(WATCHED, arn, PRIMARY, ACCOUNT, Shape.LAMBDA_ACTION))
                .orElseThrow();
        assertTrue(why.startsWith("alarm '" + WATCHED + "' (LAMBDA_ACTION) carries the ARN '"), why);
        assertTrue(why.endsWith("not arn:...:cloudwatch:us-east-1:123456789012:alarm:" + WATCHED + ": ignored"), why);
    }

    // ---- operator orders

    private static OperatorCommand order(boolean dryRun, boolean force) {
        return new OperatorCommand(Action.FAILOVER, "drill", dryRun, force, "alice", "regionfailover.operator",
                ACCOUNT, "e-1");
    }

    private RejectedEvent refused(OperatorCommand order, String time) {
        return assertThrows(RejectedEvent.class, () -> trust(rds).admitOrder(order, time, NOW));
    }

    @Test
    void aFreshOrderOnTheOperatorBusIsAdmitted() {
        assertDoesNotThrow(() -> trust(rds).admitOrder(order(false, false), "2026-12-02T11:59:00Z", NOW));
    }

    @Test
    void anOrderOnTheDefaultBusIsRefusedWhileThatPathIsOff() {
        when(config.operator().path()).thenReturn(OrderPath.DEFAULT_BUS);
        RejectedEvent e = refused(order(true, false), "2026-12-02T12:00:00Z");
        assertEquals(Kind.UNAUTHORISED, e.kind());
        assertTrue(e.getMessage().contains("failover.operator.default-bus-orders is false"), e.getMessage());
    }

    @Test
    void anOrderOnTheDefaultBusIsAdmittedWhenThatPathIsOn() {
        when(config.operator().path()).thenReturn(OrderPath.DEFAULT_BUS);
        when(config.operator().defaultBusOrders()).thenReturn(true);
        assertDoesNotThrow(() -> trust(rds).admitOrder(order(false, false), "2026-12-02T12:00:00Z", NOW));
    }

    @ParameterizedTest
    @EnumSource(value = OrderPath.class, names = { "OPERATOR_BUS", "DEFAULT_BUS" })
    void forceIsRefusedOffTheForceBus(OrderPath path) {
        when(config.operator().path()).thenReturn(path);
        when(config.operator().defaultBusOrders()).thenReturn(true);
        RejectedEvent e = refused(order(false, true), "2026-12-02T12:00:00Z");
        assertEquals(Kind.UNAUTHORISED, e.kind());
        assertTrue(e.getMessage().contains("may be ordered only on the force bus"), e.getMessage());
        assertTrue(e.getMessage().contains(path.name().toLowerCase().replace('_', '-') + " path"), e.getMessage());
    }

    @Test
    void forceIsAdmittedOnTheForceBus() {
        when(config.operator().path()).thenReturn(OrderPath.FORCE_BUS);
        assertDoesNotThrow(() -> trust(rds).admitOrder(order(false, true), "2026-12-02T12:00:00Z", NOW));
    }

    @Test
    void aForcedDryRunChangesNothingSoTheOperatorBusMayRehearseIt() {
        assertDoesNotThrow(() -> trust(rds).admitOrder(order(true, true), "2026-12-02T12:00:00Z", NOW));
    }

    @Test
    void anOrderExactlyAsOldAsTheMaximumIsStillFresh() {
        assertDoesNotThrow(() -> trust(rds).admitOrder(order(false, false), "2026-12-02T11:45:00Z", NOW));
    }

    @Test
    void anOrderOneSecondOlderThanTheMaximumIsStale() {
        RejectedEvent e = refused(order(false, false), "2026-12-02T11:44:59Z");
        assertEquals(Kind.STALE, e.kind());
        assertTrue(e.getMessage().contains("sent at 2026-12-02T11:44:59Z, PT15M1S ago, longer than "
                + "failover.operator.max-order-age PT15M"), e.getMessage());
    }

    @Test
    void aDryRunIsJudgedForFreshnessToo() {
        assertEquals(Kind.STALE, refused(order(true, false), "2026-11-22T10:00:00Z").kind());
    }

    @Test
    void anOrderDatedAsFarAheadAsTheSkewAllowsIsAdmitted() {
        assertDoesNotThrow(() -> trust(rds).admitOrder(order(false, false), "2026-12-02T12:01:00Z", NOW));
    }

    @Test
    void anOrderDatedFurtherAheadThanTheSkewIsRefused() {
        RejectedEvent e = refused(order(false, false), "2026-12-02T12:01:01Z");
        assertEquals(Kind.STALE, e.kind());
        assertTrue(e.getMessage().contains("PT1M1S in the future, more than failover.operator.clock-skew PT1M"),
                e.getMessage());
    }

    @Test
    void anOffsetTimeIsReadAsTheInstantItNames() {
        assertDoesNotThrow(() -> trust(rds).admitOrder(order(false, false), "2026-12-02T13:50:00+02:00", NOW));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "yesterday", "2026-12-02", "2026-12-02T12:00:00" })
    void anOrderWithoutAValidTimeCannotBeShownFresh(String time) {
        RejectedEvent e = refused(order(false, false), time);
        assertEquals(Kind.STALE, e.kind());
        assertTrue(e.getMessage().contains("cannot be shown to be fresh"), e.getMessage());
    }

    @Test
    void theNullTimeOfAnEnvelopeWithoutOneIsRefusedToo() {
        assertEquals(Kind.STALE, refused(order(false, false), null).kind());
    }

    // ---- RDS events

    private static EventBridgeEnvelope envelope(String account, String region, String sourceArn) {
        ObjectNode detail = EventFiles.MAPPER.createObjectNode();
        if (sourceArn != null) {
            detail.put("SourceArn", sourceArn);
        }
        return new EventBridgeEnvelope("e-1", "aws.rds", "RDS DB Cluster Event", account, region, "", detail);
    }

    private static RdsNotification outcome(String identifier) {
        return new RdsNotification("RDS DB Cluster Event", Optional.of("RDS-EVENT-0238"), identifier, "completed");
    }

    private static final Supplier<Set<String>> NOT_ASKED = () -> fail("the members were read without need");

    @Test
    void anRdsEventFromAnotherAccountIsIgnored() {
        String why = trust(aurora).foreignRdsEvent(outcome("rds:orders-aurora-west"),
                envelope("999999999999", STANDBY, null), NOT_ASKED).orElseThrow();
        assertTrue(why.contains("comes from account '999999999999', not the plan's account"), why);
    }

    @Test
    void anRdsEventFromAThirdRegionIsIgnored() {
        String why = trust(aurora).foreignRdsEvent(outcome("rds:orders-aurora-west"),
                envelope(ACCOUNT, "eu-west-1", null), NOT_ASKED).orElseThrow();
        assertTrue(why.contains("neither of plan orders-db's regions"), why);
    }

    @Test
    void anEventThatCannotResumeARunNeedsNoProof() {
        RdsNotification backup = new RdsNotification("RDS DB Instance Event", Optional.of("RDS-EVENT-0001"),
                "someone-elses-db", "backing up");
        assertEquals(Optional.empty(), trust(rds).foreignRdsEvent(backup, envelope("999999999999", "us-east-2",
                null), NOT_ASKED));
    }

    @ParameterizedTest
    @ValueSource(strings = { "orders-db", "orders-db-replica", "orders-db-g1", "orders-db-g12",
            "orders-db-replica-g3", "rds:orders-db-g2" })
    void thePlansInstancesAndTheirFailbackGenerationsAreOurs(String identifier) {
        assertEquals(Optional.empty(), trust(rds).foreignRdsEvent(outcome(identifier),
                envelope(ACCOUNT, STANDBY, null), NOT_ASKED));
    }

    @ParameterizedTest
    @ValueSource(strings = { "orders-db-green-1", "orders-db-g0", "orders-db-g01", "orders-db-g", "orders-db-g1x",
            "orders-db2", "xorders-db" })
    void aNameThatOnlyStartsWithAnInstanceIdIsNotOurs(String identifier) {
        String why = trust(rds).foreignRdsEvent(outcome(identifier), envelope(ACCOUNT, STANDBY, null), NOT_ASKED)
                .orElseThrow();
        assertTrue(why.contains("is not a database of plan orders-db"), why);
    }

    @Test
    void theSourceArnNamesTheResourceWhenThereIsOne() {
        assertEquals(Optional.empty(), trust(rds).foreignRdsEvent(outcome(""), envelope(ACCOUNT, STANDBY,
                "arn:aws:rds:us-west-2:123456789012:db:orders-db-replica"), NOT_ASKED));
    }

    @Test
    void anEventThatNamesTwoResourcesIsIgnored() {
        String why = trust(rds).foreignRdsEvent(outcome("rds:orders-db"), envelope(ACCOUNT, STANDBY,
                "arn:aws:rds:us-west-2:123456789012:db:payments-db"), NOT_ASKED).orElseThrow();
        assertTrue(why.contains("SourceIdentifier and SourceArn differ"), why);
    }

    @Test
    void anEventThatNamesNothingIsIgnored() {
        String why = trust(rds).foreignRdsEvent(outcome(""), envelope(ACCOUNT, STANDBY, null), NOT_ASKED)
                .orElseThrow();
        assertTrue(why.contains("names no resource"), why);
    }

    @Test
    void theGlobalDatabaseItselfIsOursWithoutReadingItsMembers() {
        assertEquals(Optional.empty(), trust(aurora).foreignRdsEvent(outcome("orders-global"),
                envelope(ACCOUNT, STANDBY, null), NOT_ASKED));
    }

    @Test
    void aMemberClusterIsOursByItsArn() {
        assertEquals(Optional.empty(), trust(aurora).foreignRdsEvent(outcome("rds:orders-aurora-west"),
                envelope(ACCOUNT, STANDBY, MEMBER_WEST), () -> Set.of(MEMBER_WEST)));
    }

    @Test
    void aMemberClusterIsOursByItsNameInTheEventsRegion() {
        assertEquals(Optional.empty(), trust(aurora).foreignRdsEvent(outcome("orders-aurora-west"),
                envelope(ACCOUNT, STANDBY, null), () -> Set.of(MEMBER_WEST)));
    }

    @Test
    void aClusterOfTheSameNameInTheOtherRegionIsNotAMember() {
        String why = trust(aurora).foreignRdsEvent(outcome("orders-aurora-west"), envelope(ACCOUNT, PRIMARY, null),
                () -> Set.of(MEMBER_WEST)).orElseThrow();
        assertTrue(why.contains("is not a database of plan orders-db"), why);
    }

    @Test
    void aClusterThatIsNoMemberIsNotOurs() {
        String arn = "arn:aws:rds:us-west-2:123456789012:cluster:payments-west";
        String why = trust(aurora).foreignRdsEvent(outcome("rds:payments-west"), envelope(ACCOUNT, STANDBY, arn),
                () -> Set.of(MEMBER_WEST)).orElseThrow();
        assertTrue(why.contains("is not a database of plan orders-db"), why);
    }

    @Test
    void anRdsInstancePlanNeverReadsGlobalMembers() {
        String why = trust(rds).foreignRdsEvent(outcome("orders-aurora-west"), envelope(ACCOUNT, STANDBY, null),
                NOT_ASKED).orElseThrow();
        assertTrue(why.contains("is not a database of plan orders-db"), why);
    }
}
