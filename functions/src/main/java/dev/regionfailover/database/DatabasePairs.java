package dev.regionfailover.database;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.regionfailover.aws.AwsClients;
import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.metrics.CloudWatchGateway;
import dev.regionfailover.store.JournalStore;

/**
 * Builds the plan's database pair as it is now. The configuration names the pair as deployed; each failback
 * moves RDS instances to a new generation, which the journal records, so the pair is built per run and per
 * evaluation rather than once per container (another container may have failed back in between).
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

    public DatabaseGateway current() {
        return switch (config.databaseKind()) {
            case RDS_INSTANCE -> rdsInstances(journal.generation());
            case AURORA_GLOBAL -> new AuroraGlobalGateway(aws, cloudWatch, config.aurora().globalClusterId().orElseThrow(),
                    config.primary().region(), config.standby().region(), config.rpo().lagWindow());
        };
    }

    /** The pair after the failback that the current generation's reversed view performs. */
    public DatabaseGateway next() {
        return switch (config.databaseKind()) {
            case RDS_INSTANCE -> rdsInstances(journal.generation() + 1);
            case AURORA_GLOBAL -> current();
        };
    }

    private DatabaseGateway rdsInstances(int generation) {
        String primaryId = config.primary().dbInstanceId().orElseThrow();
        String standbyId = config.standby().dbInstanceId().orElseThrow();
        return new RdsInstanceGateway(aws, cloudWatch,
                new RdsInstanceGateway.Side(config.primary().region(), named(primaryId, generation)),
                new RdsInstanceGateway.Side(config.standby().region(), named(standbyId, generation)),
                new RdsInstanceGateway.Side(config.primary().region(), named(primaryId, generation + 1)));
    }

    /** Generation 0 is the configured identifier; later ones add -g1, -g2, ... */
    static String named(String identifier, int generation) {
        return generation == 0 ? identifier : identifier + "-g" + generation;
    }
}
