package dev.regionfailover.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.regionfailover.config.DatabasePair;
import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.database.DatabaseGateway;
import dev.regionfailover.database.DatabasePairs;
import dev.regionfailover.database.DatabaseState;
import dev.regionfailover.failover.Lifecycle;
import dev.regionfailover.failover.RunKind;
import dev.regionfailover.failover.RunState;
import dev.regionfailover.notify.Notifier;
import dev.regionfailover.store.JournalStore;

/** The publication around the pure choice of writer: what is written where, when, and what a failure costs. */
class TopologyPublisherTest {

    private static final String PRIMARY = "us-east-1";
    private static final String STANDBY = "us-west-2";
    private static final String DOCUMENT = "/rf/orders/topology/orders-db";
    private static final String ENDPOINT = DOCUMENT + "/writer-endpoint";
    private static final DatabasePair PAIR = new DatabasePair("orders-db", FailoverConfig.DatabaseKind.RDS_INSTANCE,
            PRIMARY, Optional.of("orders-db"), STANDBY, Optional.of("orders-db-replica"), Optional.empty(),
            new DatabasePair.Dns("Z1", "db.example.internal", 60, FailoverConfig.DnsStrategy.RECORD_UPDATE,
                    Optional.empty(), Optional.empty()),
            List.of(), "orders", FailoverConfig.FailoverMode.RPO_BOUNDED);
    private static final DatabaseState OLD_PRIMARY = new DatabaseState("orders-db", PRIMARY, "available",
            "orders-db.east", null, List.of("sg-fence"));
    private static final DatabaseState PROMOTED = new DatabaseState("orders-db-replica", STANDBY, "available",
            "orders-db-replica.west", null, List.of("sg-app"));
    private static final DatabaseState REPLICA = new DatabaseState("orders-db-replica", STANDBY, "available",
            "orders-db-replica.west", "orders-db", List.of("sg-app"));

    private final ObjectMapper mapper = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final FailoverConfig config = mock(FailoverConfig.class, RETURNS_DEEP_STUBS);
    private final JournalStore journal = mock(JournalStore.class);
    private final DatabaseGateway database = mock(DatabaseGateway.class);
    private final Notifier notifier = mock(Notifier.class);
    private final StoredParameters parameters = new StoredParameters();
    private final TopologyPublisher publisher = new TopologyPublisher();

    /** Parameter Store as a map per region; a region in {@code unreachable} refuses every call. */
    static final class StoredParameters extends TopologyParameters {
        final Map<String, Map<String, String>> byRegion = new HashMap<>();
        final List<String> writes = new ArrayList<>();
        Set<String> unreachable = Set.of();

        @Override
        public Map<String, String> read(String region, List<String> names) {
            reach(region);
            Map<String, String> found = new HashMap<>();
            names.forEach(name -> Optional.ofNullable(byRegion.getOrDefault(region, Map.of()).get(name))
                    .ifPresent(value -> found.put(name, value)));
            return found;
        }

        @Override
        public void write(String region, String name, String value, String description) {
            reach(region);
            writes.add(region + " " + name);
            byRegion.computeIfAbsent(region, r -> new HashMap<>()).put(name, value);
        }

        String value(String region, String name) {
            return byRegion.getOrDefault(region, Map.of()).get(name);
        }

        private void reach(String region) {
            if (unreachable.contains(region)) {
                throw new IllegalStateException("Unable to execute HTTP request: connect timed out (" + region + ")");
            }
        }
    }

    @BeforeEach
    void wire() {
        DatabasePairs pairs = mock(DatabasePairs.class);
        when(pairs.at(any(), anyInt())).thenReturn(database);
        when(journal.forPartition(anyString())).thenReturn(journal);
        when(config.topologyParametersPrefix()).thenReturn(Optional.of("/rf"));
        when(config.plan()).thenReturn("orders");
        when(config.primary().region()).thenReturn(PRIMARY);
        when(config.standby().region()).thenReturn(STANDBY);
        publisher.config = config;
        publisher.pairs = pairs;
        publisher.journal = journal;
        publisher.parameters = parameters;
        publisher.notifier = notifier;
        TopologyJson json = new TopologyJson();
        json.mapper = mapper;
        publisher.json = json;
        publisher.clock = Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"), ZoneOffset.UTC);
    }

