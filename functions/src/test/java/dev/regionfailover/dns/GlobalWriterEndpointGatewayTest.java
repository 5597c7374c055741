package dev.regionfailover.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.regionfailover.aws.Cadence;
import dev.regionfailover.aws.Polling;
import dev.regionfailover.database.GlobalWriterEndpoint;
import dev.regionfailover.dns.DnsGateway.Side;

/**
 * The global-writer-endpoint strategy against fakes of DescribeGlobalClusters, DNS and the application's record:
 * it changes nothing, refuses to wait for a writer Aurora did not make, and waits for the endpoint's DNS to follow.
 */
class GlobalWriterEndpointGatewayTest {

    private static final String GLOBAL = "orders-global";
    private static final String ADDRESS = "orders-global.global-abc123.global.rds.amazonaws.com";
    private static final String EAST = "orders-east.cluster-x1.us-east-1.rds.amazonaws.com";
    private static final String WEST = "orders-west.cluster-x2.us-west-2.rds.amazonaws.com";
    private static final Cadence POLL = Cadence.every(Duration.ofMillis(5));

    private GlobalWriterEndpoint described = writer("orders-west", "us-west-2", WEST, false);
    private Optional<String> applicationRecord = Optional.of(ADDRESS);
    /** DNS answers in turn; the last one stays. A null answer is a name server that does not answer. */
    private final List<Optional<String>> answers = new ArrayList<>();
    private final List<String> asked = new ArrayList<>();

    private final EndpointResolver dns = name -> {
        asked.add(name);
        Optional<String> answer = answers.get(Math.min(asked.size(), answers.size()) - 1);
        if (answer == null) {
            throw new IllegalStateException("connection refused");
        }
        return answer;
    };

    private final GlobalWriterEndpointGateway gateway = new GlobalWriterEndpointGateway(() -> described, dns,
            () -> applicationRecord, "orders-db.example.internal");

    @Test
    void afterTheOperationItChangesNothingAndWaitsUntilTheEndpointNamesTheNewWriter() {
        answers.add(Optional.of(EAST));
        answers.add(Optional.of(EAST));
        answers.add(Optional.of(WEST));

        String change = gateway.sendClientsTo(Side.STANDBY, WEST, "run 1");
        gateway.awaitInSync(change, Duration.ofSeconds(5), POLL);

        assertEquals(WEST, change);
        assertEquals(List.of(ADDRESS, ADDRESS, ADDRESS), asked, "polled until the third answer named the writer");
        assertTrue(gateway.sendsClientsTo(Side.STANDBY, WEST));
        assertFalse(gateway.sendsClientsTo(Side.PRIMARY, EAST));
    }

    @Test
    void theWriterInstancesEndpointInTheWritersRegionCountsAsFollowingToo() {
        String writerInstance = "orders-west-instance-1.x2.us-west-2.rds.amazonaws.com";
        answers.add(Optional.of(EAST));
        answers.add(Optional.of(writerInstance));

        gateway.awaitInSync(WEST, Duration.ofSeconds(5), POLL);

        assertEquals(2, asked.size());
        assertTrue(GlobalWriterEndpointGateway.pointsAt(WEST + ".", WEST.toUpperCase()));
        assertTrue(GlobalWriterEndpointGateway.pointsAt(writerInstance, WEST));
        assertFalse(GlobalWriterEndpointGateway.pointsAt(EAST, WEST), "the old writer's region");
        assertFalse(GlobalWriterEndpointGateway.pointsAt("orders-west.cluster-x2.us-west-2.rds.amazonaws.com.evil",
                WEST));
        assertFalse(GlobalWriterEndpointGateway.pointsAt(ADDRESS, WEST), "the endpoint itself");
        assertFalse(GlobalWriterEndpointGateway.pointsAt("other.example.com", "writer.example.com"),
                "a name that is no cluster endpoint matches only itself");
    }

    @Test
    void aNameServerThatDoesNotAnswerIsAskedAgain() {
        answers.add(null);
        answers.add(Optional.empty());
        answers.add(Optional.of(WEST + "."));

        gateway.awaitInSync(WEST.toUpperCase(), Duration.ofSeconds(5), POLL);

        assertEquals(3, asked.size());
    }

