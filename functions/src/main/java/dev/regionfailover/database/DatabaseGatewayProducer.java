package dev.regionfailover.database;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import dev.regionfailover.config.FailoverConfig;

/** The database kind is configuration ({@code failover.database-kind}); only the chosen gateway is created. */
@ApplicationScoped
public class DatabaseGatewayProducer {

    @Produces
    @ApplicationScoped
    DatabaseGateway database(FailoverConfig config, Instance<RdsInstanceGateway> rds,
            Instance<AuroraGlobalGateway> aurora) {
        return switch (config.databaseKind()) {
            case RDS_INSTANCE -> rds.get();
            case AURORA_GLOBAL -> aurora.get();
        };
    }
}
