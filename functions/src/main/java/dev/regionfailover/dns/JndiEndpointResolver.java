package dev.regionfailover.dns;

import java.util.Hashtable;
import java.util.Optional;
import java.util.ServiceLoader;

import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.spi.InitialContextFactory;

/**
 * Asks DNS itself, through the JDK's DNS provider (module jdk.naming.dns): the global writer endpoint lives in a
 * zone of AWS's, so no API of the account can read its record. No AWS call, so no IAM permission; the Lambda's
 * resolvers (or the configured name server) must answer for {@code *.global.rds.amazonaws.com}, as public DNS does.
 *
 * <p>The DNS provider's factory is taken from the ServiceLoader and called directly, not through
 * {@code InitialContext}: Quarkus disables {@code InitialContext} (JNDI lookups of names from outside are an
 * injection risk), and this needs none of that, only a DNS context with a fixed provider and name server.
 */
public final class JndiEndpointResolver implements EndpointResolver {

    private static final String DNS_FACTORY = "com.sun.jndi.dns.DnsContextFactory";

    /** One second for the first try, doubled per retry: a slow resolver must not eat the step's bound. */
    private static final String TIMEOUT_MILLIS = "1000";
    private static final String RETRIES = "2";

    private final String providerUrl;

    /** @param nameServer {@code host} or {@code host:port}; empty: the system's resolvers */
    public JndiEndpointResolver(Optional<String> nameServer) {
        this.providerUrl = nameServer.map(server -> "dns://" + server).orElse("dns:");
    }

    @Override
    public Optional<String> cnameOf(String name) {
        Hashtable<String, String> environment = new Hashtable<>();
        environment.put(Context.INITIAL_CONTEXT_FACTORY, DNS_FACTORY);
        environment.put(Context.PROVIDER_URL, providerUrl);
        environment.put("com.sun.jndi.dns.timeout.initial", TIMEOUT_MILLIS);
        environment.put("com.sun.jndi.dns.timeout.retries", RETRIES);
        DirContext context = null;
        try {
            context = (DirContext) dnsProvider().getInitialContext(environment);
            Attribute cname = context.getAttributes(Route53RecordGateway.normalise(name) + ".",
                    new String[] { "CNAME" }).get("CNAME");
            return cname == null ? Optional.empty()
                    : Optional.of(Route53RecordGateway.normalise(String.valueOf(cname.get())));
        } catch (NameNotFoundException e) {
            return Optional.empty();
        } catch (NamingException e) {
            throw new IllegalStateException("cannot resolve " + name + " (" + providerUrl + "): " + e, e);
        } finally {
            close(context);
        }
    }

    private static InitialContextFactory dnsProvider() {
        return ServiceLoader.load(InitialContextFactory.class, ClassLoader.getSystemClassLoader()).stream()
                .filter(provider -> provider.type().getName().equals(DNS_FACTORY)).findFirst()
                .map(ServiceLoader.Provider::get)
                .orElseThrow(() -> new IllegalStateException("the JDK's DNS provider (" + DNS_FACTORY
                        + ", module jdk.naming.dns) is missing from this runtime"));
    }

    private static void close(DirContext context) {
        if (context != null) {
            try {
                context.close();
            } catch (NamingException e) {
                // nothing was held open beyond the query
            }
        }
    }
}
