package dev.regionfailover.topology;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The published documents as JSON, with the application's ObjectMapper (ISO instants, as every report). */
@ApplicationScoped
public class TopologyJson {

    @Inject
    ObjectMapper mapper;

    public String document(PublishedTopology topology) {
        return write(topology);
    }

    /** The Topology Changed event's detail: the new document and what the one before it said. */
    public String change(PublishedTopology topology, Optional<PublishedTopology.Whereabouts> previous) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("topology", topology);
        detail.put("previous", previous.<Object>map(where -> where).orElse("none"));
        return write(detail);
    }

    /** A stored value read back; empty when it is not a topology document (someone else's, or an older format). */
    public Optional<PublishedTopology> read(String value) throws JsonProcessingException {
        return Optional.of(mapper.readValue(value, PublishedTopology.class));
    }

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the topology as JSON", e);
        }
    }
}
