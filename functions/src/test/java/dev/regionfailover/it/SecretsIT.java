package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.regionfailover.tools.Topology;

/**
 * No secret or credential in logs or notifications: across a refused forged order, a dry run and a forced
 * failover, no log record (of any logger: ours, the SDK's, Quarkus's) and no notification carries the AWS secret
 * key the functions run with, nor the database's master password.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "manual-failover"),
        // This function serves the force bus: it orders a forced failover.
        @ResourceArg(name = "failover.operator.path", value = "force-bus"),
        @ResourceArg(name = "secretAccessKey", value = SecretsIT.SECRET) })
class SecretsIT {

    static final String SECRET = "emulator-secret-7f3c9e1d2b";
    private static final String MASTER_PASSWORD = "not-a-real-password-1";

    @Test
    void neitherTheLogsNorTheNotificationsCarryASecret() {
        Queue<LogRecord> records = new ConcurrentLinkedQueue<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try (Topology world = EmulatorResource.topology()) {
            Lambda.invoke(Lambda.read("events/manual-failover.json").replace("\"regionfailover.operator\"",
                    "\"evil.operator\""));
            Lambda.invokeFile("events/dry-run.json");
            assertEquals("COMPLETED", Lambda.invoke(Lambda.read("events/manual-failover.json")
                    .replace("\"force\": false", "\"force\": true")).getString("outcome"));

            List<String> texts = new ArrayList<>();
            for (LogRecord record : records) {
                texts.add(record.getMessage() + " " + Arrays.toString(record.getParameters()));
                for (Throwable e = record.getThrown(); e != null; e = e.getCause()) {
                    texts.add(String.valueOf(e.getMessage()));
                }
            }
            texts.addAll(world.receiveNotifications());
            texts.addAll(world.receiveLifecycleEvents());
            assertTrue(records.size() > 10, "logs were captured: " + records.size());
            for (String text : texts) {
                assertFalse(text.contains(SECRET), "a secret key in: " + text);
                assertFalse(text.contains(MASTER_PASSWORD), "a password in: " + text);
            }
        } finally {
            root.removeHandler(capture);
        }
    }
}
