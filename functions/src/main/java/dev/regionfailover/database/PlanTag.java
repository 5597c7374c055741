package dev.regionfailover.database;

import java.util.List;

import software.amazon.awssdk.services.rds.model.Tag;

/**
 * The tag that marks a database as the plan's: IAM lets the functions act on a database whose name it cannot know
 * in advance (a failback's later RDS generations, an Aurora global database's discovered member clusters) only
 * when the database carries it ({@code aws:ResourceTag/regionfailover:plan}, sam-template.yaml).
 */
public final class PlanTag {

    public static final String KEY = "regionfailover:plan";

    private PlanTag() {
    }

    static Tag of(String plan) {
        return Tag.builder().key(KEY).value(plan).build();
    }

    static boolean marks(List<Tag> tags, String plan) {
        return tags.stream().anyMatch(tag -> KEY.equals(tag.key()) && plan.equals(tag.value()));
    }
}
