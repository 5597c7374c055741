package dev.regionfailover.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.regionfailover.parameters.PlanParameterStore;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The plan's pairs from configuration and Parameter Store, reader routing and their validation included. */
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
        when(config.timeouts().eventCheckInterval()).thenReturn(Duration.ofMillis(250));
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
        when(config.planParametersPrefix()).thenReturn(Optional.empty());
        planPairs.parameters = store;
    }

    /** Parameter Store as the plan keeps it: parameter name to value; counts its reads. */
    private final Map<String, String> stored = new LinkedHashMap<>();
    private final List<String> reads = new ArrayList<>();
    private final PlanParameterStore store = new PlanParameterStore() {
        @Override
        public List<StoredParameter> under(String path) {
            reads.add(path);
            return stored.entrySet().stream().filter(e -> e.getKey().startsWith(path + "/"))
                    .map(e -> new StoredParameter(e.getKey(), e.getValue())).toList();
        }
    };

    private static final String PAIRS = "/rf/orders-db/pairs/";

    private static String pair(String name) {
        return "{" + (name == null ? "" : "\"name\": \"" + name + "\", ") + "\"primaryDbInstanceId\": \"" + name
                + "-db\", \"standbyDbInstanceId\": \"" + name + "-db-replica\", \"recordName\": \"" + name
                + "-db.example.internal\"}";
    }

    @Test
    void pairsInParameterStoreFollowThoseOfTheEnvironmentInTheOrderOfTheirNames() {
        when(config.additionalDatabases()).thenReturn(Optional.of("[" + pair("inventory") + "]"));
        when(config.planParametersPrefix()).thenReturn(Optional.of("/rf"));
        stored.put(PAIRS + "zeta", pair("zeta"));
        // the name may be left out: the parameter's last segment is the pair's name
        stored.put(PAIRS + "billing", pair(null).replace("null-db", "billing-db"));

        List<DatabasePair> pairs = planPairs.all();

        assertEquals(List.of("orders-db", "inventory", "billing", "zeta"), pairs.stream().map(DatabasePair::name)
                .toList());
        assertEquals(List.of("orders-db", "orders-db/inventory", "orders-db/billing", "orders-db/zeta"),
                pairs.stream().map(DatabasePair::journalPartition).toList());
        DatabasePair billing = pairs.get(2);
        assertEquals(Optional.of("billing-db"), billing.primaryDbInstanceId());
        assertEquals("us-west-2", billing.standbyRegion());
        assertEquals("Z1", billing.dns().hostedZoneId(), "an omitted field takes the plan's value");
        assertEquals(List.of("/rf/orders-db/pairs"), reads);
    }

    @Test
    void parameterStoreIsReadOnceAndNotAtAllWithoutAPrefix() {
        planPairs.all();
        assertEquals(List.of(), reads, "no prefix, no read");

        PlanPairs withPrefix = new PlanPairs();
        withPrefix.config = config;
        withPrefix.mapper = new ObjectMapper();
        withPrefix.parameters = store;
        when(config.planParametersPrefix()).thenReturn(Optional.of("/rf"));
        stored.put(PAIRS + "billing", pair("billing"));
        withPrefix.all();
        withPrefix.all();
        assertEquals(1, reads.size(), "read once, kept for the container's life");
    }

    /**
     * A parameter is validated as an entry of the environment's array is, with the same message at its name (a
     * problem starting with @ starts with a space: CSV trims it).
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"name\": \"billing\", \"recordName\": \"b.example.internal\"}"
                    + "|@(rds-instance) needs primaryDbInstanceId and standbyDbInstanceId",
            "{\"name\": \"billing\", \"primaryDbInstanceId\": \"b\", \"standbyDbInstanceId\": \"b-r\"}"
                    + "|.recordName is missing",
            "{\"name\": \"billing\", \"recordName\": \"b\", \"auroraGlobalClusterId\": \"g\", "
                    + "\"databaseKind\": \"aurora\"}"
                    + "|.databaseKind is 'aurora', not one of [rds-instance, aurora-global]",
            "{\"name\": \"billing\", \"recordNmae\": \"b\"}|@has an unknown field 'recordNmae'",
            "[]|@must be an object",
            "{\"name\": \"billing\", \"primaryDbInstanceId\": \"b\", \"standbyDbInstanceId\": \"b-r\", "
                    + "\"recordName\": \"b\", \"ttl\": \"60\"}|.ttl must be a number of seconds",
    })
    void aMalformedParameterIsRefusedWithTheEnvironmentsMessageAndItsName(String entry, String problem) {
        when(config.additionalDatabases()).thenReturn(Optional.of("[" + entry + "]"));
        String environment = assertThrows(IllegalArgumentException.class, planPairs::all).getMessage();

        when(config.additionalDatabases()).thenReturn(Optional.empty());
        when(config.planParametersPrefix()).thenReturn(Optional.of("/rf"));
        stored.put(PAIRS + "billing", entry);
        String parameter = assertThrows(IllegalArgumentException.class, planPairs::all).getMessage();

        String expected = problem.startsWith("@") ? " " + problem.substring(1) : problem;
        assertTrue(environment.startsWith("failover.additional-databases[0]" + expected), environment);
        assertEquals(environment.replace("failover.additional-databases[0]", "SSM parameter " + PAIRS + "billing"),
                parameter);
    }

    @Test
    void aParameterThatIsNotJsonIsNamed() {
        when(config.planParametersPrefix()).thenReturn(Optional.of("/rf"));
        stored.put(PAIRS + "billing", "name=billing");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, planPairs::all);

        assertTrue(e.getMessage().startsWith("SSM parameter /rf/orders-db/pairs/billing is not JSON: "),
                e.getMessage());
    }

    @Test
    void aNameMayNotBeInBothForms() {
        when(config.additionalDatabases()).thenReturn(Optional.of("[" + pair("billing") + "]"));
        when(config.planParametersPrefix()).thenReturn(Optional.of("/rf"));
        stored.put(PAIRS + "billing", pair("billing"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, planPairs::all);

        assertEquals("SSM parameter /rf/orders-db/pairs/billing.name 'billing' is already the name of a pair of plan "
                + "orders-db; each pair needs a name of its own (it names the pair's journal)", e.getMessage());
    }

    @Test
    void aParameterMayNotBeNamedForThePlansOwnPairOrContradictItsName() {
        when(config.planParametersPrefix()).thenReturn(Optional.of("/rf"));
        stored.put(PAIRS + "orders-db", pair("orders-db"));
        assertTrue(assertThrows(IllegalArgumentException.class, planPairs::all).getMessage()
                .contains("'orders-db' is already the name of a pair of plan orders-db"));

        stored.clear();
        stored.put(PAIRS + "billing", pair("inventory"));
        assertEquals("SSM parameter /rf/orders-db/pairs/billing.name 'inventory' differs from the parameter's own "
                + "name 'billing'", assertThrows(IllegalArgumentException.class, planPairs::all).getMessage());
    }

    @Test
    void parameterStoreThatCannotBeReadStopsTheFunctionNamingThePath() {
        when(config.planParametersPrefix()).thenReturn(Optional.of("/rf"));
        planPairs.parameters = new PlanParameterStore() {
            @Override
            public List<StoredParameter> under(String path) {
                throw SdkClientException.create("Unable to execute HTTP request: connect timed out");
            }
        };

        IllegalStateException e = assertThrows(IllegalStateException.class, planPairs::all);

        assertTrue(e.getMessage().startsWith("cannot read the plan's pairs from SSM Parameter Store under "
                + "/rf/orders-db/pairs: SdkClientException: Unable to execute HTTP request"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "rf", "/rf/", "/aws/rf", "/SSM", "/r f", "//rf" })
    void theValidatorRefusesAPrefixParameterStoreWouldNot(String prefix) {
        validBasics();
        when(config.planParametersPrefix()).thenReturn(Optional.of(prefix));

        List<String> problems = ConfigValidator.problems(config);

        assertTrue(problems.stream().anyMatch(p -> p.startsWith("failover.plan-parameters-prefix is '" + prefix
                + "' but must be a Parameter Store path")), problems.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = { "/rf", "/region-failover/prod", "/awsome" })
    void theValidatorAcceptsAPrefixThatIsAPath(String prefix) {
        validBasics();
        when(config.planParametersPrefix()).thenReturn(Optional.of(prefix));

        assertTrue(ConfigValidator.problems(config).stream().noneMatch(p -> p.contains("plan-parameters-prefix")),
                ConfigValidator.problems(config).toString());
    }

    private static final String ROLE = "arn:aws:iam::222222222222:role/region-failover-orders-db";

    @Test
    void aPairInAnotherAccountNamesItsRoleAndExternalId() {
        when(config.crossAccount().roleArns()).thenReturn(Optional.of(List.of(ROLE)));
        when(config.additionalDatabases()).thenReturn(Optional.of("[" + pair("billing").replace("}",
                ", \"crossAccountRoleArn\": \"" + ROLE + "\", \"externalId\": \"ext-7f3a\", "
                        + "\"crossAccountRoute53\": true}") + "]"));

        DatabasePair billing = planPairs.all().get(1);

        assertEquals(Optional.of(new DatabasePair.CrossAccount(ROLE, Optional.of("ext-7f3a"), true)),
                billing.crossAccount());
        assertEquals("222222222222", billing.crossAccount().orElseThrow().accountId());
        assertEquals(Optional.empty(), planPairs.all().get(0).crossAccount(), "the plan's own pair, here");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "'\"crossAccountRoleArn\": \"" + ROLE + "\"' | names arn:aws:iam::222222222222:role/region-failover-orders-db, which failover.cross-account.role-arns does not list",
            "'\"crossAccountRoleArn\": \"arn:aws:iam::222222222222:user/bob\"' | is 'arn:aws:iam::222222222222:user/bob', not an IAM role ARN",
            "'\"crossAccountRoleArn\": \"arn:aws:iam::123456789012:role/here\"' | is a role of this stack's own account",
            "'\"externalId\": \"ext-1\"' | externalId and crossAccountRoute53 need failover.additional-databases[0].crossAccountRoleArn",
            "'\"crossAccountRoute53\": \"yes\"' | crossAccountRoute53 must be true or false" })
    void aPairsOtherAccountIsRefusedUnlessIamWouldLetItIn(String field, String problem) {
        when(config.crossAccount().roleArns()).thenReturn(Optional.of(List.of(
                "arn:aws:iam::222222222222:role/another", "arn:aws:iam::123456789012:role/here")));
        when(config.additionalDatabases()).thenReturn(Optional.of("[" + pair("billing").replace("}", ", " + field
                + "}") + "]"));

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, planPairs::all);

        assertTrue(refused.getMessage().contains(problem), refused.getMessage());
    }

    @Test
    void thePlansOwnPairMayLiveInAnotherAccountToo() {
        when(config.crossAccount().roleArns()).thenReturn(Optional.of(List.of(ROLE)));
        when(config.crossAccount().roleArn()).thenReturn(Optional.of(ROLE));

        assertEquals(ROLE, planPairs.all().get(0).crossAccount().orElseThrow().roleArn());

        when(config.crossAccount().roleArns()).thenReturn(Optional.empty());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, new PlanPairs() {
            {
                config = PlanPairsTest.this.config;
                mapper = new ObjectMapper();
                parameters = store;
            }
        }::all);
        assertTrue(refused.getMessage().startsWith("failover.cross-account.role-arn names " + ROLE), refused.getMessage());
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
        when(config.timeouts().eventCheckInterval()).thenReturn(Duration.ofMillis(10));

        List<String> problems = ConfigValidator.problems(config);

        assertTrue(problems.contains("failover.timeouts.event-check-interval is PT0.01S but must be at least PT0.05S "
                + "(each check is a DynamoDB read)"), problems.toString());

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

    @Test
    void theValidatorRefusesTheGlobalWriterEndpointWithoutAnAuroraGlobalDatabase() {
        validBasics();
        when(config.dns().strategy()).thenReturn(FailoverConfig.DnsStrategy.GLOBAL_WRITER_ENDPOINT);

        List<String> problems = ConfigValidator.problems(config);

        assertTrue(problems.contains("failover.dns.strategy global-writer-endpoint needs failover.database-kind "
                + "aurora-global, not rds-instance"), problems.toString());
    }

    @Test
    void theValidatorAcceptsTheGlobalWriterEndpointOfAnAuroraGlobalDatabase() {
        validBasics();
        when(config.dns().strategy()).thenReturn(FailoverConfig.DnsStrategy.GLOBAL_WRITER_ENDPOINT);
        when(config.databaseKind()).thenReturn(FailoverConfig.DatabaseKind.AURORA_GLOBAL);
        when(config.aurora().globalClusterId()).thenReturn(Optional.of("orders-global"));

        List<String> problems = ConfigValidator.problems(config);

        assertTrue(problems.stream().noneMatch(p -> p.contains("strategy") || p.contains("database-kind")),
                problems.toString());
    }

    @Test
    void anAdditionalPairMayFollowTheGlobalWriterEndpointOnlyWithAnAuroraGlobalDatabase() {
        when(config.additionalDatabases()).thenReturn(Optional.of("""
                [{"name": "billing", "databaseKind": "aurora-global", "auroraGlobalClusterId": "billing-global",
                  "recordName": "billing-db.example.internal", "dnsStrategy": "global-writer-endpoint"},
                 {"name": "stock", "primaryDbInstanceId": "stock-db", "standbyDbInstanceId": "stock-db-replica",
                  "recordName": "stock-db.example.internal", "dnsStrategy": "global-writer-endpoint"}]
                """));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, planPairs::all);

        assertEquals("failover.additional-databases[1].dnsStrategy global-writer-endpoint needs databaseKind "
                + "aurora-global: only an Aurora global database has a writer endpoint that follows the writer",
                e.getMessage());
        when(config.additionalDatabases()).thenReturn(Optional.of("""
                [{"name": "billing", "databaseKind": "aurora-global", "auroraGlobalClusterId": "billing-global",
                  "recordName": "billing-db.example.internal", "dnsStrategy": "global-writer-endpoint"}]
                """));
        assertEquals(FailoverConfig.DnsStrategy.GLOBAL_WRITER_ENDPOINT, planPairs.all().get(1).dns().strategy());
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
