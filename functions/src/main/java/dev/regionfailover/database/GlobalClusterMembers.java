package dev.regionfailover.database;

import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.regionfailover.aws.AwsClients;
import dev.regionfailover.config.PlanPairs;
import software.amazon.awssdk.services.rds.model.GlobalClusterMember;

/**
 * The member clusters of the plan's Aurora global databases, as AWS has them now (they are discovered, not
 * configured). Read from the standby region, where the stack runs, with one DescribeGlobalClusters per global
 * database; only asked when an RDS event must be proven to concern the plan.
 */
@ApplicationScoped
public class GlobalClusterMembers {

    @Inject
    AwsClients aws;

    @Inject
    PlanPairs planPairs;

    /** The member clusters' ARNs, arn:PARTITION:rds:REGION:ACCOUNT:cluster:ID. */
    public Set<String> arns() {
        Set<String> arns = new LinkedHashSet<>();
        planPairs.all().forEach(pair -> pair.auroraGlobalClusterId().ifPresent(id -> aws.forDatabasesOf(pair)
                .rds(pair.standbyRegion()).describeGlobalClusters(request -> request.globalClusterIdentifier(id)).globalClusters()
                .forEach(global -> global.globalClusterMembers().stream().map(GlobalClusterMember::dbClusterArn)
                        .forEach(arns::add))));
        return arns;
    }
}
