package dev.regionfailover.parameters;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathRequest;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;

/** The store reads every page of GetParametersByPath, one level deep, decrypted. */
class PlanParameterStoreTest {

    /** Serves {@code total} parameters under /rf/orders-db/pairs, ten a page as Parameter Store does. */
    private static final class PagedSsm implements SsmClient {
        final List<GetParametersByPathRequest> requests = new ArrayList<>();
        final int total;

        PagedSsm(int total) {
            this.total = total;
        }

        @Override
        public GetParametersByPathResponse getParametersByPath(GetParametersByPathRequest request) {
            requests.add(request);
            int from = request.nextToken() == null ? 0 : Integer.parseInt(request.nextToken());
            int to = Math.min(from + 10, total);
            return GetParametersByPathResponse.builder()
                    .parameters(IntStream.range(from, to).mapToObj(i -> Parameter.builder()
                            .name(request.path() + "/pair" + i).value("{\"n\":" + i + "}").build()).toList())
                    .nextToken(to < total ? String.valueOf(to) : null)
                    .build();
        }

        @Override
        public String serviceName() {
            return "ssm";
        }

        @Override
        public void close() {
        }
    }

    private static PlanParameterStore over(SsmClient ssm) {
        return new PlanParameterStore() {
            @Override
            SsmClient ssm() {
                return ssm;
            }
        };
    }

    @Test
    void everyPageIsReadOneLevelDeepAndDecrypted() {
        PagedSsm ssm = new PagedSsm(25);

        List<PlanParameterStore.StoredParameter> parameters = over(ssm).under("/rf/orders-db/pairs");

        assertEquals(25, parameters.size());
        assertEquals(new PlanParameterStore.StoredParameter("/rf/orders-db/pairs/pair24", "{\"n\":24}"),
                parameters.get(24));
        assertEquals(3, ssm.requests.size(), "three pages of at most ten");
        assertEquals(java.util.Arrays.asList(null, "10", "20"),
                ssm.requests.stream().map(GetParametersByPathRequest::nextToken).toList());
        for (GetParametersByPathRequest request : ssm.requests) {
            assertEquals("/rf/orders-db/pairs", request.path());
            assertEquals(false, request.recursive(), "parameters below a pair's are not pairs");
            assertEquals(true, request.withDecryption(), "a SecureString is read as its value");
        }
    }

    @Test
    void anEmptyPathIsNoPairs() {
        PagedSsm ssm = new PagedSsm(0);

        assertEquals(List.of(), over(ssm).under("/rf/orders-db/pairs"));
        assertEquals(1, ssm.requests.size());
    }
}
