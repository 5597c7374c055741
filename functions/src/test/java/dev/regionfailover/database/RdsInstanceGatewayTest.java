package dev.regionfailover.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import dev.regionfailover.aws.AwsClients;
import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.metrics.CloudWatchGateway;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.CreateDbInstanceReadReplicaRequest;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesResponse;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * The failback's new generation is tagged with the plan when it is created: the stack's IAM policy lets the
 * functions act on a generation ({@code <id>-g*}, a pattern that also matches {@code <id>-green-1}) only by that
 * tag (sam-template.yaml, docs/security.md).
 */
class RdsInstanceGatewayTest {

    private final AwsClients aws = mock(AwsClients.class);
    private final RdsClient rds = mock(RdsClient.class);

    @Test
    @SuppressWarnings("unchecked")
    void aCreatedReplicaCarriesThePlanTag() {
        when(aws.rds(anyString())).thenReturn(rds);
        when(rds.describeDBInstances(any(Consumer.class))).thenReturn(DescribeDbInstancesResponse.builder()
                .dbInstances(DBInstance.builder().dbInstanceIdentifier("orders-db-replica")
                        .dbInstanceArn("arn:aws:rds:us-west-2:123456789012:db:orders-db-replica").build())
                .build());
        FailoverConfig.Placement placement = mock(FailoverConfig.Placement.class);
        when(placement.securityGroupIds()).thenReturn(Optional.of(List.of("sg-0123456789abcdef0")));
        when(placement.dbSubnetGroupName()).thenReturn(Optional.empty());
        when(placement.kmsKeyId()).thenReturn(Optional.empty());
        RdsInstanceGateway gateway = new RdsInstanceGateway(aws, mock(CloudWatchGateway.class), "orders-db",
                new RdsInstanceGateway.Side("us-west-2", "orders-db-replica", placement, Optional.empty()),
                new RdsInstanceGateway.Side("us-east-1", "orders-db-g1", placement, Optional.of("orders-db")),
                null);

        gateway.createStandby();

        ArgumentCaptor<Consumer<CreateDbInstanceReadReplicaRequest.Builder>> request = ArgumentCaptor
                .forClass(Consumer.class);
        verify(rds).createDBInstanceReadReplica(request.capture());
        CreateDbInstanceReadReplicaRequest.Builder builder = CreateDbInstanceReadReplicaRequest.builder();
        request.getValue().accept(builder);
        CreateDbInstanceReadReplicaRequest sent = builder.build();
        assertEquals("orders-db-g1", sent.dbInstanceIdentifier());
        assertEquals(List.of(Tag.builder().key("regionfailover:plan").value("orders-db").build()), sent.tags());
        assertEquals(RdsInstanceGateway.PLAN_TAG_KEY, sent.tags().get(0).key());
    }
}