    @Test
    void aCompletedFailoverPublishesTheNewWriterInBothRegionsAndSaysItChanged() throws Exception {
        failedOver();

        publisher.afterRun(PAIR, "run-1", RunKind.FAILOVER, RunState.COMPLETED);

        for (String region : List.of(STANDBY, PRIMARY)) {
            JsonNode document = mapper.readTree(parameters.value(region, DOCUMENT));
            assertEquals("orders-db-replica", document.path("writer").path("id").asText(), region);
            assertEquals(STANDBY, document.path("writer").path("region").asText());
            assertEquals("orders-db", document.path("standby").path("id").asText());
            assertTrue(document.path("settled").asBoolean());
            assertEquals("run-1", document.path("lastRun").path("id").asText());
            assertEquals("COMPLETED", document.path("lastRun").path("outcome").asText());
            assertEquals("orders-db-replica.west", parameters.value(region, ENDPOINT));
        }
        ArgumentCaptor<String> event = ArgumentCaptor.forClass(String.class);
        verify(notifier).publishTopologyChanged(event.capture());
        assertEquals("none", mapper.readTree(event.getValue()).path("previous").asText());
        assertEquals("orders-db-replica", mapper.readTree(event.getValue()).path("topology").path("writer")
                .path("id").asText());
    }

    @Test
    void aRunThatMovedNothingRewritesTheDocumentButNotTheEndpointAndTellsNoChange() {
        idle();
        publisher.afterRun(PAIR, "run-1", RunKind.FAILOVER, RunState.REFUSED);
        parameters.writes.clear();

        publisher.afterRun(PAIR, "run-2", RunKind.FAILOVER, RunState.REFUSED);

        assertEquals(List.of(STANDBY + " " + DOCUMENT, PRIMARY + " " + DOCUMENT), parameters.writes);
        verify(notifier, times(1)).publishTopologyChanged(anyString());
    }

    @Test
    void thePrimaryRegionDownDuringTheFailoverCostsOnlyItsOwnCopy() {
        failedOver();
        parameters.unreachable = Set.of(PRIMARY);

        publisher.afterRun(PAIR, "run-1", RunKind.FAILOVER, RunState.COMPLETED);

        assertEquals("orders-db-replica.west", parameters.value(STANDBY, ENDPOINT));
        assertNull(parameters.value(PRIMARY, DOCUMENT));
        verify(notifier).publishTopologyChanged(anyString());
    }

    @Test
    void aPublicationThatFailsInTheStandbyRegionIsNeitherToldNorRaised() {
        failedOver();
        parameters.unreachable = Set.of(STANDBY);

        publisher.afterRun(PAIR, "run-1", RunKind.FAILOVER, RunState.COMPLETED);

        verify(notifier, never()).publishTopologyChanged(anyString());
        assertNull(parameters.value(PRIMARY, DOCUMENT), "the standby region's copy is written first");
    }

    @Test
    void readinessRepairsAPublicationThatDidNotHappenAndFlagsTheDrift() throws Exception {
        idle();
        publisher.afterRun(PAIR, "run-0", RunKind.FAILOVER, RunState.REFUSED);
        // the failover completed but its publication was lost: the document still names the old writer
        failedOver();

        TopologyPublisher.Comparison drift = publisher.compare(PAIR);

        assertFalse(drift.agrees());
        assertTrue(drift.detail().startsWith("drift: " + DOCUMENT + " said writer orders-db in us-east-1"),
                drift.detail());
        assertTrue(drift.detail().contains("AWS reports writer orders-db-replica in us-west-2"), drift.detail());
        JsonNode republished = mapper.readTree(parameters.value(STANDBY, DOCUMENT));
        assertEquals("orders-db-replica", republished.path("writer").path("id").asText());
        assertEquals("readiness", republished.path("publishedBy").asText());
        assertEquals("run-0", republished.path("lastRun").path("id").asText(), "the last run is kept");
        assertEquals("orders-db-replica.west", parameters.value(STANDBY, ENDPOINT));
        verify(notifier, times(2)).publishTopologyChanged(anyString());

        TopologyPublisher.Comparison next = publisher.compare(PAIR);

        assertTrue(next.agrees(), next.detail());
        verify(notifier, times(2)).publishTopologyChanged(anyString());
    }

