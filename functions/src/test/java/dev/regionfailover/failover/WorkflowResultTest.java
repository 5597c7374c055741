package dev.regionfailover.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.regionfailover.failover.WorkflowResult.Outcome;

/** How a plan of several pairs sums its pairs' outcomes in one answer (WorkflowResult.across). */
class WorkflowResultTest {

    private static Outcome across(Outcome... outcomes) {
        List<WorkflowResult.PairOutcome> pairs = new ArrayList<>();
        for (int i = 0; i < outcomes.length; i++) {
            pairs.add(new WorkflowResult.PairOutcome("pair-" + i, WorkflowResult.of(outcomes[i], "because")));
        }
        return WorkflowResult.across(RunKind.FAILOVER, pairs).outcome();
    }

    @Test
    void pairsThatAgreeAreThePlansOutcome() {
        assertEquals(Outcome.NO_FAILOVER, across(Outcome.NO_FAILOVER, Outcome.NO_FAILOVER, Outcome.NO_FAILOVER));
    }

    /** LifecycleCounterexamplesTest.aTickThatResumedOnePairOfAPlanDoesNotAnswerThatItChangedNothing. */
    @Test
    void aPairThatPausedIsNotSummedUpAsTheFirstPairsNothingChanged() {
        assertEquals(Outcome.PAUSED, across(Outcome.NO_FAILOVER, Outcome.PAUSED, Outcome.NO_FAILOVER));
        assertEquals(Outcome.PAUSED, across(Outcome.DUPLICATE, Outcome.PAUSED));
        assertEquals(Outcome.PAUSED, across(Outcome.COMPLETED, Outcome.PAUSED),
                "the plan is not done while a pair is paused");
    }

    @Test
    void aFailureOrARefusalOutranksEverything() {
        assertEquals(Outcome.FAILED, across(Outcome.PAUSED, Outcome.FAILED, Outcome.REFUSED));
        assertEquals(Outcome.REFUSED, across(Outcome.PAUSED, Outcome.REFUSED, Outcome.COMPLETED));
    }

    @Test
    void otherwiseACompletedPairOrTheFirstPairsAnswer() {
        assertEquals(Outcome.COMPLETED, across(Outcome.ALREADY_DONE, Outcome.COMPLETED));
        assertEquals(Outcome.DUPLICATE, across(Outcome.DUPLICATE, Outcome.ALREADY_DONE));
    }
}
