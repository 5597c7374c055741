package dev.regionfailover.it;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The promotion takes 3 s here: the retry finds the replica "modifying" with its source still set, as AWS shows a
 * promotion under way ("The DB instance isn't in a valid state").
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "manual-failover"), @ResourceArg(name = "faults", value = "true"),
        @ResourceArg(name = "promotionSeconds", value = "3") })
class LostPromotionAnswerWhileModifyingIT extends LostPromotionAnswer {
}
