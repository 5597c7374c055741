package dev.regionfailover.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The plan's pairs from configuration, reader routing and its validation included. */
class PlanPairsTest {

    private final FailoverConfig config = mock(FailoverConfig.class, RETURNS_DEEP_STUBS);
    private final PlanPairs planPairs = new PlanPairs();

    @BeforeEach
    void wire() {
        planPairs.config = config;
        planPairs.mapper = new ObjectMapper();
        when(config.plan()).thenReturn("orders-db");
        when(config.accountId()).thenReturn("123456789012");
        when(config.operator().maxOrderAge()).thenReturn(Duration.ofMinutes(15));
        when(config.operator().clockSkew()).thenReturn(Duration.ofMinutes(1));
        when(config.databaseKind()).thenReturn(FailoverConfig.DatabaseKind.RDS_INSTANCE);
        when(config.primary().region()).thenReturn("us-east-1");
        when(config.primary().dbInstanceId()).thenReturn(Optional.of("orders-db"));
        when(config.standby().region()).thenReturn("us-west-2");
        when(config.standby().dbInstanceId()).thenReturn(Optional.of("orders-db-replica"));
        when(config.aurora().globalClusterId()).thenReturn(Optional.empty());
        when(config.dns().hostedZoneId()).thenReturn("Z1");
        when(config.dns().recordName()).thenReturn("orders-db.example.internal");
        when(config.dns().ttl()).thenReturn(60L);
        when(config.dns().strategy()).thenReturn(FailoverConfig.DnsStrategy.RECORD_UPDATE);
        when(config.dns().switchAlarmName()).thenReturn(Optional.empty());
        when(config.fence().securityGroupIds()).thenReturn(Optional.empty());
        when(config.mode()).thenReturn(FailoverConfig.FailoverMode.RPO_BOUNDED);
        when(config.readers().recordName()).thenReturn(Optional.empty());
        when(config.readers().ttl()).thenReturn(30L);
        when(config.readers().alarmNamePrefix()).thenReturn(Optional.empty());
        when(config.additionalDatabases()).thenReturn(Optional.empty());
    }

    @Test
    void withoutAReaderNameThePairHasNoReaderRouting() {
        assertEquals(Optional.empty(), planPairs.all().get(0).dns().readers());
    }

    @Test
    void thePlansReaderNameAndAlarmsComeFromTheReadersSettings() {
        when(config.readers().recordName()).thenReturn(Optional.of("orders-db-ro.example.internal"));
        when(config.readers().alarmNamePrefix()).thenReturn(Optional.of("stack-reader-"));

        DatabasePair.Readers readers = planPairs.all().get(0).dns().readers().orElseThrow();

        assertEquals("orders-db-ro.example.internal", readers.recordName());
        assertEquals(30, readers.ttl());
        assertEquals("stack-reader-us-east-1", readers.alarmName("us-east-1"));
    }

    @Test
    void anAdditionalPairMayHaveItsOwnReaderName() {
        when(config.additionalDatabases()).thenReturn(Optional.of("""
                [{"name": "billing", "primaryDbInstanceId": "billing-db", "standbyDbInstanceId": "billing-db-replica",
                  "recordName": "billing-db.example.internal", "readerRecordName": "billing-ro.example.internal",
                  "readerAlarmNamePrefix": "billing-reader-"},
                 {"name": "inventory", "primaryDbInstanceId": "inventory-db",
                  "standbyDbInstanceId": "inventory-db-replica", "recordName": "inventory-db.example.internal"}]
                """));

        List<DatabasePair> pairs = planPairs.all();

        DatabasePair.Readers billing = pairs.get(1).dns().readers().orElseThrow();
        assertEquals("billing-ro.example.internal", billing.recordName());
        assertEquals("billing-reader-us-west-2", billing.alarmName("us-west-2"));
        assertEquals(Optional.empty(), pairs.get(2).dns().readers());
    }

    @Test
    void anAdditionalPairNeedsItsReaderNameAndAlarmPrefixTogether() {
        when(config.additionalDatabases()).thenReturn(Optional.of("""
                [{"name": "billing", "primaryDbInstanceId": "billing-db", "standbyDbInstanceId": "billing-db-replica",
                  "recordName": "billing-db.example.internal", "readerRecordName": "billing-ro.example.internal"}]
                """));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, planPairs::all);

        assertEquals("failover.additional-databases[0] needs readerRecordName and readerAlarmNamePrefix together",
                e.getMessage());
    }

    @Test
    void theValidatorNamesWhatReaderRoutingLacks() {
        validBasics();
        when(config.readers().recordName()).thenReturn(Optional.of("ORDERS-DB.example.internal"));
        when(config.readers().ttl()).thenReturn(-1L);

        List<String> problems = ConfigValidator.problems(config);

        assertTrue(problems.contains("reader routing (failover.readers.record-name) needs "
                + "failover.readers.alarm-name-prefix"), problems.toString());
        assertTrue(problems.contains("failover.readers.record-name must differ from the writer's "
                + "failover.dns.record-name"), problems.toString());
        assertTrue(problems.contains("failover.readers.ttl must be between 0 and 172800 seconds"),
                problems.toString());
    }

    @Test
    void theValidatorNamesABadAccountAndOrderBounds() {
        validBasics();
        when(config.readers().recordName()).thenReturn(Optional.empty());
        when(config.accountId()).thenReturn("12345678901");
        when(config.operator().maxOrderAge()).thenReturn(Duration.ZERO);
        when(config.operator().clockSkew()).thenReturn(Duration.ofMinutes(16));

        List<String> problems = ConfigValidator.problems(config);

        assertTrue(problems.contains("failover.account-id must be a 12-digit AWS account id, not '12345678901'"),
                problems.toString());
        assertTrue(problems.contains("failover.operator.max-order-age is PT0S but must be more than 0 and at most "
                + "PT24H (EventBridge stops retrying an event after a day)"), problems.toString());
        assertTrue(problems.contains("failover.operator.clock-skew is PT16M but must be between 0 and PT15M"),
                problems.toString());
    }

    @Test
    void theValidatorAcceptsTheLargestOrderBounds() {
        validBasics();
        when(config.readers().recordName()).thenReturn(Optional.empty());
        when(config.operator().maxOrderAge()).thenReturn(Duration.ofHours(24));
        when(config.operator().clockSkew()).thenReturn(Duration.ofMinutes(15));

        List<String> problems = ConfigValidator.problems(config);

        assertTrue(problems.stream().noneMatch(p -> p.contains("account-id") || p.contains("failover.operator")),
                problems.toString());
    }

    /** The settings every validation reads, valid, so that a test sees only the problems it provokes. */
    private void validBasics() {
        when(config.primary().region()).thenReturn("us-east-1");
        when(config.health().quorum()).thenReturn(1);
        when(config.health().consecutiveFailures()).thenReturn(1);
        when(config.maxParallelPairs()).thenReturn(1);
        when(config.notification().topicArn()).thenReturn("arn:aws:sns:us-west-2:1:t");
    }
}
