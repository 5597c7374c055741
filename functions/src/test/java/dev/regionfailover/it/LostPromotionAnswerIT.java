package dev.regionfailover.it;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The promotion is instant here: the retry finds a standalone writer ("DB Instance is not a read replica"). */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "manual-failover"), @ResourceArg(name = "faults", value = "true"),
        @ResourceArg(name = "promotionSeconds", value = "0") })
class LostPromotionAnswerIT extends LostPromotionAnswer {
}
