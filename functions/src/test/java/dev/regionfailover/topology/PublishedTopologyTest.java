package dev.regionfailover.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.regionfailover.database.DatabaseState;
import dev.regionfailover.failover.Lifecycle.Phase;

/**
 * Who the published writer is, for every phase and every combination of what AWS reports: the lifecycle names the
 * side that should write, AWS must agree, and where the two do not speak with one voice the document says so.
 */
class PublishedTopologyTest {

    private static final DatabaseState PRIMARY_WRITER = instance("orders-db", "us-east-1", "available", null);
    private static final DatabaseState PRIMARY_STOPPED = instance("orders-db", "us-east-1", "stopped", null);
    private static final DatabaseState PRIMARY_REPLICA = instance("orders-db", "us-east-1", "available",
            "orders-db-replica");
    private static final DatabaseState STANDBY_REPLICA = instance("orders-db-replica", "us-west-2", "available",
            "orders-db");
    private static final DatabaseState STANDBY_WRITER = instance("orders-db-replica", "us-west-2", "available", null);
    private static final DatabaseState STANDBY_PROMOTING = instance("orders-db-replica", "us-west-2", "modifying",
            null);

    /**
     * phase, primary, standby (W writer, R replica, S stopped, P being promoted, - unreadable), the writer
     * published (P primary, S standby, - none), settled.
     */
    @ParameterizedTest(name = "{0}: primary {1}, standby {2} -> writer {3}, settled {4}")
    @CsvSource({
            // at rest, as the lifecycle says
            "IDLE,      W, R, P, true",
            "COMPLETED, W, W, S, true",   // an RDS pair after a failover: the old primary is standalone and fenced
            "COMPLETED, R, W, S, true",   // Aurora after a switchover: the old primary is a secondary
            "COMPLETED, S, W, S, true",
            "COMPLETED, -, W, S, true",   // the primary region unreachable
            // AWS disagrees with the lifecycle
            "IDLE,      W, W, P, false",  // the standby promoted outside the functions: two writers
            "IDLE,      S, W, S, false",  // failed over outside the functions (a console failover)
            "IDLE,      R, W, S, false",
            "COMPLETED, W, R, P, false",  // failed back outside the functions
            "IDLE,      S, R, -, false",  // nobody accepts writes
            "IDLE,      -, R, -, false",
            // a run under way or failed: what AWS reports, never settled
            "RUNNING,   W, R, P, false",
            "RUNNING,   W, P, P, false",
            "RUNNING,   S, W, S, false",
            "RUNNING,   W, W, -, false",  // the lifecycle cannot choose between two writers
            "FAILED,    S, P, -, false",
            "FAILED,    W, W, -, false",
    })
    void theWriterIsTheOneTheLifecycleNamesWhenAwsAgrees(Phase phase, String primary, String standby,
            String writer, boolean settled) {
        PublishedTopology.Observed observed = PublishedTopology.observe(phase, side(primary, true),
                side(standby, false));

        String published = observed.writer() == null ? "-" : observed.writer().region().equals("us-east-1") ? "P"
                : "S";
        assertEquals(writer, published, observed.notes().toString());
        assertEquals(settled, observed.settled(), observed.notes().toString());
        if (!settled) {
            assertFalse(observed.notes().isEmpty(), "an unsettled topology says why");
        }
        if (observed.writer() != null) {
            assertTrue(observed.standby() == null || !observed.standby().id().equals(observed.writer().id()),
                    "the standby is the other database");
        }
    }

    @Test
    void theDocumentNamesTheWritersEndpointAndTheOtherSideAsItsStandby() {
        PublishedTopology document = PublishedTopology.observe(Phase.COMPLETED, PRIMARY_WRITER, STANDBY_WRITER)
                .document("orders", "orders-db", 0, Phase.COMPLETED, new PublishedTopology.LastRun("run-1",
                        "FAILOVER", "COMPLETED"), "run run-1", java.time.Instant.EPOCH);

        assertEquals(new PublishedTopology.Whereabouts("us-west-2", "orders-db-replica",
                "orders-db-replica.us-west-2.example", "us-east-1", "orders-db", true), document.whereabouts());
        assertEquals("COMPLETED", document.phase());
        assertEquals(List.of(), document.notes());
    }

    @Test
    void aStatusThatChangesIsNotAChangeOfWhereabouts() {
        PublishedTopology modifying = PublishedTopology.observe(Phase.COMPLETED, PRIMARY_WRITER,
                instance("orders-db-replica", "us-west-2", "available", null)).document("orders", "orders-db", 0,
                        Phase.COMPLETED, null, "readiness", java.time.Instant.EPOCH);
        PublishedTopology stopped = PublishedTopology.observe(Phase.COMPLETED, PRIMARY_STOPPED, STANDBY_WRITER)
                .document("orders", "orders-db", 0, Phase.COMPLETED, null, "readiness", java.time.Instant.EPOCH);

        assertEquals(modifying.whereabouts(), stopped.whereabouts());
        assertNull(PublishedTopology.observe(Phase.IDLE, null, null).writer());
    }

    private static DatabaseState side(String code, boolean primary) {
        return switch (code) {
            case "W" -> primary ? PRIMARY_WRITER : STANDBY_WRITER;
            case "R" -> primary ? PRIMARY_REPLICA : STANDBY_REPLICA;
            case "S" -> primary ? PRIMARY_STOPPED : instance("orders-db-replica", "us-west-2", "stopped", null);
            case "P" -> primary ? instance("orders-db", "us-east-1", "modifying", null) : STANDBY_PROMOTING;
            case "-" -> null;
            default -> throw new IllegalArgumentException(code);
        };
    }

    private static DatabaseState instance(String id, String region, String status, String source) {
        return new DatabaseState(id, region, status, id + "." + region + ".example", source, List.of("sg-app"));
    }
}
