package dev.regionfailover.database;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import software.amazon.awssdk.services.rds.model.Tag;

/**
 * A fence remembers, on the fenced instance or cluster itself, the security groups it had before: a tag that the
 * failback reads to lift it. On the resource, because the resource outlives runs, journals and generations (an
 * Aurora cluster fenced in a failover is promoted again by the failback), and operators see it in the console.
 * RDS tag values do not allow commas, so the groups are separated by spaces.
 */
final class FenceTag {

    static final String KEY = "regionfailover:fenced-from";

    private FenceTag() {
    }

    static Tag of(List<String> securityGroupIds) {
        return Tag.builder().key(KEY).value(String.join(" ", securityGroupIds)).build();
    }

    /** The groups before the fence, while the resource carries the tag. */
    static Optional<List<String>> read(List<Tag> tags) {
        return tags.stream().filter(tag -> KEY.equals(tag.key())).findFirst()
                .map(tag -> Arrays.stream(tag.value().split(" ")).filter(group -> !group.isBlank()).toList());
    }
}
