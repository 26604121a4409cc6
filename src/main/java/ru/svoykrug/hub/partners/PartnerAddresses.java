package ru.svoykrug.hub.partners;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

/**
 * Where a partner may point the hub: a partner sets its system's {@code baseUrl} itself, and the hub calls it
 * and reports the status back (the connection test), so an address on the hub's own network (loopback,
 * private, link-local: a database, a cloud's metadata service) would let a partner probe it. Such addresses
 * are refused unless {@code hub.partners.private-addresses-allowed} (the demo's simulators listen on loopback).
 * Checked when a connection is made, changed or tested; a host that later resolves elsewhere is not caught.
 */
@Component
class PartnerAddresses {

    private final boolean privateAllowed;

    PartnerAddresses(@Value("${hub.partners.private-addresses-allowed:false}") boolean privateAllowed) {
        this.privateAllowed = privateAllowed;
    }

    /** The problems of the settings' {@code baseUrl} as a destination; none for a public address (or none set). */
    List<String> problems(Map<String, String> settings) {
        String url = settings.get("baseUrl");
        if (url == null || privateAllowed) {
            return List.of();
        }
        String host;
        try {
            host = URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return List.of(); // the shape is SystemSettings' to judge
        }
        if (host == null) {
            return List.of();
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host)) {
                if (ownNetwork(address)) {
                    return List.of("settings.baseUrl: expected a public address; " + host + " is on the hub's own network");
                }
            }
            return List.of();
        } catch (UnknownHostException e) {
            return List.of("settings.baseUrl: the host " + host + " does not resolve");
        }
    }

    static boolean ownNetwork(InetAddress a) {
        return a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress() || (a instanceof Inet6Address && (a.getAddress()[0] & 0xfe) == 0xfc) // fc00::/7
                || sharedOrReserved(a);
    }

    /** 100.64.0.0/10 (carrier-grade NAT) and 0.0.0.0/8, which the JDK's checks above do not name. */
    private static boolean sharedOrReserved(InetAddress a) {
        byte[] b = a.getAddress();
        return b.length == 4 && ((b[0] & 0xff) == 0 || ((b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64));
    }
}
