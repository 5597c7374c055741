package dev.regionfailover.nativeimage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.regionfailover.aws.AwsClients;
import dev.regionfailover.aws.Priming;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * What can be checked of SnapStart priming without SnapStart: that {@link Priming} creates every SDK client the
 * functions use without sending a single request (every client points at a local socket that must see no
 * connection), that the handlers then get those same clients, and that a complete handler answer survives a JSON
 * round trip with the application's ObjectMapper. Lambda calling beforeCheckpoint, and the snapshot itself, can only
 * be checked on Lambda.
 */
@QuarkusTest
@TestProfile(PrimingTest.Plan.class)
class PrimingTest {

    /** A complete plan's configuration; nothing is reachable, and nothing may be reached. */
    public static class Plan implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    // any free port for the mock event server, so this test runs beside others on the machine
                    Map.entry("quarkus.lambda.mock-event-server.test-port", "0"),
                    Map.entry("failover.plan", "orders-db"),
                    Map.entry("failover.account-id", "123456789012"),
                    Map.entry("failover.primary.region", "us-east-1"),
                    Map.entry("failover.primary.db-instance-id", "orders-db"),
                    Map.entry("failover.standby.region", "us-west-2"),
                    Map.entry("failover.standby.db-instance-id", "orders-db-replica"),
                    Map.entry("failover.dns.hosted-zone-id", "Z0000000000PRIMING"),
                    Map.entry("failover.dns.record-name", "orders-db.example.internal"),
                    Map.entry("failover.health.watched-alarms", "orders-db-primary-availability"),
                    Map.entry("failover.journal-table", "region-failover-journal"),
                    Map.entry("failover.notify.topic-arn",
                            "arn:aws:sns:us-west-2:123456789012:region-failover-notifications"));
        }
    }

    @Inject
    Priming priming;

    @Inject
    AwsClients aws;

    private ServerSocket blackHole;

    @BeforeEach
    void pointEveryClientAtALocalSocket() throws IOException {
        blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        System.setProperty("aws.endpointUrl", "http://127.0.0.1:" + blackHole.getLocalPort());
        System.setProperty("aws.accessKeyId", "priming");
        System.setProperty("aws.secretAccessKey", "priming");
    }

    @AfterEach
    void restore() throws IOException {
        System.clearProperty("aws.endpointUrl");
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        blackHole.close();
    }

    @Test
    void createsEveryClientWithoutARequestAndHandlersGetThoseClients() throws IOException {
        Priming.Primed primed = priming.prime();

        assertEquals(List.of("dynamodb@us-west-2", "sns@us-west-2", "events@us-west-2", "rds@us-west-2",
                "cloudwatch@us-west-2", "route53", "rds@us-east-1", "cloudwatch@us-east-1"),
                List.copyOf(primed.clients().keySet()));
        primed.clients().values().forEach(client -> assertNotNull(client));
        // The handlers use AwsClients; they get the clients that are in the snapshot, not new ones.
        assertSame(primed.clients().get("dynamodb@us-west-2"), aws.dynamoDb());
        assertSame(primed.clients().get("rds@us-west-2"), aws.rds("us-west-2"));
        assertSame(primed.clients().get("route53"), aws.route53());

        blackHole.setSoTimeout(300);
        assertThrows(SocketTimeoutException.class, () -> blackHole.accept().close(),
                "priming opened a connection: a request at snapshot time could fail, or leave a stale connection");
    }

    @Test
    void aCompleteAnswerSurvivesAJsonRoundTrip() {
        Priming.Primed primed = priming.prime();

        assertNotNull(primed.sample().report(), "the sample holds a report");
        assertFalse(primed.sample().report().steps().isEmpty(), "and its steps");
        assertEquals(primed.sample(), primed.readBack(), primed.json());
        for (String field : List.of("\"outcome\"", "\"report\"", "\"steps\"", "\"trigger\"", "\"startedAt\"")) {
            assertTrue(primed.json().contains(field), field + " in " + primed.json());
        }
    }

    @Test
    void registersOnlyForASnapStartInitialisationOrWhenAsked() {
        assertTrue(Priming.shouldRegister("snap-start", null));
        assertTrue(Priming.shouldRegister(null, "true"));
        assertFalse(Priming.shouldRegister("on-demand", null));
        assertFalse(Priming.shouldRegister("provisioned-concurrency", "false"));
        assertFalse(Priming.shouldRegister(null, null));
    }

    @Test
    void beforeCheckpointNeverFailsTheSnapshot() {
        priming.beforeCheckpoint(null);
        priming.afterRestore(null);
    }
}
