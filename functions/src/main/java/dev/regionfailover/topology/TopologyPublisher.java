package dev.regionfailover.topology;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.regionfailover.aws.Errors;
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

/**
 * Publishes where each pair's writer is, for everything that is not the journal: infrastructure code, pipelines
 * and clients that would otherwise keep the old topology and "fix" it back on their next deployment. Each pair
 * has a JSON document ({@link PublishedTopology}) at {@code <prefix>/<plan>/topology/<name>} and the writer's
 * endpoint alone at {@code .../<name>/writer-endpoint}, in the standby region (where the stack runs, and what
 * readiness compares) and, best effort, in the primary region; when the writer or its standby changes, an
 * EventBridge {@code Topology Changed} event says so.
 *
 * <p>Published at the end of every run, and by readiness whenever the published document disagrees with AWS:
 * a publication that failed at a run's end (throttling, say) is repaired by the next scheduled tick, and a change
 * made outside the functions (a console failover) is flagged and then published. Publishing is never part of a
 * run's outcome: it runs after the lease is released, and its failure is logged, not raised.
 */
@ApplicationScoped
public class TopologyPublisher {

    private static final Logger LOG = Logger.getLogger(TopologyPublisher.class);

    @Inject
    FailoverConfig config;

    @Inject
    DatabasePairs pairs;

    @Inject
    JournalStore journal;

    @Inject
    TopologyParameters parameters;

    @Inject
    Notifier notifier;

    @Inject
    TopologyJson json;

    @Inject
    Clock clock;

    /** What readiness learns from a comparison. */
    public record Comparison(boolean agrees, String detail) {
    }

    public boolean enabled() {
        return prefix().isPresent();
    }

    /** The document's parameter name. */
    public String documentName(DatabasePair pair) {
        return prefix().orElseThrow() + "/" + config.plan() + "/topology/" + pair.name();
    }

    public String endpointName(DatabasePair pair) {
        return documentName(pair) + "/writer-endpoint";
    }

    /** At a run's end, after its lease is released: what AWS now reports, with the run's id and outcome. */
    public void afterRun(DatabasePair pair, String runId, RunKind kind, RunState outcome) {
        if (!enabled()) {
            return;
        }
        try {
            Lifecycle.PlanState state = journal.forPartition(pair.journalPartition()).state();
            PublishedTopology document = observe(pair, state).document(config.plan(), pair.name(),
                    state.generation(), state.phase(), new PublishedTopology.LastRun(runId, kind.name(),
                            outcome.name()), "run " + runId, clock.instant());
            publish(pair, document, published(pair));
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not publish the topology of %s after run %s; the next readiness check repairs it",
                    pair.name(), runId);
        }
    }

    /**
     * Readiness: does the published document agree with what AWS reports now? A difference is reported (the check
     * fails, once) and the document republished, so that consumers see the truth within a tick. While a run holds
     * the pair nothing is compared: the topology is moving, and the run's end publishes it.
     */
    public Comparison compare(DatabasePair pair) {
        Lifecycle.PlanState state = journal.forPartition(pair.journalPartition()).state();
        if (state.phase() == Lifecycle.Phase.RUNNING) {
            return new Comparison(true, "run " + state.run().map(Lifecycle.RunSpec::runId).orElse("?")
                    + " is under way; its end publishes the topology");
        }
        Optional<PublishedTopology> published = published(pair);
        PublishedTopology.Observed observed = observe(pair, state);
        PublishedTopology document = observed.document(config.plan(), pair.name(), state.generation(),
                state.phase(), published.map(PublishedTopology::lastRun).orElse(null), "readiness",
                clock.instant());
        if (published.isPresent() && published.get().whereabouts().equals(document.whereabouts())) {
            return new Comparison(true, documentName(pair) + " agrees with AWS: " + document.whereabouts().describe());
        }
        publish(pair, document, published);
        return published.isEmpty()
                ? new Comparison(true, documentName(pair) + " was missing; published " + document.describe())
                : new Comparison(false, "drift: " + documentName(pair) + " said " + published.get().whereabouts()
                        .describe() + ", AWS reports " + document.whereabouts().describe() + "; republished");
    }

    /** The document in the standby region, if one was published (and can be read as one). */
    Optional<PublishedTopology> published(DatabasePair pair) {
        String name = documentName(pair);
        String value = parameters.read(config.standby().region(), List.of(name)).get(name);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return json.read(value);
        } catch (JsonProcessingException e) {
            // someone else's value, or an older format: it is overwritten as if absent
            LOG.warnf("%s does not hold a topology document (%s); it is overwritten", name, e.getOriginalMessage());
            return Optional.empty();
        }
    }

    private PublishedTopology.Observed observe(DatabasePair pair, Lifecycle.PlanState state) {
        DatabaseGateway database = pairs.at(pair, state.generation());
        return PublishedTopology.observe(state.phase(), described(database::primary), described(database::standby));
    }

    /** A side that cannot be described (absent, or its region unreachable) is unknown, not a reason to stop. */
    private static DatabaseState described(java.util.function.Supplier<DatabaseState> side) {
        try {
            return side.get();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The standby region's parameters first (a failure there is raised: it is the copy that counts), then the
     * event when the writer or its standby changed, then the primary region's copy, best effort: during a region
     * outage it is the one that cannot be written.
     */
    private void publish(DatabasePair pair, PublishedTopology document, Optional<PublishedTopology> previous) {
        String value = json.document(document);
        boolean endpointChanged = document.writer() != null && !previous.map(PublishedTopology::writer)
                .map(PublishedTopology.Side::endpoint).equals(Optional.of(document.writer().endpoint()));
        write(config.standby().region(), pair, document, value, endpointChanged);
        if (previous.isEmpty() || !previous.get().whereabouts().equals(document.whereabouts())) {
            try {
                notifier.publishTopologyChanged(json.change(document, previous.map(PublishedTopology::whereabouts)));
            } catch (RuntimeException e) {
                LOG.errorf(e, "could not send the Topology Changed event of %s", pair.name());
            }
        }
        try {
            write(config.primary().region(), pair, document, value, endpointChanged);
        } catch (RuntimeException e) {
            LOG.warnf("could not publish the topology of %s in %s (best effort): %s", pair.name(),
                    config.primary().region(), Errors.describe(e));
        }
        LOG.infof("published the topology of %s: %s", pair.name(), document.describe());
    }

    private void write(String region, DatabasePair pair, PublishedTopology document, String value,
            boolean endpointChanged) {
        parameters.write(region, documentName(pair), value, "Where the writer of " + pair.name() + " (plan "
                + config.plan() + ") is; written by the region failover functions");
        if (endpointChanged) {
            // unchanged endpoints are not rewritten: Parameter Store's write rate is low, and versions are history
            parameters.write(region, endpointName(pair), document.writer().endpoint(), "The writer endpoint of "
                    + pair.name() + " (plan " + config.plan() + "); written by the region failover functions");
        }
    }

    private Optional<String> prefix() {
        return config.topologyParametersPrefix().filter(prefix -> !prefix.isBlank());
    }
}