    @Test
    void anEndpointThatNeverFollowsEndsTheWaitNamingItsLastAnswer() {
        answers.add(Optional.of(EAST));

        Polling.WaitEnded ended = assertThrows(Polling.WaitEnded.class,
                () -> gateway.awaitInSync(WEST, Duration.ofMillis(60), POLL));

        assertTrue(ended.getMessage().contains(ADDRESS + " did not resolve to " + WEST), ended.getMessage());
        assertTrue(ended.getMessage().endsWith("last answer: " + EAST), ended.getMessage());
        assertTrue(asked.size() > 1, "it polled: " + asked);
    }

    @Test
    void itRefusesToWaitForAWriterAuroraDidNotMake() {
        described = writer("orders-east", "us-east-1", EAST, false);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> gateway.sendClientsTo(Side.STANDBY, WEST, "run 1"));

        assertEquals("the writer of global cluster orders-global is orders-east in us-east-1 (" + EAST + "), not "
                + WEST + ": " + ADDRESS + " follows Aurora's writer, so it will not go there", e.getMessage());
        assertTrue(asked.isEmpty(), "no DNS wait for a writer that is not Aurora's");
    }

    @Test
    void itRefusesWhileTheOperationIsUnderWayOrWithoutAnEndpointOrAWriter() {
        described = writer("orders-west", "us-west-2", WEST, true);
        assertTrue(assertThrows(IllegalStateException.class, () -> gateway.sendClientsTo(Side.STANDBY, WEST, "c"))
                .getMessage().contains("is still switching over or failing over"));

        described = new GlobalWriterEndpoint(GLOBAL, Optional.empty(), described.writer(), false);
        assertTrue(assertThrows(IllegalStateException.class, () -> gateway.sendClientsTo(Side.STANDBY, WEST, "c"))
                .getMessage().contains("reports no writer endpoint"));

        described = new GlobalWriterEndpoint(GLOBAL, Optional.of(ADDRESS), Optional.empty(), false);
        assertTrue(assertThrows(IllegalStateException.class, () -> gateway.sendClientsTo(Side.STANDBY, WEST, "c"))
                .getMessage().contains("has no writer"));
    }

    @Test
    void theDryRunSaysWhatItWouldWaitForAndWhereTheEndpointPointsNow() {
        answers.add(Optional.of(EAST));

        assertEquals("change no record and wait for " + ADDRESS + " to resolve to " + WEST
                + " (Aurora moves it: RDS-EVENT-0397)", gateway.plannedChange(WEST));
        assertEquals(Optional.of(ADDRESS + " resolves to " + EAST), gateway.currentTarget());
        assertEquals("global writer endpoint " + ADDRESS + " of orders-global (global-writer-endpoint)",
                gateway.describe());
    }

    @Test
    void nothingIsArmed() {
        assertTrue(gateway.armedFor(EAST));
        assertThrows(IllegalStateException.class, () -> gateway.armFor(EAST, "c"));
    }

    @Test
    void readinessWantsAnEndpointAndTheApplicationsNameAsACnameToIt() {
        assertTrue(gateway.checksSetup());
        applicationRecord = Optional.of(ADDRESS.toUpperCase() + ".");
        assertEquals(List.of(), gateway.setupProblems());

        applicationRecord = Optional.of(EAST);
        assertEquals(List.of("orders-db.example.internal is a CNAME to " + EAST
                + ", not a CNAME to the global writer endpoint " + ADDRESS), gateway.setupProblems());

        applicationRecord = Optional.empty();
        assertEquals(List.of("orders-db.example.internal is no CNAME, not a CNAME to the global writer endpoint "
                + ADDRESS), gateway.setupProblems());

        described = new GlobalWriterEndpoint(GLOBAL, Optional.empty(), described.writer(), false);
        assertEquals(List.of("global cluster orders-global reports no writer endpoint"), gateway.setupProblems());
    }

    private static GlobalWriterEndpoint writer(String cluster, String region, String endpoint, boolean underWay) {
        return new GlobalWriterEndpoint(GLOBAL, Optional.of(ADDRESS),
                Optional.of(new GlobalWriterEndpoint.Writer(cluster, region, endpoint)), underWay);
    }
}
