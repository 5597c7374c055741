package dev.regionfailover.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each documented status, transcribed here from AWS's tables (not from the product's), with the class it must
 * read as. The lists below are the specification: "Viewing Amazon RDS DB instance status" (RDS User Guide) and
 * "Viewing DB cluster status" (Aurora User Guide); see {@link ServingStatus} for the addresses.
 */
class ServingStatusTest {

    /** The RDS User Guide's DB instance status table, every row. */
    static final List<String> DOCUMENTED_INSTANCE = List.of("available", "backing-up",
            "configuring-enhanced-monitoring", "configuring-iam-database-auth", "configuring-log-exports",
            "converting-to-vpc", "creating", "delete-precheck", "deleting", "failed",
            "inaccessible-encryption-credentials", "inaccessible-encryption-credentials-recoverable",
            "incompatible-network", "incompatible-option-group", "incompatible-parameters", "incompatible-restore",
            "insufficient-capacity", "maintenance", "modifying", "moving-to-vpc", "rebooting",
            "resetting-master-credentials", "renaming", "restore-error", "starting", "stopped", "stopping",
            "storage-config-upgrade", "storage-full", "storage-initialization", "storage-optimization", "upgrading");

    /** The Aurora User Guide's DB cluster status table, every row. */
    static final List<String> DOCUMENTED_CLUSTER = List.of("available", "backing-up", "backtracking",
            "cloning-failed", "creating", "deleting", "failing-over", "inaccessible-encryption-credentials",
            "inaccessible-encryption-credentials-recoverable", "maintenance", "migrating", "migration-failed",
            "modifying", "promoting", "renaming", "resetting-master-credentials", "starting", "stopped", "stopping",
            "storage-optimization", "update-iam-db-auth", "upgrading");

    @ParameterizedTest(name = "instance {0} is {1}")
    @CsvSource({
            "available, SERVING",
            "backing-up, BUSY",
            "configuring-enhanced-monitoring, BUSY",
            "configuring-iam-database-auth, BUSY",
            "configuring-log-exports, BUSY",
            "converting-to-vpc, BUSY",
            "creating, DOWN",
            "delete-precheck, TERMINAL",
            "deleting, TERMINAL",
            "failed, TERMINAL",
            "inaccessible-encryption-credentials, TERMINAL",
            "inaccessible-encryption-credentials-recoverable, TERMINAL",
            "incompatible-network, TERMINAL",
            "incompatible-option-group, TERMINAL",
            "incompatible-parameters, TERMINAL",
            "incompatible-restore, TERMINAL",
            "insufficient-capacity, TERMINAL",
            "maintenance, BUSY",
            "modifying, BUSY",
            "moving-to-vpc, BUSY",
            "rebooting, DOWN",
            "resetting-master-credentials, BUSY",
            "renaming, BUSY",
            "restore-error, TERMINAL",
            "starting, DOWN",
            "stopped, TERMINAL",
            "stopping, TERMINAL",
            "storage-config-upgrade, BUSY",
            "storage-full, TERMINAL",
            "storage-initialization, BUSY",
            "storage-optimization, BUSY",
            "upgrading, DOWN" })
    void eachDocumentedInstanceStatusReadsAsItsClass(String status, ServingStatus expected) {
        assertTrue(DOCUMENTED_INSTANCE.contains(status), status + " is not in the transcribed documented list");
        assertEquals(expected, ServingStatus.ofInstance(status));
        assertEquals(expected, new DatabaseState("db", "us-east-1", status, null, null, List.of()).serving());
        assertFalse(ServingStatus.instanceTable().get(status).reason().isBlank());
    }

    @ParameterizedTest(name = "cluster {0} is {1}")
    @CsvSource({
            "available, SERVING",
            "backing-up, BUSY",
            "backtracking, DOWN",
            "cloning-failed, TERMINAL",
            "creating, DOWN",
            "deleting, TERMINAL",
            "failing-over, DOWN",
            "inaccessible-encryption-credentials, TERMINAL",
            "inaccessible-encryption-credentials-recoverable, TERMINAL",
            "maintenance, BUSY",
            "migrating, DOWN",
            "migration-failed, TERMINAL",
            "modifying, BUSY",
            "promoting, DOWN",
            "renaming, BUSY",
            "resetting-master-credentials, BUSY",
            "starting, DOWN",
            "stopped, TERMINAL",
            "stopping, TERMINAL",
            "storage-optimization, BUSY",
            "update-iam-db-auth, BUSY",
            "upgrading, DOWN" })
    void eachDocumentedClusterStatusReadsAsItsClass(String status, ServingStatus expected) {
        assertTrue(DOCUMENTED_CLUSTER.contains(status), status + " is not in the transcribed documented list");
        assertEquals(expected, ServingStatus.ofCluster(status));
        assertEquals(expected,
                new DatabaseState("c", "us-east-1", status, "w.example", "r.example", null, List.of()).serving());
        assertFalse(ServingStatus.clusterTable().get(status).reason().isBlank());
    }

