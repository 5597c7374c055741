package dev.regionfailover.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.regionfailover.database.DatabaseState;
import dev.regionfailover.failover.Lifecycle;

/**
 * Where one database pair's writer is, as published for everything outside the journal (the document of
 * {@code <prefix>/<plan>/topology/<name>}). {@code writer} is null when AWS and the lifecycle do not say it with
 * one voice (a run under way or failed, two databases accepting writes that the lifecycle cannot tell apart):
 * publishing a guess would be worse than publishing "unknown", so {@code settled} is false and {@code notes}
 * say what was seen. {@code lastRun} is the run whose end published it (null when readiness did).
 */
public record PublishedTopology(String plan, String database, Side writer, Side standby, boolean settled,
        List<String> notes, int generation, String phase, LastRun lastRun, String publishedBy, Instant publishedAt) {

    /** One database of the pair as AWS reported it. */
    public record Side(String region, String id, String endpoint, String status) {

        static Side of(DatabaseState state) {
            return new Side(state.region(), state.id(), state.endpoint(), state.status());
        }

        String describe() {
            return id + " in " + region;
        }
    }

    /** The run whose end published the document. */
    public record LastRun(String id, String kind, String outcome) {
    }

    /** What a consumer relies on: the writer and its standby (their regions, identifiers, the writer's endpoint). */
    public record Whereabouts(String writerRegion, String writerId, String writerEndpoint, String standbyRegion,
            String standbyId, boolean settled) {

        public String describe() {
            return (writerId == null ? "writer unknown" : "writer " + writerId + " in " + writerRegion + " ("
                    + writerEndpoint + ")") + (standbyId == null ? "" : ", standby " + standbyId + " in "
                            + standbyRegion) + (settled ? "" : ", not settled");
        }
    }

    /** What readiness compares; a status that changes (available, modifying, backing-up) is not part of it. */
    public Whereabouts whereabouts() {
        return new Whereabouts(writer == null ? null : writer.region(), writer == null ? null : writer.id(),
                writer == null ? null : writer.endpoint(), standby == null ? null : standby.region(),
                standby == null ? null : standby.id(), settled);
    }

    /**
     * Who the writer is, from what AWS reports of the pair's two databases (null: could not be read, or absent)
     * and where the lifecycle says the pair stands. The lifecycle names the side that should write (IDLE: the
     * primary region's; COMPLETED, failed over: the standby region's); AWS must agree that it accepts writes. When
     * it does not, the one database AWS reports as a writer is the writer, unsettled; with none, or with two the
     * lifecycle cannot choose between, nobody is.
     */
    public static Observed observe(Lifecycle.Phase phase, DatabaseState primary, DatabaseState standby) {
        List<String> notes = new ArrayList<>();
        boolean primaryWrites = primary != null && primary.isWriter();
        boolean standbyWrites = standby != null && standby.isWriter();
        DatabaseState expected = switch (phase) {
            case IDLE -> primary;
            case COMPLETED -> standby;
            case RUNNING, FAILED -> null;
        };
        if (phase == Lifecycle.Phase.RUNNING || phase == Lifecycle.Phase.FAILED) {
            notes.add("a run is " + (phase == Lifecycle.Phase.RUNNING ? "under way" : "failed and waits for an "
                    + "operator") + ": the writer is what AWS reports, not settled");
        }
        if (expected != null && expected.isWriter()) {
            DatabaseState other = expected == primary ? standby : primary;
            boolean otherWrites = expected == primary ? standbyWrites : primaryWrites;
            // After a failover the old primary of an RDS pair is a standalone (fenced) instance: that is expected.
            boolean settled = !otherWrites || phase == Lifecycle.Phase.COMPLETED;
            if (!settled) {
                notes.add(other.describe() + " also accepts writes (" + other.status() + ", not a replica), though "
                        + "no failover of ours made it a writer");
            }
            return new Observed(Side.of(expected), other == null ? null : Side.of(other), settled, notes);
        }
        if (expected != null) {
            notes.add(expected.describe() + " should be the writer but AWS reports it " + expected.status()
                    + (expected.isReplica() ? ", replicating from " + expected.replicationSource() : ""));
        }
        if (primaryWrites != standbyWrites) {
            DatabaseState writer = primaryWrites ? primary : standby;
            DatabaseState other = primaryWrites ? standby : primary;
            return new Observed(Side.of(writer), other == null ? null : Side.of(other), false, notes);
        }
        notes.add(primaryWrites ? "both " + primary.describe() + " and " + standby.describe() + " accept writes"
                : "neither database accepts writes now (" + state(primary) + "; " + state(standby) + ")");
        return new Observed(null, null, false, notes);
    }

    private static String state(DatabaseState side) {
        return side == null ? "one could not be read" : side.describe() + " " + side.status();
    }

    /** The pure part of a document: who writes, who stands by, and why it is (not) settled. */
    public record Observed(Side writer, Side standby, boolean settled, List<String> notes) {

        public Observed {
            notes = List.copyOf(notes);
        }

        public PublishedTopology document(String plan, String database, int generation, Lifecycle.Phase phase,
                LastRun lastRun, String publishedBy, Instant now) {
            return new PublishedTopology(plan, database, writer, standby, settled, notes, generation, phase.name(),
                    lastRun, publishedBy, now);
        }
    }

    public PublishedTopology {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(database, "database");
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** In words, for logs and readiness. */
    public String describe() {
        return database + ": " + whereabouts().describe() + (settled ? "" : " (not settled: "
                + String.join("; ", notes) + ")");
    }
}