    @Test
    void aMissingDocumentIsPublishedWithoutCallingItDrift() {
        idle();

        TopologyPublisher.Comparison first = publisher.compare(PAIR);

        assertTrue(first.agrees(), first.detail());
        assertTrue(first.detail().contains("was missing"), first.detail());
        assertEquals("orders-db.east", parameters.value(STANDBY, ENDPOINT));
    }

    @Test
    void aValueThatIsNotADocumentIsOverwrittenAsIfAbsent() throws Exception {
        idle();
        parameters.write(STANDBY, DOCUMENT, "orders-db.east", "someone else's");

        assertTrue(publisher.compare(PAIR).agrees());
        assertEquals("orders-db", mapper.readTree(parameters.value(STANDBY, DOCUMENT)).path("writer").path("id")
                .asText());
    }

    @Test
    void whileARunHoldsThePairNothingIsReadOrWritten() {
        when(journal.state()).thenReturn(state(Lifecycle.Phase.RUNNING, 0));

        TopologyPublisher.Comparison comparison = publisher.compare(PAIR);

        assertTrue(comparison.agrees());
        assertEquals(List.of(), parameters.writes);
        verify(database, never()).primary();
    }

    @Test
    void anUnknownWriterLeavesTheLastKnownEndpointInPlace() throws Exception {
        idle();
        publisher.afterRun(PAIR, "run-0", RunKind.FAILOVER, RunState.REFUSED);
        when(journal.state()).thenReturn(state(Lifecycle.Phase.FAILED, 0));
        when(database.primary()).thenThrow(new IllegalStateException("unreachable"));
        when(database.standby()).thenReturn(new DatabaseState("orders-db-replica", STANDBY, "modifying",
                "orders-db-replica.west", null, List.of("sg-app")));

        publisher.afterRun(PAIR, "run-1", RunKind.FAILOVER, RunState.FAILED);

        JsonNode document = mapper.readTree(parameters.value(STANDBY, DOCUMENT));
        assertTrue(document.path("writer").isNull(), document.toString());
        assertFalse(document.path("settled").asBoolean());
        assertEquals("orders-db.east", parameters.value(STANDBY, ENDPOINT));
    }

    @Test
    void nothingIsPublishedWithoutAPrefix() {
        when(config.topologyParametersPrefix()).thenReturn(Optional.of(""));
        failedOver();

        publisher.afterRun(PAIR, "run-1", RunKind.FAILOVER, RunState.COMPLETED);

        assertFalse(publisher.enabled());
        assertEquals(List.of(), parameters.writes);
    }

    private void failedOver() {
        when(journal.state()).thenReturn(state(Lifecycle.Phase.COMPLETED, 0));
        when(database.primary()).thenReturn(OLD_PRIMARY);
        when(database.standby()).thenReturn(PROMOTED);
    }

    private void idle() {
        when(journal.state()).thenReturn(state(Lifecycle.Phase.IDLE, 0));
        when(database.primary()).thenReturn(OLD_PRIMARY);
        when(database.standby()).thenReturn(REPLICA);
    }

    private static Lifecycle.PlanState state(Lifecycle.Phase phase, int generation) {
        return new Lifecycle.PlanState(phase, Optional.empty(), null, Instant.EPOCH, Instant.EPOCH, false, generation,
                1);
    }
}