    @Test
    void theTablesHoldEveryDocumentedStatusAndNothingElse() {
        assertEquals(DOCUMENTED_INSTANCE, List.copyOf(ServingStatus.instanceTable().keySet()));
        assertEquals(DOCUMENTED_CLUSTER, List.copyOf(ServingStatus.clusterTable().keySet()));
        assertEquals(List.of("pending", "failing-over", "switching-over", "cancelling"),
                List.copyOf(ServingStatus.globalFailoverTable().keySet()));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "promoting-replica", "availabl", "deleted", "pending", "switching-over",
            "storage_full", "Available-ish" })
    void aStatusAwsDoesNotDocumentForAnInstanceIsUnknownFailingAndNeverPromoted(String status) {
        ServingStatus read = ServingStatus.ofInstance(status);
        assertEquals(ServingStatus.UNKNOWN, read);
        assertFalse(read.isServing());
        assertFalse(read.canPromoteFrom());
        assertEquals("refuse", read.asPromotionTarget());
    }

    @Test
    void nullAndUndocumentedClusterStatusesAreUnknown() {
        assertEquals(ServingStatus.UNKNOWN, ServingStatus.ofInstance(null));
        assertEquals(ServingStatus.UNKNOWN, ServingStatus.ofCluster(null));
        // instance-only statuses are not cluster statuses
        assertEquals(ServingStatus.UNKNOWN, ServingStatus.ofCluster("rebooting"));
        assertEquals(ServingStatus.UNKNOWN, ServingStatus.ofCluster("storage-full"));
        // and cluster-only ones are not instance statuses
        assertEquals(ServingStatus.UNKNOWN, ServingStatus.ofInstance("promoting"));
        assertEquals(ServingStatus.UNKNOWN, ServingStatus.ofInstance("failing-over"));
    }

    @Test
    void theAuroraGuideCapitalisesStatusesWhichReadTheSame() {
        assertEquals(ServingStatus.BUSY, ServingStatus.ofInstance("Backing-up"));
    }

    @Test
    void aClusterBeingPromotedByAManagedFailoverShowsTheFailoverStateAndIsWaitedFor() {
        for (String status : List.of("pending", "failing-over", "switching-over", "cancelling")) {
            ServingStatus read = new DatabaseState("c", "us-west-2", status, "w", "r", "global", List.of()).serving();
            assertEquals(ServingStatus.DOWN, read, status);
            assertEquals("wait", read.asPromotionTarget());
        }
    }

    @Test
    void whatEachClassMeansForHealthAndPromotion() {
        assertTrue(ServingStatus.SERVING.isServing());
        assertTrue(ServingStatus.BUSY.isServing());
        assertFalse(ServingStatus.DOWN.isServing());
        assertFalse(ServingStatus.TERMINAL.isServing());
        assertFalse(ServingStatus.UNKNOWN.isServing());
        assertTrue(ServingStatus.SERVING.canPromoteFrom());
        for (ServingStatus notNow : List.of(ServingStatus.BUSY, ServingStatus.DOWN, ServingStatus.TERMINAL,
                ServingStatus.UNKNOWN)) {
            assertFalse(notNow.canPromoteFrom(), notNow.name());
        }
        assertEquals("promote", ServingStatus.SERVING.asPromotionTarget());
        assertEquals("wait", ServingStatus.BUSY.asPromotionTarget());
        assertEquals("wait", ServingStatus.DOWN.asPromotionTarget());
        assertEquals("refuse", ServingStatus.TERMINAL.asPromotionTarget());
    }

    /** The README's table (docs/database-states.md) says what the code does, row for row. */
    @Test
    void theDocumentedTableAgreesWithTheCode() throws IOException {
        Path doc = Path.of("..", "docs", "database-states.md");
        String text = Files.readString(doc);
        assertEquals(rows(ServingStatus.instanceTable()), section(text, "### RDS DB instance statuses"));
        assertEquals(rows(ServingStatus.clusterTable()), section(text, "### Aurora DB cluster statuses"));
        assertEquals(rows(ServingStatus.globalFailoverTable()), section(text, "### Aurora global failover states"));
    }

    /** The README's class table lists, per class, exactly the statuses the code puts in it. */
    @Test
    void theReadmesClassTableAgreesWithTheCode() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher row = Pattern.compile("^\\| `(SERVING|BUSY|DOWN|TERMINAL)` \\| (.*?) \\| (.*?) \\| (.*?) \\| (.*?) \\|$",
                Pattern.MULTILINE).matcher(readme);
        Map<String, String> instances = new TreeMap<>();
        Map<String, String> clusters = new TreeMap<>();
        while (row.find()) {
            ServingStatus status = ServingStatus.valueOf(row.group(1));
            assertEquals(status.isServing() ? "not failing" : "failing", row.group(2), status.name());
            assertEquals(status.asPromotionTarget(), row.group(3), status.name());
            for (String listed : row.group(4).split(", ")) {
                instances.put(listed.replace("`", ""), status.name());
            }
            for (String listed : row.group(5).split(", ")) {
                clusters.put(listed.replace("`", ""), status.name());
            }
        }
        assertEquals(classes(ServingStatus.instanceTable()), instances);
        assertEquals(classes(ServingStatus.clusterTable()), clusters);
    }

    private static Map<String, String> classes(Map<String, ServingStatus.Reading> table) {
        Map<String, String> classes = new TreeMap<>();
        table.forEach((status, reading) -> classes.put(status, reading.status().name()));
        return classes;
    }

    private static Map<String, String> rows(Map<String, ServingStatus.Reading> table) {
        Map<String, String> rows = new LinkedHashMap<>();
        table.forEach((status, reading) -> rows.put(status, reading.status().name() + " | "
                + (reading.status().isServing() ? "not failing" : "failing") + " | "
                + reading.status().asPromotionTarget() + " | " + reading.reason()));
        return rows;
    }

    private static final Pattern ROW = Pattern.compile("^\\| `([a-z-]+)` \\| (.*) \\|$", Pattern.MULTILINE);

    private static Map<String, String> section(String text, String heading) {
        int start = text.indexOf(heading);
        assertTrue(start >= 0, heading + " missing from docs/database-states.md");
        int end = text.indexOf("\n#", start + heading.length());
        Matcher rows = ROW.matcher(end < 0 ? text.substring(start) : text.substring(start, end));
        Map<String, String> found = new LinkedHashMap<>();
        while (rows.find()) {
            found.put(rows.group(1), rows.group(2));
        }
        return found;
    }
}
