package dev.regionfailover.database;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.regionfailover.aws.AwsClients;
import dev.regionfailover.config.DatabasePair;
import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.metrics.CloudWatchGateway;
import dev.regionfailover.store.JournalStore;

/**
 * Builds a database pair's gateway as the pair is now. The configuration names the pair as deployed; each
 * failback moves RDS instances to a new generation, which the pair's journal records, so the gateway is built per
 * run and per evaluation rather than once per container (another container may have failed back in between).
 */
@ApplicationScoped
public class DatabasePairs {

    @Inject
    FailoverConfig config;

    @Inject
    AwsClients aws;

    @Inject
    CloudWatchGateway cloudWatch;

    @Inject
    JournalStore journal;

    /** The pair as the journal's generation says it is now (health and readiness read it). */
    public DatabaseGateway current(DatabasePair pair) {
        return at(pair, generation(pair));
    }

    /** The pair at a given generation: a run acts on the generation it started at. */
    public DatabaseGateway at(DatabasePair pair, int generation) {
        return switch (pair.kind()) {
            case RDS_INSTANCE -> rdsInstances(pair, generation);
            case AURORA_GLOBAL -> auroraGlobal(pair);
        };
    }

    /** An Aurora pair's global database (no generations: a failback keeps the same clusters). */
    public AuroraGlobalGateway auroraGlobal(DatabasePair pair) {
        AwsClients clients = aws.forDatabasesOf(pair);
        return new AuroraGlobalGateway(clients, cloudWatch.using(clients), config.plan(),
                pair.auroraGlobalClusterId().orElseThrow(), pair.primaryRegion(), pair.standbyRegion(),
                config.rpo().lagWindow());
    }

    /** The pair after the failback that {@code generation}'s reversed view performs. */
    public DatabaseGateway next(DatabasePair pair, int generation) {
        return switch (pair.kind()) {
            case RDS_INSTANCE -> rdsInstances(pair, generation + 1);
            case AURORA_GLOBAL -> at(pair, generation);
        };
    }

    private int generation(DatabasePair pair) {
        return journal.forPartition(pair.journalPartition()).state().generation();
    }

    private DatabaseGateway rdsInstances(DatabasePair pair, int generation) {
        String primaryId = pair.primaryDbInstanceId().orElseThrow();
        String standbyId = pair.standbyDbInstanceId().orElseThrow();
        FailoverConfig.Placement primaryPlacement = config.failback().primaryRegion();
        FailoverConfig.Placement standbyPlacement = config.failback().standbyRegion();
        AwsClients clients = aws.forDatabasesOf(pair);
        return new RdsInstanceGateway(clients, cloudWatch.using(clients), config.plan(),
                new RdsInstanceGateway.Side(pair.primaryRegion(), named(primaryId, generation), primaryPlacement,
                        Optional.empty()),
                // a standby of a later generation was built by a failback, in place of the one before it
                new RdsInstanceGateway.Side(pair.standbyRegion(), named(standbyId, generation), standbyPlacement,
                        generation == 0 ? Optional.empty() : Optional.of(named(standbyId, generation - 1))),
                new RdsInstanceGateway.Side(pair.primaryRegion(), named(primaryId, generation + 1), primaryPlacement,
                        Optional.of(named(primaryId, generation))),
                // the plan's own pair keeps the plan's journal partition (PlanPairs); IAM names only its instances
                !pair.journalPartition().equals(config.plan()));
    }

    /** Generation 0 is the configured identifier; later ones add -g1, -g2, ... */
    static String named(String identifier, int generation) {
        return generation == 0 ? identifier : identifier + "-g" + generation;
    }
}
