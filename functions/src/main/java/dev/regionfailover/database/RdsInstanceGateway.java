package dev.regionfailover.database;

import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import dev.regionfailover.aws.AwsClients;
import dev.regionfailover.aws.Polling;
import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.metrics.CloudWatchGateway;
import software.amazon.awssdk.core.waiters.Waiter;
import software.amazon.awssdk.core.waiters.WaiterAcceptor;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesResponse;
import software.amazon.awssdk.services.rds.model.InvalidDbInstanceStateException;
import software.amazon.awssdk.services.rds.model.VpcSecurityGroupMembership;

/** An RDS DB instance in the primary region with a cross-region read replica in the standby region. */
@ApplicationScoped
@Typed(RdsInstanceGateway.class)
public class RdsInstanceGateway implements DatabaseGateway {

    @Inject
    AwsClients aws;

    @Inject
    FailoverConfig config;

    @Inject
    CloudWatchGateway cloudWatch;

    @Override
    public DatabaseState primary() {
        return describe(config.primary().region(), primaryId());
    }

    @Override
    public DatabaseState standby() {
        return describe(config.standby().region(), standbyId());
    }

    /** RDS publishes the replica's lag as {@code AWS/RDS ReplicaLag} (seconds), per instance. */
    @Override
    public OptionalDouble lagSeconds(Duration window) {
        return cloudWatch.latestValue(config.standby().region(), "ReplicaLag", "DBInstanceIdentifier", standbyId(),
                window);
    }

    @Override
    public void fencePrimary(List<String> securityGroupIds) {
        aws.rds(config.primary().region()).modifyDBInstance(request -> request.dbInstanceIdentifier(primaryId())
                .vpcSecurityGroupIds(securityGroupIds)
                .applyImmediately(true));
    }

    /** An instance replica has one way to become a writer, planned or not: PromoteReadReplica. */
    @Override
    public void promote(boolean planned) {
        try {
            aws.rds(config.standby().region()).promoteReadReplica(request -> request.dbInstanceIdentifier(standbyId()));
        } catch (InvalidDbInstanceStateException e) {
            if (!promotionUnderWay()) {
                throw e;
            }
        }
    }

    /** After PromoteReadReplica the instance stays a replica, not available, until the promotion completes. */
    @Override
    public boolean promotionUnderWay() {
        DatabaseState standby = standby();
        return !standby.isAvailable() && !isTerminal(standby.status());
    }

    /**
     * The SDK's generated waiter (waitUntilDBInstanceAvailable) would return while the instance is still a replica,
     * so this builds an SDK {@link Waiter} with the acceptor a promotion needs.
     */
    @Override
    public DatabaseState awaitWriter(Duration bound, Duration pollInterval) {
        String region = config.standby().region();
        Waiter<DescribeDbInstancesResponse> waiter = Waiter.builder(DescribeDbInstancesResponse.class)
                .addAcceptor(WaiterAcceptor.successOnResponseAcceptor(response -> view(region, response).isWriter()))
                .addAcceptor(WaiterAcceptor.errorOnResponseAcceptor(
                        response -> isTerminal(view(region, response).status()),
                        standbyId() + " entered a status it does not leave on its own"))
                .addAcceptor(WaiterAcceptor.retryOnResponseAcceptor(response -> true))
                .overrideConfiguration(Polling.every(pollInterval, bound))
                .build();
        DescribeDbInstancesResponse writer = waiter.run(() -> aws.rds(region)
                .describeDBInstances(request -> request.dbInstanceIdentifier(standbyId()))).matched().response()
                .orElseThrow();
        return view(region, writer);
    }

    @Override
    public List<String> readinessProblems() {
        return List.of();
    }

    private DatabaseState describe(String region, String instanceId) {
        return view(region, aws.rds(region).describeDBInstances(request -> request.dbInstanceIdentifier(instanceId)));
    }

    private String primaryId() {
        return config.primary().dbInstanceId().orElseThrow();
    }

    private String standbyId() {
        return config.standby().dbInstanceId().orElseThrow();
    }

    /** Statuses from which an instance does not come back to available on its own. */
    private static boolean isTerminal(String status) {
        return switch (status) {
            case "failed", "incompatible-parameters", "incompatible-restore", "inaccessible-encryption-credentials",
                    "deleting", "stopped" -> true;
            default -> false;
        };
    }

    private static DatabaseState view(String region, DescribeDbInstancesResponse response) {
        DBInstance instance = response.dbInstances().get(0);
        return new DatabaseState(instance.dbInstanceIdentifier(), region, instance.dbInstanceStatus(),
                instance.endpoint() == null ? null : instance.endpoint().address(),
                instance.readReplicaSourceDBInstanceIdentifier(),
                instance.vpcSecurityGroups().stream().map(VpcSecurityGroupMembership::vpcSecurityGroupId).toList());
    }
}
