package dev.regionfailover.database;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.regionfailover.aws.AwsClients;
import dev.regionfailover.aws.Polling;
import software.amazon.awssdk.core.waiters.Waiter;
import software.amazon.awssdk.core.waiters.WaiterAcceptor;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesResponse;
import software.amazon.awssdk.services.rds.model.VpcSecurityGroupMembership;

/** RDS DB instances (a primary with a cross-region read replica) through the RDS API. */
@ApplicationScoped
public class RdsInstanceGateway implements DatabaseGateway {

    @Inject
    AwsClients aws;

    @Override
    public DbInstance describe(String region, String instanceId) {
        DescribeDbInstancesResponse response = aws.rds(region)
                .describeDBInstances(request -> request.dbInstanceIdentifier(instanceId));
        return view(region, response);
    }

    @Override
    public void promote(String region, String instanceId) {
        aws.rds(region).promoteReadReplica(request -> request.dbInstanceIdentifier(instanceId));
    }

    /**
     * The SDK's generated waiter (waitUntilDBInstanceAvailable) would return while the instance is still a replica,
     * so this builds an SDK {@link Waiter} with the acceptor a promotion needs.
     */
    @Override
    public DbInstance awaitWriter(String region, String instanceId, Duration bound, Duration pollInterval) {
        Waiter<DescribeDbInstancesResponse> waiter = Waiter.builder(DescribeDbInstancesResponse.class)
                .addAcceptor(WaiterAcceptor.successOnResponseAcceptor(
                        response -> view(region, response).isWriter()))
                .addAcceptor(WaiterAcceptor.errorOnResponseAcceptor(
                        response -> isTerminal(view(region, response).status()),
                        instanceId + " entered a status it does not leave on its own"))
                .addAcceptor(WaiterAcceptor.retryOnResponseAcceptor(response -> true))
                .overrideConfiguration(Polling.every(pollInterval, bound))
                .build();
        DescribeDbInstancesResponse writer = waiter.run(() -> aws.rds(region)
                .describeDBInstances(request -> request.dbInstanceIdentifier(instanceId))).matched().response()
                .orElseThrow();
        return view(region, writer);
    }

    @Override
    public void fence(String region, String instanceId, List<String> securityGroupIds) {
        aws.rds(region).modifyDBInstance(request -> request.dbInstanceIdentifier(instanceId)
                .vpcSecurityGroupIds(securityGroupIds)
                .applyImmediately(true));
    }

    /** Statuses from which an instance does not come back to available on its own. */
    private static boolean isTerminal(String status) {
        return switch (status) {
            case "failed", "incompatible-parameters", "incompatible-restore", "inaccessible-encryption-credentials",
                    "deleting", "stopped" -> true;
            default -> false;
        };
    }

    private static DbInstance view(String region, DescribeDbInstancesResponse response) {
        DBInstance instance = response.dbInstances().get(0);
        return new DbInstance(instance.dbInstanceIdentifier(), region, instance.dbInstanceStatus(),
                instance.endpoint() == null ? null : instance.endpoint().address(),
                instance.readReplicaSourceDBInstanceIdentifier(),
                instance.vpcSecurityGroups().stream().map(VpcSecurityGroupMembership::vpcSecurityGroupId).toList());
    }
}
